"""Entry point of the ``legato`` command: assembles the command groups and takes the global
options (``--version``, ``--config FILE``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from legato import __version__
from legato.cli.commands import expression, flow, run, server
from legato.cli.configuration import CliState

app = typer.Typer(
    name="legato",
    help="Legato: run Kestra flows with no JVM and no Docker.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(flow.app, name="flow")
app.add_typer(expression.app, name="expression")
app.add_typer(server.app, name="server")
app.command("run")(run.run)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"legato {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="A YAML configuration in Kestra's shape (see docs/configuration.md); "
            "wins over LEGATO_CONFIG, KESTRA_CONFIGURATION and LEGATO_* variables.",
        ),
    ] = None,
) -> None:
    """Legato: run Kestra flows with no JVM and no Docker."""
    ctx.obj = CliState(config_file=config_file)


def main() -> None:
    """Run the CLI (the ``legato`` console script)."""
    app()

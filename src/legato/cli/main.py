"""Entry point of the ``legato`` command: assembles the command groups."""

from __future__ import annotations

import typer

from legato import __version__
from legato.cli.commands import expression, flow, run

app = typer.Typer(
    name="legato",
    help="Legato: run Kestra flows with no JVM and no Docker.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(flow.app, name="flow")
app.add_typer(expression.app, name="expression")
app.command("run")(run.run)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"legato {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Legato: run Kestra flows with no JVM and no Docker."""


def main() -> None:
    """Run the CLI (the ``legato`` console script)."""
    app()

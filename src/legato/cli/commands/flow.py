"""``legato flow``: validate and deploy flow files, print the flow language's JSON Schema.

``validate`` accepts files and folders (searched recursively for ``*.yml``/``*.yaml``), reads
every YAML document of each file, and prints ``OK namespace.id`` per valid flow or one line per
violation, ``file:line:col: property.path: message``. The exit status is 1 when anything failed.
``deploy`` validates the same way, then stores every flow as a new revision (when changed) in
the configured store (``--home``, else the configuration, see docs/configuration.md); nothing
is stored if any file is invalid. Both apply the configured global plugin defaults
(``kestra.plugins.defaults``) as ``legato run`` and the engine do.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated

import typer

from legato.cli.configuration import settings_for
from legato.errors import FlowValidationError
from legato.model import parsing, schema
from legato.model.plugin import PluginDefault
from legato.model.registry import PluginRegistry
from legato.model.violations import Violation

app = typer.Typer(help="Validate flows and describe the flow language.", no_args_is_help=True)

YAML_SUFFIXES = (".yml", ".yaml")


def flow_files(paths: list[Path]) -> Iterator[Path]:
    """Every YAML file named or found under the given paths, in a stable order."""
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            yield from sorted(found)
        else:
            yield path


def validate_file(
    path: Path, registry: PluginRegistry, defaults: Sequence[PluginDefault] = ()
) -> tuple[list[str], bool]:
    """The report lines for one file and whether every document in it is valid, with the
    configured global plugin ``defaults`` applied."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [f"{path}: cannot read the file: {error}"], False
    lines: list[str] = []
    ok = True
    for result in parsing.parse_documents(source, registry, path=str(path), defaults=defaults):
        if isinstance(result, FlowValidationError):
            ok = False
            lines.extend(_violation_lines(result, path))
        else:
            lines.append(f"OK {result.namespace}.{result.id}")
    return lines, ok


def _violation_lines(error: FlowValidationError, path: Path) -> list[str]:
    violations = [v for v in error.violations if isinstance(v, Violation)]
    if not violations:
        return [f"{path}: {error.message}"]
    return [str(v) for v in violations]


@app.command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Flow files or folders holding them.")],
) -> None:
    """Check flows against the flow language; print OK or every violation with its line."""
    defaults = settings_for(ctx).plugin_defaults
    registry = PluginRegistry.from_entry_points()
    files = list(flow_files(paths))
    if not files:
        typer.echo("no flow files found (looked for *.yml and *.yaml)", err=True)
        raise typer.Exit(1)
    all_ok = True
    for file in files:
        if not file.exists():
            typer.echo(f"{file}: no such file or folder", err=True)
            all_ok = False
            continue
        lines, ok = validate_file(file, registry, defaults)
        all_ok = all_ok and ok
        for line in lines:
            typer.echo(line)
    raise typer.Exit(0 if all_ok else 1)


@app.command("schema")
def print_schema() -> None:
    """Print the JSON Schema of the flow language (for editors)."""
    registry = PluginRegistry.from_entry_points()
    typer.echo(json.dumps(schema.flow_json_schema(registry), indent=2, sort_keys=True))


@app.command("deploy")
def deploy(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Flow files or folders holding them.")],
    home: Annotated[
        Path | None, typer.Option("--home", help="Legato home (default: LEGATO_HOME).")
    ] = None,
) -> None:
    """Validate flows and store them (namespaced, revisioned); print each revision stored."""
    from legato import bootstrap

    settings = settings_for(ctx, home=home)
    registry = PluginRegistry.from_entry_points()
    files = list(flow_files(paths))
    sources: list[tuple[Path, str]] = []
    all_ok = bool(files)
    if not files:
        typer.echo("no flow files found (looked for *.yml and *.yaml)", err=True)
    for file in files:
        lines, ok = (
            validate_file(file, registry, settings.plugin_defaults)
            if file.exists()
            else ([], False)
        )
        if not file.exists():
            typer.echo(f"{file}: no such file or folder", err=True)
        all_ok = all_ok and ok
        for line in lines if not ok else []:
            typer.echo(line)
        if ok:
            sources.append((file, file.read_text(encoding="utf-8")))
    if not all_ok:
        raise typer.Exit(1)
    for line in asyncio.run(bootstrap.deploy_sources(settings, registry, sources)):
        typer.echo(line)

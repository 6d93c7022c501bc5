"""``legato run FLOW.yaml``: run one flow to its end in this process and report the result.

Steps: validate the flow (violations printed as ``legato flow validate`` does, exit 1); deploy
the flows of ``--flows`` (for subflows) and the flow itself; create the execution with the
``--input name=value`` values (a FILE input given as a local path is uploaded to internal
storage); run an executor and a worker in this process until the execution ends; print a live
task-run tree on a terminal (a line per change otherwise), then a summary. ``--json`` prints
the execution in Kestra's JSON instead. Exit status: 0 for SUCCESS or WARNING, 1 otherwise.
Interrupting (Ctrl-C) kills the execution and waits a few seconds for it to end.

Store: the configured one (``--config``, ``LEGATO_CONFIG``, ``KESTRA_CONFIGURATION``, ``LEGATO_*``;
see docs/configuration.md), by default the SQLite database and storage under ``--home`` (else
``~/.legato``), so executions remain inspectable afterwards; ``--memory`` keeps everything in
memory (files in a temporary folder) and leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from legato import bootstrap, config
from legato.cli.commands import flow as flow_commands
from legato.cli.commands import run_view
from legato.cli.configuration import settings_for
from legato.errors import FlowValidationError, InputError, LegatoError
from legato.model.execution import Execution, StateType
from legato.services.executions import NewExecution

OK_STATES = (StateType.SUCCESS, StateType.WARNING)
#: seconds given to a killed execution to end when ``legato run`` is interrupted
KILL_GRACE = 5.0


def parse_inputs(pairs: list[str]) -> dict[str, str]:
    """``name=value`` pairs as a mapping; ValueError names a pair without ``=``."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"--input '{pair}' must look like name=value")
        values[name.strip()] = value
    return values


def run(
    ctx: typer.Context,
    flow_file: Annotated[Path, typer.Argument(help="The flow to run (a YAML file).")],
    inputs: Annotated[
        list[str] | None, typer.Option("--input", "-i", help="An input value, as name=value.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the execution as Kestra's JSON.")
    ] = False,
    flows: Annotated[
        list[Path] | None,
        typer.Option("--flows", help="A folder (or file) of flows to deploy first (subflows)."),
    ] = None,
    home: Annotated[
        Path | None, typer.Option("--home", help="Legato home (default: LEGATO_HOME).")
    ] = None,
    memory: Annotated[
        bool, typer.Option("--memory", help="Keep the store in memory; store nothing.")
    ] = False,
) -> None:
    """Run a flow to its end in this process; exit 0 on SUCCESS or WARNING."""
    try:
        given = parse_inputs(inputs or [])
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    settings = settings_for(ctx, home=home)
    request = RunRequest(flow_file, given, list(flows or []), as_json)
    if not memory:
        raise typer.Exit(asyncio.run(run_flow(settings, request)))
    with tempfile.TemporaryDirectory(prefix="legato-run-") as folder:
        settings = bootstrap.memory_settings(settings, Path(folder))
        status = asyncio.run(run_flow(settings, request))
    raise typer.Exit(status)


@dataclass(frozen=True)
class RunRequest:
    """What ``legato run`` was asked to do."""

    flow_file: Path
    inputs: dict[str, str]
    flows: list[Path]
    as_json: bool


async def run_flow(settings: config.Settings, request: RunRequest) -> int:
    """Run the request against ``settings``; returns the exit status."""
    try:
        source = request.flow_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        typer.echo(f"{request.flow_file}: cannot read the file: {error}", err=True)
        return 1
    async with bootstrap.open_engine(settings) as engine:
        try:
            for path in flow_commands.flow_files(request.flows):
                text = path.read_text(encoding="utf-8")
                await engine.flows.deploy(text, path=str(path))
            deployed = await engine.flows.deploy(source, path=str(request.flow_file))
        except FlowValidationError as error:
            for line in _violations(error):
                typer.echo(line, err=True)
            return 1
        except (OSError, UnicodeDecodeError) as error:
            typer.echo(f"cannot read a flow of --flows: {error}", err=True)
            return 1
        if len(deployed) != 1:
            typer.echo(f"{request.flow_file}: holds {len(deployed)} flows; run one", err=True)
            return 1
        flow = deployed[0].record
        try:
            execution = await engine.executions.create(
                NewExecution(flow.namespace, flow.id, inputs=request.inputs, revision=flow.revision)
            )
        except InputError as error:
            typer.echo(error.message, err=True)
            return 1
        final = await _follow(engine, execution, request.as_json)
    if request.as_json:
        typer.echo(json.dumps(final.to_json(), indent=2))
    return 0 if final.state.current in OK_STATES else 1


async def _follow(engine: bootstrap.Engine, execution: Execution, quiet: bool) -> Execution:
    view = run_view.choose_view(sys.stdout.isatty() and not quiet, quiet)
    async with engine.running():
        try:
            final = await engine.wait(execution.id, on_update=view.update, on_logs=view.logs)
        except asyncio.CancelledError:  # Ctrl-C: kill the execution rather than leave it running
            with contextlib.suppress(LegatoError, TimeoutError):
                await engine.executions.kill(execution.id)
                await asyncio.wait_for(engine.wait(execution.id), KILL_GRACE)
            raise
    view.close(final)
    return final


def _violations(error: FlowValidationError) -> list[str]:
    lines = [str(v) for v in error.violations]
    return lines or [error.message]

"""``legato server standalone|executor|worker``: the engine's daemons as a long-running process.

The process serves the store of the configuration (the embedded SQLite database of
``$LEGATO_HOME`` by default; PostgreSQL through ``--config`` or ``KESTRA_CONFIGURATION``) until
SIGINT or SIGTERM. ``standalone`` runs an executor and a worker that pass jobs, results and
kills in memory; ``executor`` and ``worker`` run one of them, so that any number of processes on
any number of hosts share one PostgreSQL database (Kestra's ``kestra server …``). Executions are
created by other processes (``legato run`` against the same store, the services' API); flows
come from ``legato flow deploy`` or ``--flows``.

Invariants: one line on standard error says when the daemons run (``ready``); a signal stops
them as ``Engine.running`` does (running attempts get the worker's drain time); exit status 0
after a signal, 1 when a daemon crashed or a flow of ``--flows`` is invalid, 2 for a bad
configuration.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from legato import bootstrap, config
from legato.cli.commands import flow as flow_commands
from legato.cli.configuration import settings_for
from legato.errors import FlowValidationError

app = typer.Typer(help="Run the engine's daemons until stopped (Ctrl-C, SIGTERM).")

#: seconds between two checks that the daemons are still alive
CHECK_EVERY = 1.0

Home = Annotated[Path | None, typer.Option("--home", help="Legato home (default: LEGATO_HOME).")]
# Kestra's spellings are accepted too: `worker -t/--thread`, `standalone --worker-thread`,
# `-f/--flow-path`
Threads = Annotated[
    int | None,
    typer.Option(
        "--threads",
        "--thread",
        "--worker-thread",
        "-t",
        min=1,
        help="Task runs a worker runs at once (default: 8).",
    ),
]
Flows = Annotated[
    list[Path] | None,
    typer.Option(
        "--flows",
        "--flow-path",
        "-f",
        help="A folder (or file) of flows to deploy before serving.",
    ),
]


@app.command("standalone")
def standalone(
    ctx: typer.Context, home: Home = None, threads: Threads = None, flows: Flows = None
) -> None:
    """An executor and a worker in one process."""
    _serve(ctx, bootstrap.Role.STANDALONE, home, threads, flows)


@app.command("executor")
def executor(ctx: typer.Context, home: Home = None, flows: Flows = None) -> None:
    """Only an executor: it steps executions; workers of other processes run their tasks."""
    _serve(ctx, bootstrap.Role.EXECUTOR, home, None, flows)


@app.command("worker")
def worker(ctx: typer.Context, home: Home = None, threads: Threads = None) -> None:
    """Only a worker: it runs the task runs executors of other processes queue."""
    _serve(ctx, bootstrap.Role.WORKER, home, threads, None)


def _serve(
    ctx: typer.Context,
    role: bootstrap.Role,
    home: Path | None,
    threads: int | None,
    flows: list[Path] | None,
) -> None:
    settings = settings_for(ctx, home=home)
    if threads is not None:
        settings = replace(settings, worker_threads=threads)
    raise typer.Exit(asyncio.run(serve(settings, role, list(flows or []))))


async def serve(settings: config.Settings, role: bootstrap.Role, flows: list[Path]) -> int:
    """Run the daemons of ``role`` until a signal; the exit status."""
    async with bootstrap.open_engine(settings) as engine:
        try:
            for path in flow_commands.flow_files(flows):
                await engine.flows.deploy(path.read_text(encoding="utf-8"), path=str(path))
        except FlowValidationError as error:
            typer.echo(str(error), err=True)
            return 1
        except (OSError, UnicodeDecodeError) as error:
            typer.echo(f"cannot read a flow of --flows: {error}", err=True)
            return 1
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            async with engine.running(role):
                typer.echo(_ready(settings, role), err=True)
                while not stop.is_set():
                    engine.check_daemons()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), CHECK_EVERY)
        except bootstrap.EngineError as error:
            typer.echo(f"legato server {role.value}: {error}", err=True)
            return 1
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
    typer.echo(f"legato server {role.value}: stopped", err=True)
    return 0


def _ready(settings: config.Settings, role: bootstrap.Role) -> str:
    threads = "" if role is bootstrap.Role.EXECUTOR else f", {settings.worker_threads} threads"
    store = re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", settings.database_url)
    return f"legato server {role.value}: ready on {store}{threads} (Ctrl-C or SIGTERM stops it)"

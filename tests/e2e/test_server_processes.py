"""``legato server``: one executor process and two worker processes on one PostgreSQL database
(or one SQLite home) run the executions another process creates, a kill reaches a task run
running in a worker process, and SIGTERM stops every process cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from examples_support.scratch_database import Server, scratch_database

from legato import bootstrap, config
from legato.model.execution import Execution, StateType
from legato.services.executions import NewExecution

FLOW = """id: served
namespace: e2e.server
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ execution.id }}"
  - id: fan
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2, 3]
    concurrencyLimit: 0
    tasks:
      - id: nap
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.3S
"""

LONG = """id: long
namespace: e2e.server
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT60S
"""

EXECUTIONS = 6


@pytest.fixture(params=["postgresql", "sqlite"])
def installation(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """(a configuration file for ``--config``, the database URL it names)."""
    home = tmp_path / "home"
    if request.param == "sqlite":
        url = config.Settings.for_home(home).database_url
        (tmp_path / "legato.yml").write_text(f"legato:\n  home: {home}\n", encoding="utf-8")
        yield tmp_path / "legato.yml", url
        return
    server = Server.from_env()
    with scratch_database(server, "legato_server") as name:
        configuration = f"""\
datasources:
  postgres:
    url: {server.jdbc_url(name)}
    username: {server.user}
kestra:
  storage:
    type: local
    local:
      basePath: "{tmp_path / "storage"}"
legato:
  home: {home}
"""
        (tmp_path / "legato.yml").write_text(configuration, encoding="utf-8")
        settings = config.load_settings({}, config_file=tmp_path / "legato.yml")
        yield tmp_path / "legato.yml", settings.database_url


def start(configuration: Path, *role: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "legato.cli", "--config", str(configuration), "server"]
    process = subprocess.Popen(
        [*command, *role],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if "ready on" in line:
            return process
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"legato server {' '.join(role)} did not start: {line!r}")


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    return errors


async def until_finished(engine: bootstrap.Engine, ids: list[str], limit: float) -> list[Execution]:
    deadline = time.monotonic() + limit
    while True:
        found = [await engine.stores.executions.get(i) for i in ids]
        done = [e for e in found if e is not None and bootstrap.finished(e)]
        if len(done) == len(ids) or time.monotonic() > deadline:
            return done
        await asyncio.sleep(0.2)


async def until_running(engine: bootstrap.Engine, execution_id: str, limit: float) -> Execution:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        execution = await engine.stores.executions.get(execution_id)
        if execution is not None and any(
            r.state.current == StateType.RUNNING for r in execution.taskRunList
        ):
            return execution
        await asyncio.sleep(0.2)
    raise AssertionError(f"execution {execution_id} never ran its task")


def test_executor_and_worker_processes_share_the_work(
    installation: tuple[Path, str], tmp_path: Path
) -> None:
    configuration, _ = installation
    settings = config.load_settings({}, config_file=configuration)
    processes = [
        start(configuration, "executor"),
        start(configuration, "worker", "--threads", "2"),
        start(configuration, "worker", "--threads", "2"),
    ]

    async def scenario() -> tuple[list[Execution], Execution]:
        async with bootstrap.open_engine(settings) as engine:  # no daemons: a client
            await engine.flows.deploy(FLOW)
            await engine.flows.deploy(LONG)
            ids = [
                (await engine.executions.create(NewExecution("e2e.server", "served"))).id
                for _ in range(EXECUTIONS)
            ]
            finals = await until_finished(engine, ids, 90)
            long = await engine.executions.create(NewExecution("e2e.server", "long"))
            await until_running(engine, long.id, 30)
            await engine.executions.kill(long.id)
            [killed] = await until_finished(engine, [long.id], 30)
            return finals, killed

    try:
        finals, killed = asyncio.run(scenario())
    finally:
        outputs = [stop(process) for process in processes]
    assert len(finals) == EXECUTIONS
    workers = set()
    for final in finals:
        assert final.state.current == StateType.SUCCESS, final.id
        assert len(final.taskRunList) == 5
        workers.update(a.workerId for run in final.taskRunList for a in run.attempts)
    assert len(workers - {None}) == 2, workers  # both worker processes ran tasks
    assert killed.state.current == StateType.KILLED
    assert [r.state.current for r in killed.taskRunList] == [StateType.KILLED]
    assert all("stopped" in output for output in outputs), outputs

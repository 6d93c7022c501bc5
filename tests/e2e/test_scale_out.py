"""Several engines on one store share the work: every execution ends once, every task run has
exactly one attempt and one set of log lines, whichever executor kept its lock and whichever
worker ran its tasks (SQLite file and PostgreSQL database)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from examples_support.scratch_database import Server, scratch_database

from legato import bootstrap, config
from legato.model.execution import Execution, StateType
from legato.services.executions import NewExecution

FLOW = """id: shared
namespace: e2e.scale
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ execution.id }}"
  - id: fan
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2, 3, 4]
    concurrencyLimit: 0
    tasks:
      - id: nap
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.02S
      - id: value
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
  - id: bye
    type: io.kestra.plugin.core.log.Log
    message: "bye {{ outputs.value['3'].value }}"
"""
ENGINES = 3
EXECUTIONS = 18
#: hello, fan, 4 × (nap, value), bye
TASK_RUNS = 11


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    server = Server.from_env()
    with scratch_database(server, "legato_scale") as name:
        yield f"postgresql://{server.user}@{server.host}:{server.port}/{name}"


@contextlib.asynccontextmanager
async def engines(url: str, home: Path) -> AsyncIterator[list[bootstrap.Engine]]:
    async with contextlib.AsyncExitStack() as stack:
        started: list[bootstrap.Engine] = []
        for index in range(ENGINES):
            base = config.Settings.for_home(home / f"engine{index}")
            settings = config.Settings(base.home, url, home / "storage", base.worker_threads)
            engine = await stack.enter_async_context(bootstrap.open_engine(settings))
            started.append(engine)
        await started[0].flows.deploy(FLOW)
        for engine in started:
            await stack.enter_async_context(engine.running())
        yield started


def test_engines_sharing_a_store_run_every_execution_once(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> list[tuple[Execution, list[str]]]:
        async with engines(database_url, tmp_path) as running:
            created = [
                await running[i % ENGINES].executions.create(NewExecution("e2e.scale", "shared"))
                for i in range(EXECUTIONS)
            ]
            finals = [
                await running[i % ENGINES].wait(e.id, poll=0.1) for i, e in enumerate(created)
            ]
            store = running[0].stores
            return [
                (final, [entry.message for entry in await store.logs.find(final.id)])
                for final in finals
            ]

    results = asyncio.run(asyncio.wait_for(scenario(), 120))
    workers: Counter[str] = Counter()
    for final, messages in results:
        assert final.state.current == StateType.SUCCESS, (final.id, messages)
        assert len(final.taskRunList) == TASK_RUNS, final.id
        for run in final.taskRunList:
            assert len(run.attempts) <= 1, (final.id, run.taskId, run.attempts)
            workers.update(a.workerId for a in run.attempts if a.workerId)
        assert messages.count(f"hello {final.id}") == 1, messages
        assert messages.count("bye 3") == 1, messages
    assert len(workers) >= 2, f"one worker ran everything: {workers}"

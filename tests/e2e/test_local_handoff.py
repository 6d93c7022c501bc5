"""In one process the executor hands jobs to its worker: the tasks run without the worker
claiming anything from the store, and a second engine on the same home still runs what the
first left claimed when it died (covered by tests/e2e/test_crash.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from legato import bootstrap, config
from legato.model.execution import StateType
from legato.services.executions import NewExecution
from legato.store.delegating import DelegatingWorkerQueue
from legato.store.protocols import WorkerJob

FLOW = """id: three
namespace: e2e.handoff
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: a
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: b
  - id: c
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.01S
"""


class CountingQueue(DelegatingWorkerQueue):
    """Counts the jobs the store itself hands out through ``claim``."""

    claimed = 0

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        jobs = await self.inner.claim(worker_id, limit, now)
        CountingQueue.claimed += len(jobs)
        return jobs


def test_tasks_of_an_in_process_engine_are_handed_over_without_store_claims(
    tmp_path: Path,
) -> None:
    async def scenario() -> tuple[StateType, int]:
        async with bootstrap.open_engine(config.Settings.for_home(tmp_path)) as engine:
            engine.stores = replace(engine.stores, workers=CountingQueue(engine.stores.workers))
            await engine.flows.deploy(FLOW)
            async with engine.running():
                created = await engine.executions.create(NewExecution("e2e.handoff", "three"))
                final = await engine.wait(created.id, poll=0.2)
            return final.state.current, len(final.taskRunList)

    state, runs = asyncio.run(scenario())
    assert (state, runs) == (StateType.SUCCESS, 3)
    assert CountingQueue.claimed == 0


class CountingCalls(DelegatingWorkerQueue):
    """Counts the store claims the worker makes (found jobs or not)."""

    calls = 0

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        CountingCalls.calls += 1
        return await self.inner.claim(worker_id, limit, now)


def test_results_from_memory_need_no_claims_from_the_store(tmp_path: Path) -> None:
    """A sequential flow whose tasks all go through the handoff: neither the worker nor the
    executor asks the store for work at each task (each such claim found nothing), nor reads
    the kept execution's stored events when nothing was stored."""
    logs = "".join(
        f"  - id: t{i}\n    type: io.kestra.plugin.core.log.Log\n    message: m{i}\n"
        for i in range(30)
    )
    source = f"id: many\nnamespace: e2e.handoff\ntasks:\n{logs}"
    claims: list[int] = []
    reads: list[int] = []

    async def scenario() -> StateType:
        async with bootstrap.open_engine(config.Settings.for_home(tmp_path)) as engine:
            engine.stores = replace(engine.stores, workers=CountingCalls(engine.stores.workers))
            store = engine.executor.ports.store
            original = store.claim_events

            async def counted(*args: object, **kwargs: object) -> object:
                claims.append(1)
                return await original(*args, **kwargs)  # type: ignore[arg-type]

            store.claim_events = counted  # type: ignore[method-assign]
            owned = store.owned_events

            async def counted_owned(*args: object, **kwargs: object) -> object:
                reads.append(1)
                return await owned(*args, **kwargs)  # type: ignore[arg-type]

            store.owned_events = counted_owned  # type: ignore[method-assign]
            await engine.flows.deploy(source)
            async with engine.running():
                created = await engine.executions.create(NewExecution("e2e.handoff", "many"))
                final = await engine.wait(created.id, poll=0.2)
            return final.state.current

    assert asyncio.run(scenario()) == StateType.SUCCESS
    assert CountingCalls.calls < 10, CountingCalls.calls
    assert len(claims) < 10, len(claims)
    assert len(reads) < 10, len(reads)  # the kept execution's stored events, only when stored

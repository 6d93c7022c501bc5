from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence

from worker_support import FakeQueue, variables

from legato.runtime.commands import DispatchTask
from legato.store.protocols import WorkerJob
from legato.worker.kills import KillingQueue


class Recorder:
    def __init__(self) -> None:
        self.killed: list[list[str]] = []

    def kill(self, task_run_ids: Sequence[str]) -> list[str]:
        self.killed.append(list(task_run_ids))
        return list(task_run_ids)


def job(run_id: str) -> WorkerJob:
    command = DispatchTask("e", run_id, 1, {"id": "t", "type": "x"}, variables())
    return WorkerJob("job-" + run_id, "e", run_id, dataclasses.asdict(command))


def test_cancel_kills_claimed_runs_locally_and_drops_unclaimed_jobs() -> None:
    inner = FakeQueue([job("claimed"), job("waiting")])
    worker = Recorder()
    queue = KillingQueue(inner, [worker])

    async def scenario() -> list[str]:
        await queue.claim("w", 1)
        return await queue.cancel(["claimed", "waiting"])

    assert asyncio.run(scenario()) == ["claimed"]
    assert worker.killed == [["claimed"]]
    assert [j.task_run_id for j in inner.jobs] == ["claimed"]

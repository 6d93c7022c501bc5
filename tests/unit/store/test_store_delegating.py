"""DelegatingWorkerQueue forwards every call, arguments and results, to its inner queue."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from legato.store.delegating import DelegatingWorkerQueue
from legato.store.protocols import LogEntry, MetricEntry, NewEvent, WorkerJob

NOW = datetime(2024, 1, 1, tzinfo=UTC)
JOB = WorkerJob("j1", "e1", "t1", {"task": {}})


class Recording:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        self.calls.append(("claim", (worker_id, limit, now)))
        return [JOB]

    async def heartbeat(self, worker_id: str, now: datetime) -> None:
        self.calls.append(("heartbeat", (worker_id, now)))

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        self.calls.append(("finish", (job_id, tuple(events), tuple(logs), tuple(metrics))))

    async def requeue_stale(self, older_than: datetime) -> int:
        self.calls.append(("requeue_stale", (older_than,)))
        return 3

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        self.calls.append(("cancel", (tuple(task_run_ids),)))
        return ["t1"]


def test_every_call_reaches_the_inner_queue_and_returns_its_result() -> None:
    inner = Recording()
    queue = DelegatingWorkerQueue(inner)
    event = NewEvent("e1", {"event": "ExecutionCreated"})

    async def scenario() -> tuple[Any, ...]:
        claimed = await queue.claim("w", 5, NOW)
        await queue.heartbeat("w", NOW)
        await queue.finish("j1", [event])
        requeued = await queue.requeue_stale(NOW)
        still = await queue.cancel(["t1", "t2"])
        return claimed, requeued, still

    assert asyncio.run(scenario()) == ([JOB], 3, ["t1"])
    assert inner.calls == [
        ("claim", ("w", 5, NOW)),
        ("heartbeat", ("w", NOW)),
        ("finish", ("j1", (event,), (), ())),
        ("requeue_stale", (NOW,)),
        ("cancel", (("t1", "t2"),)),
    ]

"""Kills inside one process: a ``WorkerQueue`` wrapper that interrupts local task runs.

The executor asks ``WorkerQueue.cancel`` to drop the jobs of killed task runs; jobs already
claimed stay with their worker. In a standalone process (executor and worker on one event loop)
wrap the queue given to the executor with ``KillingQueue`` so those claimed jobs are interrupted
at once by the local ``Worker``. Invariant: the wrapper changes nothing else (every other call is
delegated unchanged) and ``cancel`` returns what the wrapped queue returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from legato.store.protocols import LogEntry, MetricEntry, NewEvent, WorkerJob, WorkerQueue


class LocalWorker(Protocol):
    def kill(self, task_run_ids: Sequence[str]) -> list[str]: ...


class KillingQueue:
    """A ``WorkerQueue`` whose ``cancel`` also kills the claimed task runs ``workers`` run."""

    def __init__(self, inner: WorkerQueue, workers: Sequence[LocalWorker]) -> None:
        self.inner = inner
        self.workers = list(workers)

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        return await self.inner.claim(worker_id, limit, now)

    async def heartbeat(self, worker_id: str, now: datetime) -> None:
        await self.inner.heartbeat(worker_id, now)

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        await self.inner.finish(job_id, events, logs, metrics)

    async def requeue_stale(self, older_than: datetime) -> int:
        return await self.inner.requeue_stale(older_than)

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        still_claimed = await self.inner.cancel(task_run_ids)
        for worker in self.workers:
            worker.kill(still_claimed)
        return still_claimed

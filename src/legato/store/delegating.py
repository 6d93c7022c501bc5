"""A pass-through ``WorkerQueue``: decorators subclass it and override only what they change.

The executor's wake-up (``executor.wakeup.NotifyingWorkerQueue``), the in-process kills
(``worker.kills.KillingQueue``) and the RUNNING reports (``services.running_reports``) each add
one behaviour around another queue; everything else reaches ``inner`` unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from legato.store.protocols import LogEntry, MetricEntry, NewEvent, WorkerJob, WorkerQueue


class DelegatingWorkerQueue:
    """Forwards every ``WorkerQueue`` call to ``inner``."""

    def __init__(self, inner: WorkerQueue) -> None:
        self.inner = inner

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
        return await self.inner.cancel(task_run_ids)

    async def killed(self, worker_id: str) -> list[str]:
        return await self.inner.killed(worker_id)

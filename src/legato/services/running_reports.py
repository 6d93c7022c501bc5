"""Report task runs as RUNNING while they run, not only once they ended.

A worker reports ``TaskRunStarted`` in the same ``WorkerQueue.finish`` as its result (the port
has no separate enqueue), so a task run reaches RUNNING only when it is already over: its state
history is right (CREATED → RUNNING → SUCCESS, as Kestra's) but a live view never shows it
running. ``RunningReports`` wraps the worker's queue: a job still unfinished ``delay`` seconds
after its claim gets its ``TaskRunStarted`` enqueued for the executor at once, and the copy its
``finish`` carries is then dropped.

Invariants: at most one ``TaskRunStarted`` per claimed job reaches the executor (a report being
sent when the job finishes is awaited first); short jobs cost no extra event or executor step;
every other port method passes through unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from legato.runtime import events
from legato.store.delegating import DelegatingWorkerQueue
from legato.store.protocols import (
    ExecutorStore,
    LogEntry,
    MetricEntry,
    NewEvent,
    WorkerJob,
    WorkerQueue,
)

#: seconds a job runs before it is reported RUNNING on its own
DEFAULT_DELAY = 0.1


@dataclass
class _Report:
    """The early ``TaskRunStarted`` of one claimed job."""

    timer: asyncio.TimerHandle | None = None
    sending: asyncio.Task[None] | None = None
    sent: bool = False


@dataclass
class RunningReports(DelegatingWorkerQueue):
    """A ``WorkerQueue`` reporting long jobs RUNNING through ``events`` (the executor queue)."""

    inner: WorkerQueue
    events: ExecutorStore
    delay: float = DEFAULT_DELAY
    _reports: dict[str, _Report] = field(default_factory=dict)

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        """Claim jobs and arm each one's early report."""
        jobs = await self.inner.claim(worker_id, limit, now)
        loop = asyncio.get_running_loop()
        for job in jobs:
            report = _Report()
            report.timer = loop.call_later(self.delay, self._send, job, worker_id, report)
            self._reports[job.id] = report
        return jobs

    def _send(self, job: WorkerJob, worker_id: str, report: _Report) -> None:
        report.sending = asyncio.create_task(self._enqueue(job, worker_id, report))

    async def _enqueue(self, job: WorkerJob, worker_id: str, report: _Report) -> None:
        started = events.TaskRunStarted(job.task_run_id, attempt_of(job), worker_id)
        await self.events.enqueue([NewEvent(job.execution_id, events.to_json(started))])
        report.sent = True

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        """Finish the job; its ``TaskRunStarted`` is left out when it was reported already."""
        report = self._reports.get(job_id)
        if report is not None:
            if report.timer is not None:
                report.timer.cancel()
            if report.sending is not None:
                await asyncio.gather(report.sending, return_exceptions=True)
            if report.sent:
                events = [e for e in events if e.payload.get("event") != STARTED]
        await self.inner.finish(job_id, events, logs, metrics)
        self._reports.pop(job_id, None)


#: the ``event`` name in a ``TaskRunStarted`` event's JSON
STARTED = events.TaskRunStarted.__name__


def attempt_of(job: WorkerJob) -> int:
    """The attempt number a job runs (1 when its payload does not say)."""
    attempt = job.payload.get("attempt", 1)
    return attempt if isinstance(attempt, int) else 1

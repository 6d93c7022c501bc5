"""Worker jobs handed from the executor to the worker of the same process, without a claim.

In one process the executor commits a job and the worker at once claims it back: a second
write transaction per task. With a ``LocalHandoff`` the executor commits the job already
claimed by the local worker (``WorkerJob.claimed_by``/``claimed_at``) and, once the commit
succeeded, puts it in the handoff's inbox; ``HandoffQueue.claim`` returns inbox jobs before it
asks the store for more.

Invariants:

* A job is handed off only within free capacity: jobs holding a slot (handed or claimed, not
  finished) plus those reserved never exceed ``slots`` (the worker's threads), so a handed job
  never waits behind a busy worker while another process could run it. Jobs that need no slot
  (``needs_slot``: render-only tasks the worker runs on its loop at once) are always handed.
* The store holds every handed job as claimed by ``worker_id``: if the process dies, its
  heartbeat stops and the store re-queues the job as any claimed one (nothing is lost).
* A reservation is delivered or cancelled: a failed commit gives its slots back.
* A closed handoff (its worker stopping) reserves nothing; jobs left in its inbox stay claimed
  until the store re-queues them.
* Single-threaded: the executor and the worker share the process's event loop.

Results come back the same way: the worker's ``finish`` of a handed job becomes a
``JobResult`` in the handoff (``report``) instead of a store transaction, and the executor
steps it at once; its commit deletes the job and stores the result's logs and metrics. While
an execution has handed jobs not yet settled (``keeps``), the executor keeps its lock between
steps, so that no other executor steps it meanwhile and no claim transaction is needed.

* A result lives only in memory until the executor's commit: if the process dies first, the
  job (stored as claimed) is re-queued and its attempt runs again, as for a job still running.
* A closed handoff takes no result: ``finish`` then stores it as any worker's.

A claim finding the inbox empty asks the store only when the store may hold jobs for this
worker: jobs committed here without being handed over (no room, or closed), or any job of
another process or re-queued, which a recheck every ``recheck`` seconds finds. A claim right
after the inbox ran dry, which found nothing in the store in nearly every pass, is skipped (on
PostgreSQL it cost a write transaction per task).
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from legato.store.delegating import DelegatingWorkerQueue
from legato.store.protocols import (
    JobResult,
    LogEntry,
    MetricEntry,
    NewEvent,
    WorkerJob,
    WorkerQueue,
)


class LocalHandoff:
    """The executor's side: reserve capacity, mark jobs claimed, deliver them after commit."""

    def __init__(
        self,
        worker_id: str,
        slots: int,
        needs_slot: Callable[[WorkerJob], bool] = lambda job: True,
    ) -> None:
        self.worker_id = worker_id
        self.slots = slots
        #: False for jobs that take no worker thread (render-only tasks run on the loop at
        #: once): those are handed off whatever the free capacity
        self.needs_slot = needs_slot
        self._inbox: deque[WorkerJob] = deque()
        #: ids of the jobs holding a slot: reserved, delivered or claimed, not finished
        self._slotted: set[str] = set()
        self._reserved = 0
        self._closed = False
        #: handed jobs not reported yet: job id -> execution id
        self._delivered: dict[str, str] = {}
        #: per execution, handed jobs whose result is not settled (stored or committed)
        self._pending: Counter[str] = Counter()
        self._results: list[JobResult] = []
        #: called when a result arrives (wakes the executor)
        self.on_result: Callable[[], None] = lambda: None
        #: jobs committed since this handoff exists without being handed over (they went to
        #: the store, where the local worker must claim them)
        self.unhanded = 0

    def claim_for_worker(self, jobs: Sequence[WorkerJob], now: datetime) -> list[WorkerJob]:
        """``jobs``, those there is room for marked claimed by the local worker; reserve
        their slots until ``deliver`` or ``cancel``."""
        if self._closed:
            self.unhanded += len(jobs)
            return list(jobs)
        room = self.slots - len(self._slotted) - self._reserved
        marked: list[WorkerJob] = []
        for job in jobs:
            slotted = self.needs_slot(job)
            if slotted and room <= 0:
                self.unhanded += 1
                marked.append(job)
                continue
            if slotted:
                room -= 1
                self._reserved += 1
            marked.append(replace(job, claimed_by=self.worker_id, claimed_at=now))
        return marked

    def deliver(self, jobs: Sequence[WorkerJob]) -> None:
        """The commit of ``jobs`` (as ``claim_for_worker`` returned them) succeeded."""
        for job in self._mine(jobs):
            if self.needs_slot(job):
                self._reserved -= 1
                self._slotted.add(job.id)
            self._delivered[job.id] = job.execution_id
            self._pending[job.execution_id] += 1
            self._inbox.append(job)

    def cancel(self, jobs: Sequence[WorkerJob]) -> None:
        """The commit of ``jobs`` failed: give their reserved slots back."""
        self._reserved -= sum(1 for job in self._mine(jobs) if self.needs_slot(job))

    def close(self) -> None:
        """Reserve nothing and take no result from now on (the worker stops)."""
        self._closed = True

    def store_changed(self) -> None:
        """Another process stored jobs (a change feed said so): the store is worth a claim."""
        self.unhanded += 1

    def keeps(
        self, execution_id: str, jobs: Sequence[WorkerJob], results: Sequence[JobResult]
    ) -> bool:
        """Whether the execution still has handed jobs unsettled once a commit of ``jobs`` (as
        ``claim_for_worker`` returned them) and ``results`` succeeds: its executor then keeps
        its lock, to step their results from memory."""
        if self._closed:
            return False
        settled = sum(1 for result in results if result.execution_id == execution_id)
        handed = sum(1 for job in self._mine(jobs) if job.execution_id == execution_id)
        return self._pending[execution_id] - settled + handed > 0

    def take_results(self) -> list[JobResult]:
        """The results reported since the last call, in report order."""
        taken, self._results = self._results, []
        return taken

    def give_back(self, results: Sequence[JobResult]) -> None:
        """Results taken but neither committed nor stored: taken again next time first."""
        self._results[:0] = results

    def settled(self, results: Sequence[JobResult]) -> None:
        """``results`` were committed by the executor, or stored for it."""
        for result in results:
            self._settle(result.execution_id)

    def _settle(self, execution_id: str) -> None:
        left = self._pending[execution_id] - 1
        if left > 0:
            self._pending[execution_id] = left
        else:
            del self._pending[execution_id]

    def _mine(self, jobs: Sequence[WorkerJob]) -> list[WorkerJob]:
        return [job for job in jobs if job.claimed_by == self.worker_id]

    # -- the worker's side (through ``HandoffQueue``) -----------------------------------------

    def take(self, limit: int) -> list[WorkerJob]:
        """Up to ``limit`` delivered jobs, oldest first."""
        taken: list[WorkerJob] = []
        while self._inbox and len(taken) < limit:
            taken.append(self._inbox.popleft())
        return taken

    def claimed(self, jobs: Sequence[WorkerJob]) -> None:
        """The worker claimed ``jobs`` from the store: they hold slots too."""
        self._slotted.update(job.id for job in jobs)

    def report(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry],
        metrics: Sequence[MetricEntry],
    ) -> bool:
        """Hand the result of job ``job_id`` to the executor; False when it must be stored
        instead (not a handed job, or the handoff is closed)."""
        execution_id = self._delivered.pop(job_id, None)
        if execution_id is None:
            return False
        if self._closed:
            self._settle(execution_id)
            return False
        self._results.append(JobResult(job_id, execution_id, events, logs, metrics))
        self.on_result()
        return True

    def finished(self, job_id: str) -> None:
        """Job ``job_id`` of the worker ended: its slot, if it held one, is free."""
        self._slotted.discard(job_id)


class HandoffQueue(DelegatingWorkerQueue):
    """A ``WorkerQueue`` whose ``claim`` serves handed-off jobs; only a claim finding the inbox
    empty asks the store (jobs of other processes, or those there was no room for)."""

    def __init__(
        self,
        inner: WorkerQueue,
        handoff: LocalHandoff,
        recheck: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(inner)
        self.handoff = handoff
        #: seconds after which a store found without jobs is asked again anyway
        self.recheck = recheck
        self._clock = clock
        #: when the store last had fewer jobs than asked, and ``handoff.unhanded`` then
        self._found_dry: tuple[float, int] | None = None

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        local = worker_id == self.handoff.worker_id
        jobs = self.handoff.take(limit) if local else []
        if jobs:
            # the store is asked only once the inbox is empty: in one process every job goes
            # through the inbox while the worker has room, so a store claim (a transaction on
            # PostgreSQL) per task would find nothing
            return jobs
        if local and not self._store_may_have_jobs():
            return []
        asked_at, unhanded = self._clock(), self.handoff.unhanded
        more = await self.inner.claim(worker_id, limit, now)
        self.handoff.claimed(more)
        if local:
            self._found_dry = (asked_at, unhanded) if len(more) < limit else None
        return more

    def _store_may_have_jobs(self) -> bool:
        """Not known dry: never asked, full last time, jobs committed here unhanded since, or
        ``recheck`` seconds passed (jobs of other processes, re-queued ones)."""
        dry = self._found_dry
        return (
            dry is None or self.handoff.unhanded != dry[1] or self._clock() - dry[0] >= self.recheck
        )

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        try:
            if not self.handoff.report(job_id, events, logs, metrics):
                await self.inner.finish(job_id, events, logs, metrics)
        finally:
            self.handoff.finished(job_id)

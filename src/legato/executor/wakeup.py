"""Wake-ups between the daemons of one process, and store wrappers that send them.

Across processes consumers poll; inside one process (``legato run``, ``server local``) a
``Wakeup`` lets the executor react as soon as a worker reports or an execution is created, and
a worker as soon as a job is queued. Invariants: a wake-up is only a hint (a missed one costs at
most one polling interval, never correctness); wrappers change no behaviour of the store they
wrap, they only signal after a call returned successfully.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import datetime

from legato.model.execution import Execution
from legato.store.delegating import DelegatingWorkerQueue
from legato.store.protocols import (
    ExecutionQuery,
    ExecutionRepository,
    ExecutorStore,
    JobResult,
    LogEntry,
    MetricEntry,
    NewEvent,
    StoredEvent,
    WorkerJob,
    WorkerQueue,
)


class Wakeup:
    """A level-triggered signal: ``notify`` wakes the next (or current) ``wait``.

    Waiting costs one future and one timer, no task (two waits per task run in one process).
    Like ``asyncio.Event``, it belongs to one event loop and is not thread-safe."""

    def __init__(self) -> None:
        self._set = False
        #: whether a notification since the last ``take_stored`` said the store changed
        self._stored = False
        self._waiters: list[asyncio.Future[None]] = []

    def notify(self, *, stored: bool = True) -> None:
        """Something arrived: wake the waiters. ``stored=False`` says it came in memory only
        (results of the local worker), so the store holds nothing new."""
        self._set = True
        self._stored = self._stored or stored
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def is_set(self) -> bool:
        """Whether a notification is waiting (the next ``wait`` returns at once)."""
        return self._set

    def watch(self, waiter: asyncio.Future[None]) -> None:
        """Resolve ``waiter`` at the next notification (at once when one is waiting); the
        notification is not consumed (``consume`` does that)."""
        if self._set:
            if not waiter.done():
                waiter.set_result(None)
        else:
            self._waiters.append(waiter)

    def unwatch(self, waiter: asyncio.Future[None]) -> None:
        """Forget ``waiter`` (resolved or not)."""
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)

    def take_stored(self) -> bool:
        """Whether a notification since the last call said the store changed (cleared)."""
        stored, self._stored = self._stored, False
        return stored

    def consume(self) -> bool:
        """Take the waiting notification, if any; True when there was one."""
        notified, self._set = self._set, False
        return notified

    async def wait(self, timeout: float) -> bool:
        """Wait for a notification or ``timeout`` seconds; True when notified."""
        if not self._set:
            loop = asyncio.get_running_loop()
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            timer = loop.call_later(timeout, _expire, waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                self.unwatch(waiter)
        return self.consume()


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class NotifyingExecutorStore:
    """An ``ExecutorStore`` that wakes the executor on new events and workers on new jobs."""

    def __init__(self, inner: ExecutorStore, executor: Wakeup, workers: Wakeup) -> None:
        self.inner = inner
        self._executor = executor
        self._workers = workers

    async def enqueue(self, events: Sequence[NewEvent]) -> None:
        await self.inner.enqueue(events)
        if events:
            self._executor.notify()

    async def claim_events(
        self, executor_id: str, now: datetime, limit: int = 100
    ) -> list[tuple[Execution, list[StoredEvent]]]:
        return await self.inner.claim_events(executor_id, now, limit)

    async def commit(
        self,
        execution: Execution,
        consumed: Sequence[int],
        *,
        jobs: Sequence[WorkerJob] = (),
        events: Sequence[NewEvent] = (),
        logs: Sequence[LogEntry] = (),
        new_executions: Sequence[Execution] = (),
        results: Sequence[JobResult] = (),
        holder: str | None = None,
        keep_lock_at: datetime | None = None,
    ) -> None:
        await self.inner.commit(
            execution,
            consumed,
            jobs=jobs,
            events=events,
            logs=logs,
            new_executions=new_executions,
            results=results,
            holder=holder,
            keep_lock_at=keep_lock_at,
        )
        if jobs:
            self._workers.notify()
        if events or new_executions:
            self._executor.notify()

    async def owned_events(self, executor_id: str, now: datetime) -> dict[str, list[StoredEvent]]:
        return await self.inner.owned_events(executor_id, now)

    async def keep_locks(
        self, executor_id: str, execution_ids: Sequence[str], now: datetime
    ) -> list[str]:
        return await self.inner.keep_locks(executor_id, execution_ids, now)

    async def release(self, executor_id: str, execution_ids: Sequence[str]) -> None:
        await self.inner.release(executor_id, execution_ids)

    async def next_due(self) -> datetime | None:
        return await self.inner.next_due()


class NotifyingWorkerQueue(DelegatingWorkerQueue):
    """A ``WorkerQueue`` that wakes the executor when a job's result is reported."""

    def __init__(self, inner: WorkerQueue, executor: Wakeup) -> None:
        super().__init__(inner)
        self._executor = executor

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        await self.inner.finish(job_id, events, logs, metrics)
        if events:
            self._executor.notify()

    async def requeue_stale(self, older_than: datetime) -> int:
        count = await self.inner.requeue_stale(older_than)
        if count:
            self._executor.notify()
        return count


class NotifyingExecutionRepository:
    """An ``ExecutionRepository`` that wakes the executor when an execution is created."""

    def __init__(self, inner: ExecutionRepository, executor: Wakeup) -> None:
        self.inner = inner
        self._executor = executor

    async def get(self, execution_id: str) -> Execution | None:
        return await self.inner.get(execution_id)

    async def create(self, execution: Execution, events: Sequence[NewEvent] = ()) -> None:
        await self.inner.create(execution, events)
        if events:
            self._executor.notify()

    async def search(self, query: ExecutionQuery) -> tuple[list[Execution], int]:
        return await self.inner.search(query)

    async def unfinished(self) -> list[str]:
        return await self.inner.unfinished()

    async def count_running(self, namespace: str, flow_id: str) -> int:
        return await self.inner.count_running(namespace, flow_id)

    async def oldest_queued(self, namespace: str, flow_id: str) -> str | None:
        return await self.inner.oldest_queued(namespace, flow_id)

    async def delete(self, execution_id: str) -> bool:
        return await self.inner.delete(execution_id)

"""Kills inside one process: a ``WorkerQueue`` wrapper that interrupts local task runs.

The executor asks ``WorkerQueue.cancel`` to drop the jobs of killed task runs; jobs already
claimed stay with their worker. In a standalone process (executor and worker on one event loop)
wrap the queue given to the executor with ``KillingQueue`` so those claimed jobs are interrupted
at once by the local ``Worker``. Invariant: the wrapper changes nothing else (every other call is
delegated unchanged) and ``cancel`` returns what the wrapped queue returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from legato.store.delegating import DelegatingWorkerQueue
from legato.store.protocols import WorkerQueue


class LocalWorker(Protocol):
    def kill(self, task_run_ids: Sequence[str]) -> list[str]: ...


class KillingQueue(DelegatingWorkerQueue):
    """A ``WorkerQueue`` whose ``cancel`` also kills the claimed task runs ``workers`` run."""

    def __init__(self, inner: WorkerQueue, workers: Sequence[LocalWorker]) -> None:
        super().__init__(inner)
        self.workers = list(workers)

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        still_claimed = await self.inner.cancel(task_run_ids)
        for worker in self.workers:
            worker.kill(still_claimed)
        return still_claimed

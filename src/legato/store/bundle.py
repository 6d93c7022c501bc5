"""``Store``: every repository of one database, opened together and closed together.

Invariant: all ports of one ``Store`` share one database, so ``ExecutorStore.commit`` and
``WorkerQueue.finish`` write executions, jobs, events, logs and metrics in one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from legato.store.protocols import (
    ChangeFeed,
    ExecutionRepository,
    ExecutorStore,
    FlowRepository,
    KVStore,
    LogRepository,
    MetricRepository,
    WorkerQueue,
)


async def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Store:
    """The repositories of one database and how to close it."""

    flows: FlowRepository
    executions: ExecutionRepository
    executor: ExecutorStore
    worker_queue: WorkerQueue
    logs: LogRepository
    metrics: MetricRepository
    kv: KVStore
    url: str = "memory://"
    closer: Callable[[], Awaitable[None]] = _nothing
    #: notifications of other processes' commits, when the database has them (PostgreSQL)
    changes: ChangeFeed | None = None

    async def close(self) -> None:
        """Release connections; the store must not be used afterwards."""
        await self.closer()

"""Reading an execution's logs and purging old executions, for the core tasks that reach beyond
their own task run (``log.Fetch``, ``execution.PurgeExecutions``).

Kestra's semantics: logs come as Kestra ``LogEntry`` JSON maps, oldest first; a purge selects
executions by flow (``namespace`` exact with ``flowId``, else the namespace and its
descendants), by start date (``start_date`` ≤ start ≤ ``end_date``) and by state (every
terminal state when none is given, so running executions — the purging one included — are
never touched), then deletes what is asked of each: its logs, metrics, internal-storage files
and the execution itself. Counts are those Kestra's ``PurgeResult`` reports.

``SyncLogReader`` and ``SyncPurger`` serve the tasks' threads (the ``logs`` and ``executions``
RunContext ports declared in ``sdk.ports``).

Invariants: executions are collected before anything is deleted (paging is not disturbed by
deletions); no store adapter is imported here, only ports (the storage layout is given).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from legato.model.execution import Execution, StateType
from legato.store.protocols import (
    ExecutionQuery,
    ExecutionRepository,
    FileStorage,
    LogEntry,
    LogRepository,
    MetricRepository,
)


def log_json(entry: LogEntry) -> dict[str, Any]:
    """A log line as Kestra's ``LogEntry`` JSON (timestamp in ISO-8601 UTC)."""
    stamp = entry.timestamp.isoformat().replace("+00:00", "Z")
    return {
        "namespace": entry.namespace,
        "flowId": entry.flow_id,
        "taskId": entry.task_id,
        "executionId": entry.execution_id,
        "taskRunId": entry.task_run_id,
        "attemptNumber": entry.attempt_number,
        "triggerId": entry.trigger_id,
        "timestamp": stamp,
        "level": entry.level,
        "message": entry.message,
    }


async def fetch_logs(
    logs: LogRepository,
    execution_id: str,
    *,
    min_level: str,
    task_ids: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Log lines of ``execution_id`` at ``min_level`` or above (of ``task_ids`` when given),
    oldest first, as Kestra JSON."""
    entries = await logs.find(execution_id, min_level=min_level)
    wanted = None if task_ids is None else set(task_ids)
    return [log_json(e) for e in entries if wanted is None or e.task_id in wanted]


@dataclass(frozen=True)
class PurgeCriteria:
    """Which executions to purge and what to delete of them."""

    end_date: datetime
    start_date: datetime | None = None
    namespace: str | None = None
    flow_id: str | None = None
    states: tuple[StateType, ...] | None = None
    executions: bool = True
    logs: bool = True
    metrics: bool = True
    storage: bool = True
    batch_size: int = 100


@dataclass(frozen=True)
class PurgeCounts:
    """How many executions, log lines, storage files and metrics were deleted."""

    executions: int = 0
    logs: int = 0
    storages: int = 0
    metrics: int = 0


@dataclass(frozen=True)
class ExecutionPurge:
    """Purges executions and what belongs to them across the store's ports;
    ``storage_prefix`` names the internal-storage folder of an execution."""

    executions: ExecutionRepository
    logs: LogRepository
    metrics: MetricRepository
    files: FileStorage
    storage_prefix: Callable[[Execution], str]

    async def purge(self, criteria: PurgeCriteria) -> PurgeCounts:
        """Delete what ``criteria`` asks of every matching execution."""
        found = await self.matching(criteria)
        counts = [0, 0, 0, 0]
        for execution in found:
            if criteria.logs:
                counts[1] += await self.logs.delete(execution.id)
            if criteria.metrics:
                counts[3] += await self.metrics.delete(execution.id)
            if criteria.storage:
                counts[2] += await self.files.delete_prefix(self.storage_prefix(execution))
            if criteria.executions and await self.executions.delete(execution.id):
                counts[0] += 1
        return PurgeCounts(*counts)

    async def matching(self, criteria: PurgeCriteria) -> list[Execution]:
        """Every execution ``criteria`` selects, read page by page."""
        states = criteria.states or tuple(s for s in StateType if s.is_terminal)
        size = max(1, criteria.batch_size)
        found: list[Execution] = []
        page = 1
        while True:
            query = ExecutionQuery(
                namespace=criteria.namespace,
                flow_id=criteria.flow_id,
                states=states,
                start_after=criteria.start_date,
                start_before=criteria.end_date,
                page=page,
                size=size,
            )
            batch, total = await self.executions.search(query)
            found.extend(batch)
            if not batch or page * size >= total:
                break
            page += 1
        if criteria.flow_id is not None:
            found = [e for e in found if e.namespace == criteria.namespace]
        return found


T = TypeVar("T")


class Caller(Protocol):
    """Runs a coroutine on the event loop for a task thread (the worker's ``Bridge``)."""

    def call(self, coro: Coroutine[Any, Any, T]) -> T: ...


class PurgeAsk(Protocol):
    """What a purging task asks (``platform_ports.PurgeRequest``: states by name)."""

    @property
    def end_date(self) -> datetime: ...
    @property
    def start_date(self) -> datetime | None: ...
    @property
    def namespace(self) -> str | None: ...
    @property
    def flow_id(self) -> str | None: ...
    @property
    def states(self) -> tuple[str, ...] | None: ...
    @property
    def executions(self) -> bool: ...
    @property
    def logs(self) -> bool: ...
    @property
    def metrics(self) -> bool: ...
    @property
    def storage(self) -> bool: ...
    @property
    def batch_size(self) -> int: ...


@dataclass(frozen=True)
class SyncLogReader:
    """``fetch_logs`` for task threads."""

    logs: LogRepository
    bridge: Caller

    def fetch(
        self, execution_id: str, *, min_level: str, task_ids: Sequence[str] | None = None
    ) -> list[Mapping[str, Any]]:
        """Log lines of ``execution_id`` at ``min_level`` or above, oldest first."""
        found = fetch_logs(self.logs, execution_id, min_level=min_level, task_ids=task_ids)
        return list(self.bridge.call(found))


@dataclass(frozen=True)
class SyncPurger:
    """``ExecutionPurge.purge`` for task threads."""

    service: ExecutionPurge
    bridge: Caller

    def purge(self, request: PurgeAsk) -> PurgeCounts:
        """Purge what ``request`` asks; ValueError names an unknown state."""
        states = request.states
        criteria = PurgeCriteria(
            end_date=request.end_date,
            start_date=request.start_date,
            namespace=request.namespace,
            flow_id=request.flow_id,
            states=None if states is None else tuple(StateType(s) for s in states),
            executions=request.executions,
            logs=request.logs,
            metrics=request.metrics,
            storage=request.storage,
            batch_size=request.batch_size,
        )
        return self.bridge.call(self.service.purge(criteria))

"""Optional RunContext ports for tasks that reach beyond one task run: reading an execution's
logs (``log.Fetch``, ``errorLogs()``) and purging executions (``execution.PurgeExecutions``).

A worker that can serve them exposes ``ctx.logs`` (a ``LogReader``) and ``ctx.executions`` (an
``ExecutionPurger``); when absent the tasks fail with a message naming the missing port. They
live in the sdk so plugins, the worker and the services implementing them share one definition.

Invariants: log entries are Kestra ``LogEntry`` JSON maps (``namespace``, ``flowId``, ``taskId``,
``executionId``, ``taskRunId``, ``attemptNumber``, ``timestamp``, ``level``, ``message``…),
oldest first; purge counts are those Kestra's ``PurgeResult`` reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from legato.sdk.run_context import RunContext, TaskError

#: Kestra's log levels, least severe first.
LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR")


class LogReader(Protocol):
    def fetch(
        self,
        execution_id: str,
        *,
        min_level: str,
        task_ids: Sequence[str] | None = None,
    ) -> list[Mapping[str, Any]]:
        """Log entries of ``execution_id`` at ``min_level`` or above (of ``task_ids`` only
        when given), oldest first."""
        ...


@dataclass(frozen=True)
class PurgeRequest:
    """What to purge: executions that ended before ``end_date`` (and after ``start_date``).

    ``namespace`` is a prefix when ``flow_id`` is None, else the flow's namespace; ``states``
    None means every terminal state.
    """

    end_date: datetime
    start_date: datetime | None = None
    namespace: str | None = None
    flow_id: str | None = None
    states: tuple[str, ...] | None = None
    executions: bool = True
    logs: bool = True
    metrics: bool = True
    storage: bool = True
    batch_size: int = 100


@dataclass(frozen=True)
class PurgeResult:
    executions: int = 0
    logs: int = 0
    storages: int = 0
    metrics: int = 0


class ExecutionPurger(Protocol):
    def purge(self, request: PurgeRequest) -> PurgeResult: ...


def log_reader(ctx: RunContext) -> LogReader:
    """The context's ``logs`` port, or a ``TaskError`` saying it is missing."""
    port = getattr(ctx, "logs", None)
    if port is None:
        raise TaskError(
            "Fetching logs needs a worker that exposes execution logs (RunContext.logs)",
            retryable=False,
        )
    reader: LogReader = port
    return reader


def execution_purger(ctx: RunContext) -> ExecutionPurger:
    """The context's ``executions`` port, or a ``TaskError`` saying it is missing."""
    port = getattr(ctx, "executions", None)
    if port is None:
        raise TaskError(
            "Purging executions needs a worker that exposes execution purge "
            "(RunContext.executions)",
            retryable=False,
        )
    purger: ExecutionPurger = port
    return purger

"""The log lines of one task-run attempt: collected in memory, handed to ``WorkerQueue.finish``.

Invariants: each line carries the execution, flow, task, task run and attempt it belongs to and
the time it was written (from the injected clock); lines below the task's ``logLevel`` are
dropped; secret values are masked before a line is kept. The logger is thread-safe.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from legato._kernel.clock import Clock
from legato.store.protocols import LogEntry
from legato.worker.masking import Masker

LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR")
_RANK = {name: rank for rank, name in enumerate(LEVELS)}
_RANK["WARNING"] = _RANK["WARN"]


def level_name(level: str) -> str:
    """The canonical level name for ``level`` (case-insensitive; WARNING means WARN)."""
    name = level.upper()
    if name == "WARNING":
        return "WARN"
    if name not in _RANK:
        raise ValueError(f"unknown log level '{level}'; use one of {', '.join(LEVELS)}")
    return name


@dataclass(frozen=True)
class LogOrigin:
    """Where a task run's log lines come from."""

    execution_id: str
    namespace: str
    flow_id: str
    task_id: str
    task_run_id: str
    attempt: int


class TaskRunLogger:
    """Implements ``sdk.run_context.TaskLogger`` for one attempt."""

    def __init__(
        self, origin: LogOrigin, clock: Clock, masker: Masker, min_level: str | None = None
    ) -> None:
        self._origin = origin
        self._clock = clock
        self._masker = masker
        self._min_rank = _RANK[level_name(min_level)] if min_level else 0
        self._lines: list[LogEntry] = []
        self._lock = threading.Lock()

    @property
    def lines(self) -> list[LogEntry]:
        """The lines kept so far, oldest first."""
        with self._lock:
            return list(self._lines)

    def log(self, level: str, message: str) -> None:
        name = level_name(level)
        if _RANK[name] < self._min_rank:
            return
        o = self._origin
        entry = LogEntry(
            execution_id=o.execution_id,
            timestamp=self._clock.now(),
            level=name,
            message=self._masker.mask(str(message)),
            namespace=o.namespace,
            flow_id=o.flow_id,
            task_id=o.task_id,
            task_run_id=o.task_run_id,
            attempt_number=o.attempt,
        )
        with self._lock:
            self._lines.append(entry)

    def trace(self, message: str) -> None:
        self.log("TRACE", message)

    def debug(self, message: str) -> None:
        self.log("DEBUG", message)

    def info(self, message: str) -> None:
        self.log("INFO", message)

    def warn(self, message: str) -> None:
        self.log("WARN", message)

    def error(self, message: str) -> None:
        self.log("ERROR", message)

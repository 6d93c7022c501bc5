"""Log lines of worker results the executor is stepping from memory, before its commit stores
them, made visible to the renders of that step (``errorLogs()`` in an ``errors`` branch's If).

A result handed over in memory (``services.handoff``) carries the task's log lines; they reach
the store only with the commit of the step that consumes the result. ``UnsavedLogs`` holds them
while the step runs; ``LogsWithUnsaved`` is the log repository the executor's platform reads,
the stored lines merged with the held ones.

Invariants: lines are held only for the duration of ``holding`` (one step of one execution);
``find`` filters held lines exactly as the stores filter theirs and returns all lines oldest
first; writes go to the wrapped repository untouched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from legato.store import rules
from legato.store.protocols import LogEntry, LogRepository


class UnsavedLogs:
    """The lines of the results being stepped, per execution."""

    def __init__(self) -> None:
        self._lines: dict[str, Sequence[LogEntry]] = {}

    @contextmanager
    def holding(self, execution_id: str, lines: Sequence[LogEntry]) -> Iterator[None]:
        """Hold ``lines`` for ``execution_id`` while the block runs."""
        if not lines:
            yield
            return
        self._lines[execution_id] = lines
        try:
            yield
        finally:
            self._lines.pop(execution_id, None)

    def of(self, execution_id: str) -> Sequence[LogEntry]:
        return self._lines.get(execution_id, ())


class LogsWithUnsaved:
    """A ``LogRepository`` whose ``find`` adds the held lines to the stored ones."""

    def __init__(self, inner: LogRepository, unsaved: UnsavedLogs) -> None:
        self.inner = inner
        self.unsaved = unsaved

    async def append(self, entries: Sequence[LogEntry]) -> None:
        await self.inner.append(entries)

    async def find(
        self,
        execution_id: str,
        *,
        min_level: str | None = None,
        task_run_id: str | None = None,
        task_id: str | None = None,
        attempt: int | None = None,
    ) -> list[LogEntry]:
        filters: dict[str, Any] = {
            "min_level": min_level,
            "task_run_id": task_run_id,
            "task_id": task_id,
            "attempt": attempt,
        }
        stored = await self.inner.find(execution_id, **filters)
        held = self.unsaved.of(execution_id)
        if not held:
            return stored
        return rules.logs_matching([*stored, *held], execution_id, **filters)

    async def delete(self, execution_id: str) -> int:
        return await self.inner.delete(execution_id)

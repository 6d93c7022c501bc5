"""The executor's log reader adds the lines of results being stepped to the stored ones."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from legato._kernel.clock import FixedClock
from legato.executor.unsaved_logs import LogsWithUnsaved, UnsavedLogs
from legato.store.memory import memory_store
from legato.store.protocols import LogEntry

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def line(message: str, seconds: int, level: str = "INFO", execution: str = "e1") -> LogEntry:
    return LogEntry(execution, T0 + timedelta(seconds=seconds), level, message, task_id="t")


def test_held_lines_are_found_with_the_stored_ones_only_while_held() -> None:
    async def scenario() -> None:
        store = memory_store(FixedClock(T0))
        await store.logs.append([line("stored early", 1, "ERROR"), line("stored info", 3)])
        unsaved = UnsavedLogs()
        logs = LogsWithUnsaved(store.logs, unsaved)
        held = [line("held", 2, "ERROR"), line("held debug", 4, "DEBUG")]
        with unsaved.holding("e1", held):
            errors = await logs.find("e1", min_level="ERROR")
            assert [e.message for e in errors] == ["stored early", "held"]
            everything = await logs.find("e1")
            assert [e.message for e in everything] == [
                "stored early",
                "held",
                "stored info",
                "held debug",
            ]
            assert await logs.find("e2") == []
            assert await logs.find("e1", task_id="other") == []
        assert [e.message for e in await logs.find("e1")] == ["stored early", "stored info"]

    asyncio.run(scenario())

"""``errorLogs()`` in a worker-run task: the ERROR log lines of the current execution, oldest
first and at most 25 (Kestra's ``LogService.errorLogs``), read through the worker's ``logs``
port; rendered with the real expression engine."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from worker_support import EXECUTION_ID, FLOW_ID, NAMESPACE, NOW, TASK_RUN_ID, harness, variables

from legato._kernel.clock import FixedClock
from legato.errors import ExpressionEvaluationError, LegatoError
from legato.services.maintenance import SyncLogReader
from legato.store.memory import MemoryLogs, MemoryState
from legato.store.protocols import LogEntry
from legato.worker.run_context import Attempt, WorkerRunContext


class RecordingReader:
    """A ``logs`` port answering from a fixed list and recording its calls."""

    def __init__(self, entries: Sequence[Mapping[str, Any]]) -> None:
        self.entries = list(entries)
        self.calls: list[tuple[str, str, Sequence[str] | None]] = []

    def fetch(
        self, execution_id: str, *, min_level: str, task_ids: Sequence[str] | None = None
    ) -> list[Mapping[str, Any]]:
        self.calls.append((execution_id, min_level, task_ids))
        return list(self.entries)


class FailingReader:
    def fetch(
        self, execution_id: str, *, min_level: str, task_ids: Sequence[str] | None = None
    ) -> list[Mapping[str, Any]]:
        raise LegatoError("the log store is unreachable")


@contextmanager
def context_with_logs(tmp_path: Path, make_port: Any) -> Iterator[WorkerRunContext]:
    """A real run context whose worker was given ``make_port(bridge)`` as its ``logs`` port."""
    with harness(tmp_path) as h:
        services = dataclasses.replace(h.services, ports={"logs": make_port(h.services.bridge)})
        attempt = Attempt(EXECUTION_ID, TASK_RUN_ID, "alert", 1, variables())
        yield WorkerRunContext(services, attempt)


def line(execution_id: str, level: str, message: str, seconds: int, task_id: str) -> LogEntry:
    return LogEntry(
        execution_id=execution_id,
        timestamp=NOW + timedelta(seconds=seconds),
        level=level,
        message=message,
        namespace=NAMESPACE,
        flow_id=FLOW_ID,
        task_id=task_id,
        task_run_id=f"run-{task_id}",
        attempt_number=1,
    )


def test_error_logs_asks_the_port_for_this_executions_error_lines(tmp_path: Path) -> None:
    reader = RecordingReader([{"taskId": "boom", "message": "disk is full", "level": "ERROR"}])
    with context_with_logs(tmp_path, lambda bridge: reader) as ctx:
        assert ctx.render("{{ errorLogs()[0]['message'] }}") == "disk is full"
        assert ctx.render("{{ errorLogs()[0].taskId }}") == "boom"
    assert reader.calls == [(EXECUTION_ID, "ERROR", None), (EXECUTION_ID, "ERROR", None)]


def test_error_logs_keeps_the_first_25_lines_in_order(tmp_path: Path) -> None:
    entries = [{"message": f"error {i}", "level": "ERROR"} for i in range(30)]
    with context_with_logs(tmp_path, lambda bridge: RecordingReader(entries)) as ctx:
        found = ctx.render("{{ errorLogs() }}")
    assert [entry["message"] for entry in found] == [f"error {i}" for i in range(25)]


def test_error_logs_is_an_empty_list_when_nothing_failed(tmp_path: Path) -> None:
    with context_with_logs(tmp_path, lambda bridge: RecordingReader([])) as ctx:
        assert ctx.render("{{ errorLogs() | length }}") == 0


def test_a_failing_port_fails_the_render_with_its_message(tmp_path: Path) -> None:
    with (
        context_with_logs(tmp_path, lambda bridge: FailingReader()) as ctx,
        pytest.raises(ExpressionEvaluationError, match="the log store is unreachable"),
    ):
        ctx.render("{{ errorLogs() }}")


def test_without_a_logs_port_error_logs_names_the_missing_port(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(ExpressionEvaluationError, match="'logs' port"):
        h.ctx.render("{{ errorLogs() }}")


def test_error_logs_through_the_store_reader_are_kestra_log_entries(tmp_path: Path) -> None:
    state = MemoryState(clock=FixedClock(NOW))
    state.logs.extend(
        [
            line(EXECUTION_ID, "ERROR", "second failure", 5, "later"),
            line(EXECUTION_ID, "INFO", "all good so far", 1, "first"),
            line(EXECUTION_ID, "WARN", "getting warm", 2, "first"),
            line(EXECUTION_ID, "ERROR", "disk is full", 3, "boom"),
            line("another-execution", "ERROR", "not mine", 4, "boom"),
        ]
    )
    logs = MemoryLogs(state)
    with context_with_logs(tmp_path, lambda bridge: SyncLogReader(logs, bridge)) as ctx:
        found = ctx.render("{{ errorLogs() }}")
        first = ctx.render_string("{{ errorLogs()[0].taskId }}: {{ errorLogs()[0]['message'] }}")
    assert first == "boom: disk is full"
    assert [(entry["taskId"], entry["message"]) for entry in found] == [
        ("boom", "disk is full"),
        ("later", "second failure"),
    ]
    assert found[0] == {
        "namespace": NAMESPACE,
        "flowId": FLOW_ID,
        "taskId": "boom",
        "executionId": EXECUTION_ID,
        "taskRunId": "run-boom",
        "attemptNumber": 1,
        "triggerId": None,
        "timestamp": "2026-01-02T03:04:08Z",
        "level": "ERROR",
        "message": "disk is full",
    }

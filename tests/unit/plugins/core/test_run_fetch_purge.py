"""log.Fetch and execution.PurgeExecutions run through the optional RunContext ports
(``logs``, ``executions``): Kestra's outputs (``uri``/``size``; the four purge counts), the ION
row-per-log file, level and task filters, the date handling of ``ZonedDateTime.parse``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from core_support import task
from run_support import EXECUTION, FLOW, NAMESPACE, FakeRunContext

from legato.expressions.filters.ion import from_ion
from legato.sdk.ports import LEVELS, PurgeRequest, PurgeResult
from legato.sdk.run_context import TaskError


def entry(task_id: str, level: str, message: str, **extra: Any) -> dict[str, Any]:
    return {
        "namespace": NAMESPACE,
        "flowId": FLOW,
        "executionId": EXECUTION,
        "taskId": task_id,
        "taskRunId": f"run-{task_id}",
        "attemptNumber": 1,
        "timestamp": "2024-05-01T10:00:00Z",
        "level": level,
        "message": message,
        "triggerId": None,
        **extra,
    }


@dataclass
class Logs:
    """A LogReader over a list; it filters as the port contract says."""

    entries: list[dict[str, Any]]
    calls: list[tuple[str, str, Sequence[str] | None]] = field(default_factory=list)

    def fetch(
        self, execution_id: str, *, min_level: str, task_ids: Sequence[str] | None = None
    ) -> list[Mapping[str, Any]]:
        self.calls.append((execution_id, min_level, task_ids))
        return [
            e
            for e in self.entries
            if e["executionId"] == execution_id
            and LEVELS.index(e["level"]) >= LEVELS.index(min_level)
            and (task_ids is None or e["taskId"] in task_ids)
        ]


@dataclass
class Purger:
    requests: list[PurgeRequest] = field(default_factory=list)

    def purge(self, request: PurgeRequest) -> PurgeResult:
        self.requests.append(request)
        return PurgeResult(executions=3, logs=40, storages=5, metrics=7)


LOGS = [
    entry("hello", "INFO", "Hello World!"),
    entry("error_message", "ERROR", "This is an error message"),
    entry("hello", "DEBUG", "debugging"),
]


@pytest.fixture
def ctx(tmp_path: Path) -> FakeRunContext:
    return FakeRunContext(tmp_path, logs=Logs(list(LOGS)), executions=Purger())


def run(ctx: FakeRunContext, type_name: str, **props: Any) -> dict[str, Any]:
    raw = {"id": "t", "type": "io.kestra.plugin.core." + type_name, **props}
    outputs: dict[str, Any] = task(raw).run(ctx)
    return outputs


def rows(ctx: FakeRunContext, uri: str) -> list[Any]:
    return from_ion(ctx.storage.get_bytes(uri).decode())


def test_fetch_current_execution_at_info_and_above(ctx: FakeRunContext) -> None:
    outputs = run(ctx, "log.Fetch")
    assert outputs["size"] == 2
    assert outputs["uri"].endswith(".ion")
    fetched = rows(ctx, outputs["uri"])
    assert [r["message"] for r in fetched] == ["Hello World!", "This is an error message"]
    assert fetched[0]["timestamp"] == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert "triggerId" not in fetched[0]


def test_fetch_error_level_only(ctx: FakeRunContext) -> None:
    outputs = run(ctx, "log.Fetch", executionId="{{ execution.id }}", level="ERROR")
    assert outputs["size"] == 1
    assert rows(ctx, outputs["uri"])[0]["taskId"] == "error_message"


def test_fetch_for_some_tasks(ctx: FakeRunContext) -> None:
    outputs = run(ctx, "log.Fetch", level="DEBUG", tasksId=["hello"])
    assert outputs["size"] == 2
    assert ctx.logs.calls[-1] == (EXECUTION, "DEBUG", ["hello"])


def test_fetch_other_execution_of_another_flow_needs_its_flow(ctx: FakeRunContext) -> None:
    ctx.logs.entries.append(entry("x", "INFO", "theirs", executionId="e2", flowId="other"))
    assert run(ctx, "log.Fetch", executionId="e2")["size"] == 0
    assert run(ctx, "log.Fetch", executionId="e2", flowId="other")["size"] == 1


def test_fetch_without_logs_port_fails(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match=r"RunContext\.logs"):
        run(FakeRunContext(tmp_path), "log.Fetch")


def test_purge_passes_rendered_request_and_outputs_counts(ctx: FakeRunContext) -> None:
    outputs = run(
        ctx,
        "execution.PurgeExecutions",
        namespace="{{ flow.namespace }}",
        flowId="{{ flow.id }}",
        endDate="2024-02-01T00:00:00+01:00[Europe/Paris]",
        startDate="2024-01-01T00:00:00Z",
        states=["SUCCESS", "FAILED"],
        purgeLog=False,
    )
    assert outputs == {"executionsCount": 3, "logsCount": 40, "storagesCount": 5, "metricsCount": 7}
    request = ctx.executions.requests[-1]
    assert request.end_date == datetime(2024, 2, 1, tzinfo=timezone(timedelta(hours=1)))
    assert request.start_date == datetime(2024, 1, 1, tzinfo=UTC)
    assert (request.namespace, request.flow_id) == (NAMESPACE, FLOW)
    assert request.states == ("SUCCESS", "FAILED")
    assert (request.executions, request.logs, request.metrics, request.storage) == (
        True,
        False,
        True,
        True,
    )
    assert request.batch_size == 100


def test_purge_all_namespaces_by_default(ctx: FakeRunContext) -> None:
    run(ctx, "execution.PurgeExecutions", endDate="2024-02-01")
    request = ctx.executions.requests[-1]
    assert (request.namespace, request.flow_id, request.states, request.start_date) == (
        None,
        None,
        None,
        None,
    )
    assert request.end_date == datetime(2024, 2, 1, tzinfo=UTC)


def test_purge_flow_without_namespace_fails(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="namespace"):
        run(ctx, "execution.PurgeExecutions", flowId="f", endDate="2024-02-01T00:00:00Z")


def test_purge_bad_date_fails(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="endDate"):
        run(ctx, "execution.PurgeExecutions", endDate="last week")


def test_purge_legacy_alias(ctx: FakeRunContext) -> None:
    raw = {"id": "t", "type": "io.kestra.core.tasks.storages.Purge", "endDate": "2024-02-01"}
    assert task(raw).run(ctx)["executionsCount"] == 3


def test_purge_without_port_fails(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match=r"RunContext\.executions"):
        run(FakeRunContext(tmp_path), "execution.PurgeExecutions", endDate="2024-02-01")

"""Builders shared by the store contract tests: executions, events, jobs, log lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from legato.model.execution import Execution, Label, State, StateType
from legato.store.protocols import LogEntry, NewEvent, WorkerJob

START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """``START`` plus ``seconds``."""
    return START + timedelta(seconds=seconds)


def execution(
    execution_id: str,
    *,
    namespace: str = "company.team",
    flow_id: str = "hello",
    state: StateType = StateType.CREATED,
    started: datetime = START,
    labels: dict[str, str] | None = None,
) -> Execution:
    return Execution(
        id=execution_id,
        namespace=namespace,
        flowId=flow_id,
        state=State.of(state, started),
        labels=tuple(Label(key=k, value=v) for k, v in (labels or {}).items()),
    )


def moved(item: Execution, state: StateType, when: datetime) -> Execution:
    """``item`` moved on to ``state`` at ``when``."""
    return item.model_copy(update={"state": item.state.with_state(state, when)})


def event(
    execution_id: str, name: str, due_at: datetime | None = None, **extra: object
) -> NewEvent:
    return NewEvent(execution_id, {"event": name, "executionId": execution_id, **extra}, due_at)


def job(job_id: str, execution_id: str, task_run_id: str) -> WorkerJob:
    return WorkerJob(job_id, execution_id, task_run_id, {"taskRunId": task_run_id, "attempt": 1})


def log(execution_id: str, message: str, when: datetime = START, level: str = "INFO") -> LogEntry:
    return LogEntry(execution_id=execution_id, timestamp=when, level=level, message=message)

"""Events the executor feeds to ``runtime.step``: things that happened, named in the past tense.

Each event concerns one execution. Events are frozen, JSON-serializable through ``to_json`` /
``event_from_json`` (they are stored in the executor's durable queue), and carry only data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from legato.model.execution import StateType


@dataclass(frozen=True)
class ExecutionCreated:
    """A new execution (state CREATED) was stored and must start."""


@dataclass(frozen=True)
class TaskRunStarted:
    """A worker took the job of ``task_run_id`` (attempt number ``attempt``, 1-based)."""

    task_run_id: str
    attempt: int
    worker_id: str = ""


@dataclass(frozen=True)
class TaskRunFinished:
    """A worker finished an attempt of ``task_run_id``.

    ``state`` is the attempt's state (SUCCESS, WARNING, FAILED, KILLED). ``error`` is the
    failure message shown in logs; ``retryable`` False forbids retries (Temporal's
    ``non_retryable``). ``outputs`` are the task's outputs (possibly partial on failure).
    ``children`` carries the task runs a worker-side group produced (WorkingDirectory), as JSON.
    A worker (``worker_id`` set) logs ``error`` itself, once, with the attempt number (as
    Kestra's worker does); the runtime logs it only for results reported by others.
    """

    task_run_id: str
    attempt: int
    state: StateType
    outputs: dict[str, Any] | None = None
    error: str | None = None
    retryable: bool = True
    worker_id: str = ""
    children: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class TimerFired:
    """A timer the runtime asked for (``ScheduleTimer``) is due: ``purpose`` says which."""

    purpose: str
    task_run_id: str | None = None


@dataclass(frozen=True)
class KillRequested:
    """Someone asked to kill the execution (and its subflows when ``cascade``)."""

    cascade: bool = True


@dataclass(frozen=True)
class ResumeRequested:
    """Someone resumed a paused execution, giving the ``onResume`` inputs (already coerced)."""

    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SubflowFinished:
    """A child execution started by the task run ``task_run_id`` ended (or was created, with
    ``state`` CREATED/RUNNING when the parent does not wait)."""

    task_run_id: str
    child_execution_id: str
    state: StateType
    outputs: dict[str, Any] | None = None


@dataclass(frozen=True)
class ConcurrencySlotFreed:
    """A running execution of the same flow ended: a QUEUED execution may now start."""


Event = (
    ExecutionCreated
    | TaskRunStarted
    | TaskRunFinished
    | TimerFired
    | KillRequested
    | ResumeRequested
    | SubflowFinished
    | ConcurrencySlotFreed
)

EVENT_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        ExecutionCreated,
        TaskRunStarted,
        TaskRunFinished,
        TimerFired,
        KillRequested,
        ResumeRequested,
        SubflowFinished,
        ConcurrencySlotFreed,
    )
}


def to_json(event: Event) -> dict[str, Any]:
    """The event as a JSON object with its class name under ``"event"``."""
    data = dataclasses.asdict(event)
    data["event"] = type(event).__name__
    return data


def event_from_json(data: dict[str, Any]) -> Event:
    """The event that ``to_json`` wrote; ValueError names an unknown event type."""
    fields = dict(data)
    name = fields.pop("event", None)
    cls = EVENT_TYPES.get(str(name))
    if cls is None:
        raise ValueError(f"unknown executor event type {name!r}")
    if "state" in fields:
        fields["state"] = StateType(fields["state"])
    if "children" in fields:
        fields["children"] = tuple(fields["children"])
    event: Event = cls(**fields)
    return event

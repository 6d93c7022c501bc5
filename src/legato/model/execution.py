"""Executions and task runs as data, in Kestra's REST JSON shape (reference §7).

Invariants:

* Every model here is frozen: a change is a new object (``model_copy(update=...)``), which is
  what the pure runtime returns. ``State.with_state`` appends to ``histories``.
* ``model_dump(mode="json", by_alias=True, exclude_none=True)`` is the REST/store JSON; dates
  are ISO-8601 instants in UTC with a ``Z``, durations ISO-8601 (``PT1.5S``).
* States are shared by executions, task runs and attempts. ``TERMINAL`` ones never change again
  except through restart (→ RESTARTED) or replay.
"""

from __future__ import annotations

import enum
import functools
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, computed_field

from legato.model.property import format_duration


class StateType(enum.StrEnum):
    """Kestra's state names."""

    CREATED = "CREATED"
    SUBMITTED = "SUBMITTED"
    RUNNING = "RUNNING"
    PAUSED = "PAUSED"
    RESTARTED = "RESTARTED"
    KILLING = "KILLING"
    SUCCESS = "SUCCESS"
    WARNING = "WARNING"
    FAILED = "FAILED"
    KILLED = "KILLED"
    CANCELLED = "CANCELLED"
    QUEUED = "QUEUED"
    RETRYING = "RETRYING"
    RETRIED = "RETRIED"
    SKIPPED = "SKIPPED"
    BREAKPOINT = "BREAKPOINT"
    RESUBMITTED = "RESUBMITTED"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL

    @property
    def is_failed(self) -> bool:
        return self in (StateType.FAILED, StateType.KILLED)

    @property
    def is_running(self) -> bool:
        return self in (StateType.RUNNING, StateType.KILLING)


#: the state names as a Literal, for validating properties that name states (``stopAfter``…)
StateName = Literal[
    "CREATED",
    "SUBMITTED",
    "RUNNING",
    "PAUSED",
    "RESTARTED",
    "KILLING",
    "SUCCESS",
    "WARNING",
    "FAILED",
    "KILLED",
    "CANCELLED",
    "QUEUED",
    "RETRYING",
    "RETRIED",
    "SKIPPED",
    "BREAKPOINT",
    "RESUBMITTED",
]

TERMINAL = frozenset(
    {
        StateType.SUCCESS,
        StateType.WARNING,
        StateType.FAILED,
        StateType.KILLED,
        StateType.CANCELLED,
        StateType.RETRIED,
        StateType.SKIPPED,
    }
)

#: the order used to combine children's states: the worst wins (reference §7 "final state")
SEVERITY = {
    StateType.SUCCESS: 0,
    StateType.SKIPPED: 0,
    StateType.PAUSED: 1,
    StateType.WARNING: 2,
    StateType.FAILED: 3,
    StateType.KILLED: 4,
}


@functools.lru_cache(maxsize=4096)
def _iso_instant(value: datetime) -> str:
    """Java's ``Instant.toString``: UTC, ``Z``, fractions in groups of three digits, years of
    four digits at least. Cached: an execution document repeats the same instants (state
    histories, attempts) and is written at every step."""
    moment = value if value.tzinfo is UTC else value.astimezone(UTC)
    micros = moment.microsecond
    if not micros:
        spec = "seconds"
    elif micros % 1000:
        spec = "microseconds"
    else:
        spec = "milliseconds"
    return moment.isoformat(timespec=spec)[:-6] + "Z"  # "+00:00" becomes "Z"


Instant = Annotated[datetime, PlainSerializer(_iso_instant, return_type=str)]
IsoDuration = Annotated[timedelta, PlainSerializer(format_duration, return_type=str)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")


class StateHistory(_Frozen):
    """One past state and when it was entered."""

    state: StateType
    date: Instant


class State(_Frozen):
    """A current state with its whole history (never empty).

    ``startDate``, ``endDate`` and ``duration`` are derived; they are written to JSON and
    ignored when JSON is read back.
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    current: StateType
    histories: tuple[StateHistory, ...]

    @classmethod
    def of(cls, state: StateType, at: datetime) -> State:
        """A new state history starting in ``state`` at ``at``."""
        return cls(current=state, histories=(StateHistory(state=state, date=at),))

    def with_state(self, state: StateType, at: datetime) -> State:
        """This history moved on to ``state`` at ``at`` (a no-op if already there)."""
        if state == self.current:
            return self
        return State(current=state, histories=(*self.histories, StateHistory(state=state, date=at)))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def startDate(self) -> Instant:
        return self.histories[0].date

    @computed_field  # type: ignore[prop-decorator]
    @property
    def endDate(self) -> Instant | None:
        return self.histories[-1].date if self.current.is_terminal else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duration(self) -> IsoDuration:
        return self.histories[-1].date - self.histories[0].date


class Label(_Frozen):
    """An execution label."""

    key: str
    value: str


class TaskRunAttempt(_Frozen):
    """One attempt of a task run (the first is attempt 1, shown at index 0)."""

    state: State
    logFile: str | None = None
    workerId: str | None = None


class TaskRun(_Frozen):
    """One run of one task (per loop value, for tasks inside loops)."""

    id: str
    executionId: str
    namespace: str
    flowId: str
    taskId: str
    parentTaskRunId: str | None = None
    value: str | None = None
    iteration: int | None = None
    attempts: tuple[TaskRunAttempt, ...] = ()
    outputs: dict[str, Any] | None = None
    state: State
    dynamic: bool | None = None
    #: ForEachItem batch URI (``taskrun.items``), when the run belongs to a batch
    items: str | None = None


class ExecutionTrigger(_Frozen):
    """What started an execution: a trigger id, its type and its variables."""

    id: str
    type: str
    variables: dict[str, Any] = Field(default_factory=dict)


class ExecutionMetadata(_Frozen):
    """Restart bookkeeping."""

    attemptNumber: int = 1
    originalCreatedDate: Instant | None = None


class Execution(_Frozen):
    """One run of a flow."""

    id: str
    namespace: str
    flowId: str
    flowRevision: int = 1
    labels: tuple[Label, ...] = ()
    inputs: dict[str, Any] | None = None
    outputs: dict[str, Any] | None = None
    variables: dict[str, Any] | None = None
    parentId: str | None = None
    originalId: str | None = None
    state: State
    taskRunList: tuple[TaskRun, ...] = ()
    trigger: ExecutionTrigger | None = None
    metadata: ExecutionMetadata = Field(default_factory=ExecutionMetadata)
    scheduleDate: Instant | None = None
    deleted: bool = False

    def task_run(self, task_run_id: str) -> TaskRun:
        """The task run with ``task_run_id``; KeyError names it when absent."""
        for run in self.taskRunList:
            if run.id == task_run_id:
                return run
        raise KeyError(f"execution {self.id} has no task run {task_run_id}")

    def to_json(self) -> dict[str, Any]:
        """Kestra's REST JSON of this execution."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

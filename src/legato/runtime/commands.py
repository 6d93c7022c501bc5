"""Commands ``runtime.step`` returns: what the executor must do, named in the imperative.

The executor applies a transition's new execution and its commands in one transaction, so a
crash never loses one without the other. Commands carry everything their consumer needs: a
worker never reads repositories, so ``DispatchTask`` holds the task definition (as JSON) and the
render variables of the task run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from legato.model.execution import Execution, StateType
from legato.runtime.events import Event


@dataclass(frozen=True)
class DispatchTask:
    """Queue a worker job: run attempt ``attempt`` of ``task_run_id``.

    ``task`` is the task's JSON (pluginDefaults already applied), ``variables`` the render
    context of this task run (flow, execution, task, taskrun, inputs, outputs, vars, labels,
    parents…), ``timeout_seconds`` the task's timeout if any.
    """

    execution_id: str
    task_run_id: str
    attempt: int
    task: dict[str, Any]
    variables: dict[str, Any]
    timeout_seconds: float | None = None


@dataclass(frozen=True)
class ScheduleTimer:
    """Deliver ``event`` to this execution at ``at`` (retry delays, pauses, WaitFor checks)."""

    at: datetime
    event: Event


@dataclass(frozen=True)
class StartSubflow:
    """Create a child execution of ``namespace.flow_id`` for the task run ``task_run_id``."""

    task_run_id: str
    namespace: str
    flow_id: str
    revision: int | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    labels: tuple[tuple[str, str], ...] = ()
    wait: bool = True
    schedule_date: datetime | None = None


@dataclass(frozen=True)
class KillTaskRuns:
    """Tell the workers to interrupt these running task runs."""

    task_run_ids: tuple[str, ...]


@dataclass(frozen=True)
class KillSubflows:
    """Kill the child executions started by these task runs (cascading kill)."""

    child_execution_ids: tuple[str, ...]


@dataclass(frozen=True)
class ExecutionEnded:
    """The execution reached ``state`` (terminal): release its concurrency slot, notify the
    parent execution (if any) and evaluate flow triggers."""

    state: StateType


@dataclass(frozen=True)
class CreateExecution:
    """Store a new execution (RETRY behaviour CREATE_NEW_EXECUTION, ForEachItem batches…)."""

    execution: Execution


Command = (
    DispatchTask
    | ScheduleTimer
    | StartSubflow
    | KillTaskRuns
    | KillSubflows
    | ExecutionEnded
    | CreateExecution
)

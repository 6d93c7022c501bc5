"""The executor-side protocol of flowable tasks, and the helpers most flowables are built from.

A flowable (Sequential, If, ForEach…) never runs on a worker: the pure runtime asks it, each time
something happened below it, which child task runs to create next and whether it is done
(``decide``). The runtime creates the task runs, dispatches them and calls back.

Invariants:

* Flowables are pure: they read the execution only through ``FlowableContext`` and never change
  it; the same context gives the same answer.
* A child is identified by ``(task id, value, iteration)`` under its parent task run;
  ``decide`` never returns a child that already has a task run. Only loops give values.
* The state rule is Kestra's: the worst state of the ``tasks`` branch (KILLED > FAILED > WARNING
  > PAUSED > SUCCESS); ``errors`` and ``finally`` never decide it. The helpers flowables are
  built from (Kestra's FlowableUtils) are in ``legato.sdk.flowable_utils``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from legato.model.execution import SEVERITY, StateType, TaskRun
from legato.model.tasks import Task

#: states that stop a task list (a failure)
FAILED_STATES = frozenset({StateType.FAILED, StateType.KILLED, StateType.CANCELLED})


@dataclass(frozen=True)
class NextRun:
    """A child task run to create: ``task`` for loop ``value`` (None outside loops)."""

    task: Task
    value: str | None = None
    iteration: int | None = None
    items: str | None = None


class FlowableContext(Protocol):
    """What a flowable may read while deciding: its own task run, its children, expressions."""

    @property
    def task_run(self) -> TaskRun:
        """The flowable's own task run."""
        ...

    @property
    def now(self) -> datetime:
        """The time of the decision."""
        ...

    def children(self) -> Sequence[TaskRun]:
        """The direct child task runs of this flowable, in creation order."""
        ...

    def child(
        self, task_id: str, value: str | None, iteration: int | None = None
    ) -> TaskRun | None:
        """The child task run of ``task_id`` for ``value`` (and loop ``iteration``), if any."""
        ...

    def child_states(self, task_id: str) -> Mapping[StateType, int]:
        """How many child task runs of ``task_id`` are in each state (O(1))."""
        ...

    def moved_children(self) -> Sequence[TaskRun]:
        """The children created or moved to another state since the runtime last started
        deciding (every such change makes the runtime ask the flowable again)."""
        ...

    def render(self, source: Any, extra: Mapping[str, Any] | None = None) -> Any:
        """``source`` rendered with this task run's variables (``extra`` merged over them, maps
        one level deep), keeping native types for a lone ``{{ expr }}``; strings inside lists
        and maps are rendered too. Raises ``ExpressionEvaluationError``."""
        ...

    def render_in(self, run: TaskRun, source: Any) -> Any:
        """``source`` rendered as ``render`` does, but with the variables of ``run``, a task run
        below this flowable (its ``taskrun``, ``item``, ``outputs``…; ``task`` stays the
        flowable's): how a loop renders what one of its iterations produced."""
        ...


@runtime_checkable
class Flowable(Protocol):
    """A task the executor decides: it creates children and says when it is done."""

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        """The child task runs to create now (possibly none) and, once the flowable is done,
        its terminal state (None while it is not)."""
        ...

    def flowable_outputs(self, ctx: FlowableContext) -> dict[str, Any] | None:
        """Outputs stored on the flowable's task run when it starts (If ``evaluationResult``…)."""
        ...


def worst(states: Sequence[StateType]) -> StateType:
    """The worst of ``states`` by Kestra's order; SUCCESS for none. CANCELLED counts as
    FAILED for ordering but is kept when it is the worst."""
    result = StateType.SUCCESS
    rank = 0
    for state in states:
        level = SEVERITY.get(state, 3 if state == StateType.CANCELLED else 0)
        if level > rank:
            result, rank = state, level
    return result


def value_text(value: Any) -> str:
    """A loop value as ``taskrun.value``: strings as they are, maps and lists as JSON, other
    scalars as Java writes them (``true``, ``1``, ``1.5``)."""
    import json

    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def flag(value: Any) -> bool:
    """A rendered boolean property: ``true``/``false`` text (any case) or a real boolean."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def loop_values(ctx: FlowableContext, values: Any) -> list[Any]:
    """Render ``values`` (a list, or an expression / JSON array text) into a list."""
    import json

    rendered = ctx.render(values)
    if isinstance(rendered, str):
        try:
            rendered = json.loads(rendered)
        except ValueError as error:
            raise ValueError(f"values must be a list or a JSON array, got {rendered!r}") from error
    if isinstance(rendered, dict):
        return [{"key": k, "value": v} for k, v in rendered.items()]
    if not isinstance(rendered, list):
        raise ValueError(f"values must be a list or a JSON array, got {rendered!r}")
    return rendered


@dataclass(frozen=True)
class PausePlan:
    """How a started Pause waits: for ``duration`` (None = until resumed), then ``behavior``
    (RESUME, WARN, FAIL, CANCEL)."""

    duration: timedelta | None = None
    behavior: str = "RESUME"


@dataclass(frozen=True)
class SubflowRequest:
    """The child execution a Subflow task run starts."""

    namespace: str
    flow_id: str
    revision: int | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    labels: tuple[tuple[str, str], ...] = ()
    wait: bool = True
    transmit_failed: bool = True
    schedule_date: datetime | None = None
    #: copy the parent execution's labels (system ones excepted) before ``labels``
    inherit_labels: bool = False


@dataclass(frozen=True)
class ExecutionUpdate:
    """What an executor-run task (Labels, Exit) changes on the execution."""

    labels: tuple[tuple[str, str], ...] = ()
    exit_state: StateType | None = None
    #: execution variables to set (``vars.*``); existing ones are replaced when ``overwrite``
    set_variables: Mapping[str, Any] | None = None
    overwrite: bool = True
    #: execution variables to remove; a missing one is an error unless ``ignore_missing``
    unset_variables: tuple[str, ...] = ()
    ignore_missing: bool = False


@runtime_checkable
class Pausing(Protocol):
    """A task that pauses the execution when it starts (Pause)."""

    def pause_plan(self, ctx: FlowableContext) -> PausePlan:
        """How to wait."""
        ...


@runtime_checkable
class SubflowStarting(Protocol):
    """A task that starts a child execution (Subflow)."""

    def subflow_request(self, ctx: FlowableContext) -> SubflowRequest:
        """The child execution to start."""
        ...


@runtime_checkable
class SubflowsStarting(Protocol):
    """A task that starts several child executions and ends when all ended (ForEachItem's
    ``_items``); it is RUNNING meanwhile with ``numberOfBatches`` and ``iterations`` outputs."""

    def subflow_requests(self, ctx: FlowableContext) -> list[SubflowRequest]:
        """The child executions to start."""
        ...


@runtime_checkable
class InternalTasks(Protocol):
    """A flowable whose children are tasks it makes itself (ForEachItem's split/items/merge):
    the runtime must be able to find them by id."""

    def internal_tasks(self) -> list[Task]:
        """The internal tasks (stable objects)."""
        ...


@runtime_checkable
class ExecutionUpdating(Protocol):
    """A task the executor runs itself to change the execution (Labels, Exit)."""

    def update_execution(self, ctx: FlowableContext) -> ExecutionUpdate:
        """The change to apply; the task run ends SUCCESS unless an exit state is given."""
        ...


@runtime_checkable
class Waking(Protocol):
    """A flowable that waits between rounds of children (LoopUntil)."""

    def wake_at(self, ctx: FlowableContext) -> datetime | None:
        """When to be asked again although no child changed (None: no timer)."""
        ...


@dataclass(frozen=True)
class Branch:
    """An ordered task list run for one loop value (None outside loops)."""

    tasks: Sequence[Task]
    value: str | None = None
    #: the ``iteration`` of every run of the branch: a loop gives all the tasks of one value
    #: (ForEach, Loop) or round (LoopUntil) the same number, the value's 0-based index, as
    #: Kestra's ``resolveEachTasks`` does
    iteration: int | None = None


class LoopBranches(list[Branch]):
    """Branches that all run the very same task list, numbered as a loop (iteration = the
    value's index): what ``ForEach``-like flowables build once per task run. Deciding over them
    skips the shape checks that would otherwise scan every branch at every decision."""

    def __init__(self, tasks: Sequence[Task], values: Sequence[str]) -> None:
        super().__init__(Branch(tasks, text, i) for i, text in enumerate(values))
        self.tasks = tasks


def enabled(tasks: Sequence[Task] | None) -> list[Task]:
    """The tasks that are not ``disabled``."""
    return [t for t in tasks or () if not t.disabled]


def apply_allowances(task: Task, state: StateType) -> StateType:
    """``allowFailure`` (FAILED → WARNING) then ``allowWarning`` (WARNING → SUCCESS)."""
    if task.allowFailure and state == StateType.FAILED:
        state = StateType.WARNING
    if task.allowWarning and state == StateType.WARNING:
        state = StateType.SUCCESS
    return state

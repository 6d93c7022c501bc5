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
  > PAUSED > SUCCESS); ``errors`` and ``finally`` never decide it. ``errors`` run when the
  ``tasks`` branch failed; ``finally`` runs after ``tasks`` (and ``errors``) ended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from legato.model.execution import SEVERITY, StateType, TaskRun
from legato.model.tasks import Task

_FAILED = frozenset({StateType.FAILED, StateType.KILLED, StateType.CANCELLED})


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

    def render(self, source: Any, extra: Mapping[str, Any] | None = None) -> Any:
        """``source`` rendered with this task run's variables (``extra`` merged over them, maps
        one level deep), keeping native types for a lone ``{{ expr }}``; strings inside lists
        and maps are rendered too. Raises ``ExpressionEvaluationError``."""
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
    iteration: int | None = None
    #: how ``iteration`` grows from one task of the branch to the next (ForEach numbers every
    #: (value, task) pair; LoopUntil gives all tasks of a round the same number)
    step: int = 0

    def iteration_of(self, index: int) -> int | None:
        """The ``iteration`` of the run of task ``index``."""
        return None if self.iteration is None else self.iteration + index * self.step


def enabled(tasks: Sequence[Task] | None) -> list[Task]:
    """The tasks that are not ``disabled``."""
    return [t for t in tasks or () if not t.disabled]


def branch_runs(ctx: FlowableContext, branch: Branch) -> list[TaskRun | None]:
    """The child task run of each task of ``branch`` (None when not created yet)."""
    return [
        ctx.child(t.id, branch.value, branch.iteration_of(i)) for i, t in enumerate(branch.tasks)
    ]


def _prefix(ctx: FlowableContext, branch: Branch) -> tuple[int, TaskRun | None]:
    """``(k, run of task k-1)``: a sequential list creates its runs in order, so the first ``k``
    tasks have a run and the others none; found by bisection in O(log n) lookups."""
    tasks = branch.tasks

    def run_of(index: int) -> TaskRun | None:
        return ctx.child(tasks[index].id, branch.value, branch.iteration_of(index))

    last = run_of(len(tasks) - 1)
    if last is not None:
        return len(tasks), last
    low, high = 0, len(tasks) - 1
    while low < high:
        middle = (low + high) // 2
        if run_of(middle) is None:
            high = middle
        else:
            low = middle + 1
    return low, (run_of(low - 1) if low else None)


def sequential_next(ctx: FlowableContext, branch: Branch) -> list[NextRun]:
    """The next task of a sequential list: the first one without a run, once every earlier one
    ended without failing."""
    if not branch.tasks:
        return []
    created, last = _prefix(ctx, branch)
    if created == len(branch.tasks):
        return []
    if last is not None and (not last.state.current.is_terminal or last.state.current in _FAILED):
        return []
    return [NextRun(branch.tasks[created], branch.value, branch.iteration_of(created))]


def branch_status(ctx: FlowableContext, branch: Branch) -> tuple[bool, StateType]:
    """``(done, worst state)`` of a sequential list: done when every task ended, or when one
    failed (a failure stops the list). The state is only meaningful once done."""
    if not branch.tasks:
        return True, StateType.SUCCESS
    created, last = _prefix(ctx, branch)
    if last is None or not last.state.current.is_terminal:
        return False, StateType.SUCCESS
    if created < len(branch.tasks) and last.state.current not in _FAILED:
        return False, StateType.SUCCESS
    prefix = Branch(branch.tasks[:created], branch.value, branch.iteration, branch.step)
    runs = branch_runs(ctx, prefix)
    return True, worst([r.state.current for r in runs if r is not None])


def branches_next(ctx: FlowableContext, branches: Sequence[Branch], limit: int) -> list[NextRun]:
    """Next runs of branches run side by side, at most ``limit`` branches in progress (0 = no
    limit); no new branch starts after one failed."""
    nexts: list[NextRun] = []
    busy = 0
    failed = False
    for branch in branches:
        runs = branch_runs(ctx, branch)
        if runs and runs[0] is None:
            if failed or (limit and busy >= limit):
                break
            busy += 1
            nexts.append(NextRun(branch.tasks[0], branch.value, branch.iteration))
            continue
        done, state = branch_status(ctx, branch)
        failed = failed or state in _FAILED
        if not done:
            busy += 1
            nexts.extend(sequential_next(ctx, branch))
    return nexts


def branches_status(ctx: FlowableContext, branches: Sequence[Branch]) -> tuple[bool, StateType]:
    """``(done, worst state)`` of branches run side by side: done when every started branch is
    done and either all started or one failed."""
    states: list[StateType] = []
    all_started = True
    all_done = True
    for branch in branches:
        if ctx.child(branch.tasks[0].id, branch.value, branch.iteration_of(0)) is None:
            all_started = False
            continue
        done, state = branch_status(ctx, branch)
        states.append(state)
        all_done = all_done and done
    state = worst(states)
    return all_done and (all_started or state in _FAILED), state


def with_handlers(
    ctx: FlowableContext,
    main: tuple[bool, StateType, list[NextRun]],
    errors: Sequence[Task] | None,
    finally_: Sequence[Task] | None,
) -> tuple[list[NextRun], StateType | None]:
    """Chain ``errors`` (when the main branch failed) and ``finally`` after a main branch given
    as ``(done, state, next runs)``; returns the runs to create and the final state when done."""
    done, state, nexts = main
    if not done:
        return nexts, None
    if state in _FAILED and enabled(errors):
        handler = Branch(enabled(errors))
        handled, _ = branch_status(ctx, handler)
        if not handled:
            return sequential_next(ctx, handler), None
    tail = Branch(enabled(finally_))
    if tail.tasks:
        ended, _ = branch_status(ctx, tail)
        if not ended:
            return sequential_next(ctx, tail), None
    return [], state


def sequence_decision(
    ctx: FlowableContext,
    tasks: Sequence[Task],
    errors: Sequence[Task] | None = None,
    finally_: Sequence[Task] | None = None,
) -> tuple[list[NextRun], StateType | None]:
    """Kestra's ``resolveSequentialNexts`` + ``resolveState`` for a plain task list: the runs to
    create and, when everything ended, the state. Children carry no loop value of their own
    (Kestra's ``resolveTasks``): outputs of tasks inside a loop are nested by their ancestors'
    values, and the value is read as ``parent.taskrun.value``."""
    branch = Branch(enabled(tasks))
    if not branch.tasks:
        return with_handlers(ctx, (True, StateType.SUCCESS, []), errors, finally_)
    done, state = branch_status(ctx, branch)
    nexts = [] if done else sequential_next(ctx, branch)
    return with_handlers(ctx, (done, state, nexts), errors, finally_)


def concurrent_decision(
    ctx: FlowableContext,
    branches: Sequence[Branch],
    limit: int,
    errors: Sequence[Task] | None = None,
    finally_: Sequence[Task] | None = None,
) -> tuple[list[NextRun], StateType | None]:
    """Like ``sequence_decision`` for branches run side by side (Parallel, ForEach)."""
    kept = [b for b in branches if b.tasks]
    if not kept:
        return with_handlers(ctx, (True, StateType.SUCCESS, []), errors, finally_)
    if _one_task(kept):
        return with_handlers(ctx, _single_task_branches(ctx, kept, limit), errors, finally_)
    done, state = branches_status(ctx, kept)
    nexts = [] if done else branches_next(ctx, kept, limit)
    return with_handlers(ctx, (done, state, nexts), errors, finally_)


def _one_task(branches: Sequence[Branch]) -> bool:
    first = branches[0].tasks
    return len(first) == 1 and all(len(b.tasks) == 1 and b.tasks[0] is first[0] for b in branches)


def _single_task_branches(
    ctx: FlowableContext, branches: Sequence[Branch], limit: int
) -> tuple[bool, StateType, list[NextRun]]:
    """The loop of one task over many values, from state counts: branches start in order, so
    the first ``started`` ones exist. O(1) plus the runs created."""
    task = branches[0].tasks[0]
    counts = ctx.child_states(task.id)
    started = sum(counts.values())
    active = sum(n for state, n in counts.items() if not state.is_terminal)
    failed = any(counts.get(state) for state in _FAILED)
    state = worst([s for s, n in counts.items() if n and s.is_terminal])
    nexts: list[NextRun] = []
    if not failed:
        room = len(branches) - started if not limit else max(limit - active, 0)
        for branch in branches[started : started + room]:
            nexts.append(NextRun(task, branch.value, branch.iteration))
    done = not nexts and active == 0 and (failed or started == len(branches))
    return done, state, nexts


def apply_allowances(task: Task, state: StateType) -> StateType:
    """``allowFailure`` (FAILED → WARNING) then ``allowWarning`` (WARNING → SUCCESS)."""
    if task.allowFailure and state == StateType.FAILED:
        state = StateType.WARNING
    if task.allowWarning and state == StateType.WARNING:
        state = StateType.SUCCESS
    return state

"""Core flowables that repeat their children: ``ForEach``, the deprecated ``EachSequential`` /
``EachParallel``, and ``LoopUntil`` (alias ``WaitFor``); ``Loop`` (isolated iterations) is in
``loop``, on the same branches.

Invariants: ``values`` is required (a list, or a string/expression rendering to a JSON array);
``concurrencyLimit`` and ``concurrent`` are ≥ 0 (0 = no limit); ``tasks`` is non-empty.
``LoopUntil`` is the current name; ``io.kestra.plugin.core.flow.WaitFor`` is its alias, with
LoopUntil's ``checkFrequency`` defaults (interval PT1M, no maximum).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt

from legato.model.execution import StateType
from legato.model.property import Duration, Dyn, parse_duration
from legato.model.tasks import Task
from legato.plugins.core.flow.base import BranchingTask
from legato.plugins.core.values import NonEmptyTasks
from legato.sdk import plugin
from legato.sdk.flowable import (
    Branch,
    FlowableContext,
    LoopBranches,
    NextRun,
    enabled,
    flag,
    loop_values,
    value_text,
)
from legato.sdk.flowable_utils import (
    branch_status,
    concurrent_decision,
    sequential_next,
    with_handlers,
)

#: rendered loop branches per (task object, task run id): values are rendered once per run
_BRANCHES: dict[tuple[int, str], tuple[object, LoopBranches]] = {}


def loop_branches(
    owner: object,
    ctx: FlowableContext,
    values: Any,
    tasks: Sequence[Task],
    texts: Callable[[list[Any]], list[str]] | None = None,
) -> LoopBranches:
    """One branch of ``tasks`` per loop value (``taskrun.value`` text; by default the distinct
    values, ``texts`` may say otherwise); ``iteration`` is the value's 0-based index, the
    same for every task of the value, as Kestra's ``resolveEachTasks``."""
    key = (id(owner), ctx.task_run.id)
    cached = _BRANCHES.get(key)
    if cached is not None and cached[0] is owner:
        return cached[1]
    rendered = loop_values(ctx, values)
    branches = LoopBranches(enabled(tasks), (texts or distinct_values)(rendered))
    if len(_BRANCHES) > 1024:
        _BRANCHES.clear()
    _BRANCHES[key] = (owner, branches)
    return branches


def distinct_values(values: list[Any]) -> list[str]:
    """Kestra's each-values: their ``taskrun.value`` texts, duplicates dropped (first kept);
    a null value is an error."""
    nulls = sum(1 for value in values if value is None)
    if nulls:
        raise ValueError(f"found {nulls} null value(s) in the loop values {values!r}; remove them")
    return list(dict.fromkeys(value_text(value) for value in values))


def loop_decision(
    task: BranchingTask, ctx: FlowableContext, branches: LoopBranches, limit: int
) -> tuple[list[NextRun], StateType | None]:
    """Kestra's each-loop: branches side by side, ``limit`` at a time (0 = all)."""
    return concurrent_decision(ctx, branches, limit, task.errors, task.finally_)


#: a list of values, or a string (JSON array or expression) rendering to one
LoopValues = list[Any] | dict[str, Any] | str


@plugin(
    "io.kestra.plugin.core.flow.ForEach",
    title="Run a group of tasks for each value of a list.",
)
class ForEach(BranchingTask):
    """Run ``tasks`` once per value, ``concurrencyLimit`` groups at a time (0 = all)."""

    values: LoopValues
    concurrencyLimit: Dyn[NonNegativeInt] = 1
    tasks: NonEmptyTasks

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        branches = loop_branches(self, ctx, self.values, self.tasks)
        return loop_decision(self, ctx, branches, int(ctx.render(self.concurrencyLimit)))


@plugin(
    "io.kestra.plugin.core.flow.EachSequential",
    aliases=("io.kestra.core.tasks.flows.EachSequential",),
    title="Run tasks sequentially for each value (deprecated: use ForEach).",
    deprecated=True,
)
class EachSequential(BranchingTask):
    """Run ``tasks`` sequentially for each value (deprecated: use ``ForEach``)."""

    value: LoopValues
    tasks: NonEmptyTasks

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        return loop_decision(self, ctx, loop_branches(self, ctx, self.value, self.tasks), 1)


@plugin(
    "io.kestra.plugin.core.flow.EachParallel",
    aliases=("io.kestra.core.tasks.flows.EachParallel",),
    title="Run tasks in parallel for each value (deprecated: use ForEach).",
    deprecated=True,
)
class EachParallel(BranchingTask):
    """Run ``tasks`` in parallel for each value (deprecated: use ``ForEach``)."""

    value: LoopValues
    concurrent: NonNegativeInt = 0
    tasks: NonEmptyTasks

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        branches = loop_branches(self, ctx, self.value, self.tasks)
        return loop_decision(self, ctx, branches, self.concurrent)


def _positive(delta: timedelta) -> timedelta:
    if delta <= timedelta(0):
        raise ValueError("must be a positive duration")
    return delta


PositiveDuration = Annotated[Duration, AfterValidator(_positive)]


class CheckFrequency(BaseModel):
    """How often ``LoopUntil`` re-runs its tasks, and when it gives up."""

    model_config = ConfigDict(extra="forbid")

    maxIterations: Dyn[PositiveInt] | None = None
    maxDuration: Dyn[PositiveDuration] | None = None
    interval: Dyn[PositiveDuration] = timedelta(minutes=1)


@plugin(
    "io.kestra.plugin.core.flow.LoopUntil",
    aliases=("io.kestra.plugin.core.flow.WaitFor",),
    title="Repeat tasks until a condition becomes true.",
)
class LoopUntil(BranchingTask):
    """Repeat ``tasks`` until ``condition`` is truthy or a ``checkFrequency`` limit is hit."""

    condition: str
    failOnMaxReached: Dyn[bool] = False
    checkFrequency: CheckFrequency = Field(default_factory=CheckFrequency)
    tasks: NonEmptyTasks

    def _iteration(self, ctx: FlowableContext) -> int:
        """The number of the latest iteration started (0 before the first)."""
        return max((run.iteration or 0 for run in ctx.children()), default=0)

    def _settings(self, ctx: FlowableContext) -> tuple[int | None, timedelta | None, timedelta]:
        check = self.checkFrequency
        max_iterations = ctx.render(check.maxIterations)
        return (
            int(max_iterations) if max_iterations is not None else None,
            _duration(ctx.render(check.maxDuration)),
            _duration(ctx.render(check.interval)) or timedelta(minutes=1),
        )

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        iteration = self._iteration(ctx)
        branch = Branch(enabled(self.tasks), None, iteration)
        if iteration == 0:
            return [NextRun(branch.tasks[0], branch.value, 1)], None
        done, state = branch_status(ctx, branch)
        if not done:
            return sequential_next(ctx, branch), None
        outcome = self._outcome(ctx, iteration, state)
        if outcome is None:
            due = self.wake_at(ctx)
            if due is not None and ctx.now >= due:
                return [NextRun(branch.tasks[0], branch.value, iteration + 1)], None
            return [], None
        return with_handlers(ctx, (True, outcome, []), self.errors, self.finally_)

    def _outcome(self, ctx: FlowableContext, iteration: int, state: StateType) -> StateType | None:
        """The final state after ``iteration`` ended in ``state``, None to loop again."""
        if state in (StateType.FAILED, StateType.KILLED):
            return state
        if value_text(ctx.render(self.condition)).strip() not in ("false", "0", "-0", ""):
            return state
        max_iterations, max_duration, _ = self._settings(ctx)
        started = ctx.task_run.state.startDate
        reached = (max_iterations is not None and iteration >= max_iterations) or (
            max_duration is not None and ctx.now - started >= max_duration
        )
        if not reached:
            return None
        return StateType.FAILED if flag(ctx.render(self.failOnMaxReached)) else StateType.SUCCESS

    def wake_at(self, ctx: FlowableContext) -> datetime | None:
        """The next iteration starts ``interval`` after the previous one ended."""
        iteration = self._iteration(ctx)
        runs = [r for r in ctx.children() if r.iteration == iteration]
        if not runs or any(not r.state.current.is_terminal for r in runs):
            return None
        ended = max(r.state.histories[-1].date for r in runs)
        return ended + self._settings(ctx)[2]

    def final_outputs(self, ctx: FlowableContext) -> dict[str, Any]:
        return {"iterationCount": self._iteration(ctx)}


def _duration(value: Any) -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    return parse_duration(str(value))

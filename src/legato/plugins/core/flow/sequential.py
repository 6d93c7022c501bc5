"""Core flowables that run a list of children: ``Sequential``, ``Parallel``, ``AllowFailure``.

Invariants: ``tasks`` is required and non-empty for all three (Kestra's "The 'tasks' property
cannot be empty"); ``Parallel.concurrent`` is ≥ 0, 0 meaning no limit.
"""

from __future__ import annotations

from pydantic import NonNegativeInt

from legato.model.execution import StateType
from legato.model.property import Dyn
from legato.plugins.core.flow.base import BranchingTask
from legato.plugins.core.values import NonEmptyTasks
from legato.sdk import plugin
from legato.sdk.flowable import Branch, FlowableContext, NextRun, enabled
from legato.sdk.flowable_utils import concurrent_decision, sequence_decision


@plugin(
    "io.kestra.plugin.core.flow.Sequential",
    aliases=("io.kestra.core.tasks.flows.Sequential",),
    title="Run tasks one after the other.",
)
class Sequential(BranchingTask):
    """Run tasks one after the other."""

    tasks: NonEmptyTasks

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        return sequence_decision(ctx, self.tasks, self.errors, self.finally_)


@plugin(
    "io.kestra.plugin.core.flow.Parallel",
    aliases=("io.kestra.core.tasks.flows.Parallel",),
    title="Run tasks in parallel.",
)
class Parallel(BranchingTask):
    """Run tasks in parallel, at most ``concurrent`` at a time (0 = all)."""

    tasks: NonEmptyTasks
    concurrent: Dyn[NonNegativeInt] = 0

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        branches = [Branch([task]) for task in enabled(self.tasks)]
        limit = int(ctx.render(self.concurrent))
        return concurrent_decision(ctx, branches, limit, self.errors, self.finally_)


@plugin(
    "io.kestra.plugin.core.flow.AllowFailure",
    aliases=("io.kestra.core.tasks.flows.AllowFailure",),
    title="Run tasks sequentially; a failure ends the group in WARNING.",
)
class AllowFailure(BranchingTask):
    """Run tasks sequentially; a failing child makes the group end in WARNING, not FAILED."""

    tasks: NonEmptyTasks

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        nexts, state = sequence_decision(ctx, self.tasks, self.errors, self.finally_)
        if state == StateType.FAILED:
            state = StateType.WARNING
        return nexts, state

"""Core flowables that run a list of children: ``Sequential``, ``Parallel``, ``AllowFailure``.

Invariants: ``tasks`` is required and non-empty for all three (Kestra's "The 'tasks' property
cannot be empty"); ``Parallel.concurrent`` is ≥ 0, 0 meaning no limit.
"""

from __future__ import annotations

from pydantic import NonNegativeInt

from legato.model.property import Dyn
from legato.plugins.core.flow.base import BranchingTask
from legato.plugins.core.values import NonEmptyTasks
from legato.sdk import plugin


@plugin(
    "io.kestra.plugin.core.flow.Sequential",
    aliases=("io.kestra.core.tasks.flows.Sequential",),
    title="Run tasks one after the other.",
)
class Sequential(BranchingTask):
    """Run tasks one after the other."""

    tasks: NonEmptyTasks


@plugin(
    "io.kestra.plugin.core.flow.Parallel",
    aliases=("io.kestra.core.tasks.flows.Parallel",),
    title="Run tasks in parallel.",
)
class Parallel(BranchingTask):
    """Run tasks in parallel, at most ``concurrent`` at a time (0 = all)."""

    tasks: NonEmptyTasks
    concurrent: Dyn[NonNegativeInt] = 0


@plugin(
    "io.kestra.plugin.core.flow.AllowFailure",
    aliases=("io.kestra.core.tasks.flows.AllowFailure",),
    title="Run tasks sequentially; a failure ends the group in WARNING.",
)
class AllowFailure(BranchingTask):
    """Run tasks sequentially; a failing child makes the group end in WARNING, not FAILED."""

    tasks: NonEmptyTasks

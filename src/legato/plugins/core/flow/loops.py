"""Core flowables that repeat their children: ``ForEach``, ``Loop``, the deprecated
``EachSequential`` / ``EachParallel``, and ``LoopUntil`` (alias ``WaitFor``).

Invariants: ``values`` is required (a list, or a string/expression rendering to a JSON array);
``concurrencyLimit`` and ``concurrent`` are ≥ 0 (0 = no limit); ``tasks`` is non-empty.
``LoopUntil`` is the current name; ``io.kestra.plugin.core.flow.WaitFor`` is its alias, with
LoopUntil's ``checkFrequency`` defaults (interval PT1M, no maximum).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt

from legato.model.property import Duration, Dyn
from legato.plugins.core.flow.base import BranchingTask
from legato.plugins.core.values import NonEmptyTasks
from legato.sdk import plugin

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


@plugin(
    "io.kestra.plugin.core.flow.Loop",
    title="Run a group of tasks for each value, each iteration in its own context.",
)
class Loop(BranchingTask):
    """Run ``tasks`` once per value; ``item.value`` is the current value."""

    values: LoopValues
    concurrencyLimit: NonNegativeInt = 0
    transmitFailed: bool = True
    outputs: list[dict[str, Any]] | None = None
    fetchType: Literal["AUTO", "FETCH", "STORE"] = "AUTO"
    breakWhen: str | None = None
    tasks: NonEmptyTasks


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

"""Core tasks that wait: ``Pause`` (until resumed or for a duration) and ``Sleep``.

Invariants: ``Pause.delay`` is the deprecated name of ``pauseDuration``: it is accepted, copied
into ``pauseDuration`` (as Kestra's setter does) and noted as a deprecation; giving both with
different values is an error. ``onResume`` holds input definitions (validated as flow inputs).
``Pause.tasks`` is deprecated but accepted. ``Sleep`` runs on a worker (a runnable task in
Kestra): it waits for ``duration`` and stops early when the task run is killed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import ValidationInfo, model_validator

from legato.model import inputs
from legato.model.execution import StateType
from legato.model.property import Duration, Dyn, parse_duration
from legato.plugins.core.flow.base import BranchingTask
from legato.plugins.core.values import note_deprecation
from legato.sdk import RunnableTask, Tasks, plugin
from legato.sdk.flowable import FlowableContext, NextRun, PausePlan
from legato.sdk.flowable_utils import sequence_decision
from legato.sdk.run_context import RunContext, TaskError


@plugin(
    "io.kestra.plugin.core.flow.Pause",
    aliases=("io.kestra.core.tasks.flows.Pause",),
    title="Pause the execution until it is resumed or a duration has passed.",
)
class Pause(BranchingTask):
    """Pause the execution until resumed (manually or via the API) or ``pauseDuration`` ends."""

    delay: Dyn[Duration] | None = None
    pauseDuration: Dyn[Duration] | None = None
    behavior: Dyn[Literal["RESUME", "WARN", "FAIL", "CANCEL"]] = "RESUME"
    onResume: list[inputs.AnyInput] | None = None
    tasks: Tasks | None = None

    def pause_plan(self, ctx: FlowableContext) -> PausePlan:
        """Wait ``pauseDuration`` then apply ``behavior``; else wait for a resume, failing
        after the legacy task ``timeout`` when one is set."""
        if self.pauseDuration is not None:
            return PausePlan(
                _duration(ctx.render(self.pauseDuration)), str(ctx.render(self.behavior))
            )
        if self.timeout is not None:
            return PausePlan(_duration(ctx.render(self.timeout)), "FAIL")
        return PausePlan(None, "RESUME")

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        return sequence_decision(ctx, self.tasks or [], self.errors, self.finally_)

    @model_validator(mode="before")
    @classmethod
    def _delay_is_pause_duration(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or data.get("delay") is None:
            return data
        if data.get("pauseDuration") not in (None, data["delay"]):
            raise ValueError(
                "'delay' is the deprecated name of 'pauseDuration'; set only 'pauseDuration'"
            )
        note_deprecation(info, "delay", "'delay' is deprecated on Pause; use 'pauseDuration'")
        return {**data, "pauseDuration": data["delay"]}


@plugin(
    "io.kestra.plugin.core.flow.Sleep",
    title="Wait for a duration.",
)
class Sleep(RunnableTask):
    """Wait for ``duration``."""

    duration: Dyn[Duration]

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Wait for the rendered ``duration``; no outputs."""
        duration = ctx.render_as(self.duration, timedelta)
        if duration.total_seconds() < 0:
            raise TaskError(f"Sleep duration must not be negative, got {duration}", retryable=False)
        ctx.wait_killed(duration.total_seconds())
        return None


def _duration(value: Any) -> timedelta:
    return value if isinstance(value, timedelta) else parse_duration(str(value))

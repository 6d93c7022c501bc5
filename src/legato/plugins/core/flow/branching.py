"""Core flowables that choose a branch: ``If`` (on a condition) and ``Switch`` (on a value).

Invariants: ``If.then`` is required and non-empty, ``If.else`` (alias of ``else_``) optional;
``Switch`` needs ``cases`` or ``defaults`` (Kestra: "No task defined, neither cases or default
have any tasks"), each case is a non-empty task list and ``defaults`` cannot be an empty list;
case keys are text (a YAML ``200:`` or ``true:`` key becomes ``"200"`` / ``"true"``, as Jackson
reads it).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from legato.model.execution import StateType
from legato.plugins.core.flow.base import BranchingTask
from legato.plugins.core.values import NonEmptyTasks
from legato.sdk import Tasks, plugin
from legato.sdk.flowable import FlowableContext, NextRun, value_text
from legato.sdk.flowable_utils import sequence_decision

_FALSY = frozenset({"false", "0", "-0", ""})


@plugin(
    "io.kestra.plugin.core.flow.If",
    aliases=("io.kestra.core.tasks.flows.If",),
    title="Run 'then' tasks when a condition is true, 'else' tasks otherwise.",
)
class If(BranchingTask):
    """Run ``then`` when ``condition`` is truthy, ``else`` otherwise."""

    condition: str
    then: NonEmptyTasks
    else_: Tasks | None = Field(None, alias="else")

    def flowable_outputs(self, ctx: FlowableContext) -> dict[str, Any] | None:
        text = value_text(ctx.render(self.condition)).strip()
        return {"evaluationResult": text not in _FALSY}

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        chosen = (ctx.task_run.outputs or {}).get("evaluationResult")
        tasks = self.then if chosen else (self.else_ or [])
        return sequence_decision(ctx, tasks, self.errors, self.finally_)


@plugin(
    "io.kestra.plugin.core.flow.Switch",
    aliases=("io.kestra.core.tasks.flows.Switch",),
    title="Run the task list of the case matching a value.",
)
class Switch(BranchingTask):
    """Run the tasks of the case whose key equals the rendered ``value``, else ``defaults``."""

    value: str
    cases: dict[str, NonEmptyTasks] | None = None
    defaults: NonEmptyTasks | None = None

    @field_validator("cases", mode="before")
    @classmethod
    def _keys_as_text(cls, cases: Any) -> Any:
        # YAML reads ``200:`` or ``true:`` as a number or a boolean; Kestra's keys are strings
        if isinstance(cases, dict):
            return {_as_text(key): value for key, value in cases.items()}
        return cases

    def flowable_outputs(self, ctx: FlowableContext) -> dict[str, Any] | None:
        value = value_text(ctx.render(self.value))
        matched = self.cases is not None and value in self.cases
        return {"value": value, "defaults": not matched}

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        outputs = ctx.task_run.outputs or {}
        cases = self.cases or {}
        if outputs.get("defaults", True):
            tasks = self.defaults or []
        else:
            tasks = cases[str(outputs.get("value"))]
        return sequence_decision(ctx, tasks, self.errors, self.finally_)

    @model_validator(mode="after")
    def _needs_a_branch(self) -> Switch:
        if not self.cases and not self.defaults:
            raise ValueError(
                "no task defined: a Switch needs 'cases' or 'defaults' with at least one task"
            )
        return self


def _as_text(key: Any) -> Any:
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int | float):
        return str(key)
    return key

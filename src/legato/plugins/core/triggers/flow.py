"""Core ``trigger.Flow``: start an execution when executions of other flows change state.

Invariants: ``states`` defaults to None, meaning Kestra's default (every terminal state plus
PAUSED); ``preconditions`` (1.0) and ``dependsOn`` / ``window`` / ``mode`` / ``minSatisfied``
(later releases) describe upstream dependencies. With ``mode: AT_LEAST``, ``minSatisfied`` is
required and may not exceed the number of ``dependsOn`` entries (Kestra's messages).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, PositiveInt, model_validator

from legato.model.property import Duration
from legato.plugins.core.values import ExecutionState
from legato.sdk import Trigger, plugin

FilterField = Literal["FLOW_ID", "NAMESPACE", "STATE", "EXPRESSION"]
FilterType = Literal[
    "EQUAL_TO",
    "NOT_EQUAL_TO",
    "IN",
    "NOT_IN",
    "IS_TRUE",
    "IS_FALSE",
    "IS_NULL",
    "IS_NOT_NULL",
    "STARTS_WITH",
    "ENDS_WITH",
    "REGEX",
    "CONTAINS",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UpstreamFlow(_Strict):
    """An upstream flow whose executions satisfy a precondition."""

    namespace: str
    flowId: str
    states: list[ExecutionState] | None = None
    labels: dict[str, Any] | None = None


class Filter(_Strict):
    """One filter of a ``where`` clause."""

    field: FilterField
    type: FilterType
    value: str | None = None
    values: list[str] | None = None


class Where(_Strict):
    """A named group of filters on upstream executions."""

    id: str
    operand: Literal["AND", "OR"] = "AND"
    filters: list[Filter]


class TimeWindow(_Strict):
    """The period in which all preconditions must be met."""

    type: Literal[
        "DURATION_WINDOW", "SLIDING_WINDOW", "DAILY_TIME_DEADLINE", "DAILY_TIME_WINDOW"
    ] = "DURATION_WINDOW"
    window: Duration | None = None
    windowAdvance: Duration | None = None
    startTime: str | None = None
    endTime: str | None = None
    deadline: str | None = None


class Preconditions(_Strict):
    """Upstream conditions that must all be met (within ``timeWindow``) to fire."""

    id: str | None = None
    flows: list[UpstreamFlow] | None = None
    where: list[Where] | None = None
    timeWindow: TimeWindow | None = None
    resetOnSuccess: bool = True


class Dependency(_Strict):
    """One ``dependsOn`` entry: executions of a flow (or namespace) in given states."""

    namespace: str | None = None
    flowId: str | None = None
    states: list[ExecutionState] | None = None
    labels: dict[str, Any] | None = None
    when: str = "true"


@plugin(
    "io.kestra.plugin.core.trigger.Flow",
    aliases=("io.kestra.core.models.triggers.types.Flow",),
    title="Start an execution when other flows' executions end (or change state).",
)
class Flow(Trigger):
    """Start an execution when upstream executions reach one of ``states``."""

    inputs: dict[str, Any] | None = None
    states: list[ExecutionState] | None = None
    preconditions: Preconditions | None = None
    dependsOn: list[Dependency] | None = None
    window: dict[str, Any] | None = None
    mode: Literal["ALL", "ANY", "AT_LEAST"] = "ALL"
    minSatisfied: PositiveInt | None = None

    @model_validator(mode="after")
    def _at_least(self) -> Flow:
        if self.mode != "AT_LEAST":
            return self
        if self.minSatisfied is None:
            raise ValueError("'minSatisfied' must be set when mode is AT_LEAST")
        if self.dependsOn is not None and self.minSatisfied > len(self.dependsOn):
            raise ValueError(
                f"'minSatisfied' cannot be greater than the number of 'dependsOn' conditions "
                f"({len(self.dependsOn)})"
            )
        return self

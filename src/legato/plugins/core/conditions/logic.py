"""Core combinator conditions: ``Expression`` (a Pebble test), ``Not``, ``Or`` and the
deprecated ``MultipleCondition`` (named sub-conditions met within a time window).

Invariants: ``Not.conditions`` and ``Or.conditions`` are non-empty lists of conditions;
``MultipleCondition`` needs an ``id`` matching the task-id pattern and a non-empty
``conditions`` map; its ``window`` / ``windowAdvance`` are deprecated spellings of
``sla.window`` / ``sla.windowAdvance``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, model_validator

from legato.model.property import Duration
from legato.plugins.core.conditions.legacy import aliases_of, type_of
from legato.plugins.core.triggers.flow import TimeWindow
from legato.plugins.core.values import note_deprecated_properties
from legato.sdk import AnyCondition, Condition, Conditions, plugin


def _non_empty(items: list[Condition]) -> list[Condition]:
    if not items:
        raise ValueError("'conditions' cannot be empty; list at least one condition")
    return items


NonEmptyConditions = Annotated[Conditions, AfterValidator(_non_empty)]


@plugin(
    type_of("Expression"),
    aliases=aliases_of("Expression"),
    title="True when a Pebble expression renders truthy.",
)
class Expression(Condition):
    """True when ``expression`` renders truthy."""

    expression: str


@plugin(type_of("Not"), aliases=aliases_of("Not"), title="True when none of the conditions is.")
class Not(Condition):
    """True when none of ``conditions`` is true."""

    conditions: NonEmptyConditions


@plugin(type_of("Or"), aliases=aliases_of("Or"), title="True when any of the conditions is.")
class Or(Condition):
    """True when at least one of ``conditions`` is true."""

    conditions: NonEmptyConditions


@plugin(
    type_of("MultipleCondition"),
    aliases=("io.kestra.core.models.conditions.types.MultipleCondition",),
    title="True when named conditions were all met within a window (deprecated).",
    deprecated=True,
)
class MultipleCondition(Condition):
    """True when each of ``conditions`` was met by some execution within ``sla``'s window."""

    id: str = Field(pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]*$")
    conditions: dict[str, AnyCondition] = Field(min_length=1)
    sla: TimeWindow | None = None
    timeWindow: TimeWindow | None = None
    window: Duration | None = None
    windowAdvance: Duration | None = None
    resetOnSuccess: bool = True

    @model_validator(mode="before")
    @classmethod
    def _deprecated_properties(cls, data: Any, info: ValidationInfo) -> Any:
        return note_deprecated_properties(
            data, info, {"window": "use 'sla.window'", "windowAdvance": "use 'sla.windowAdvance'"}
        )

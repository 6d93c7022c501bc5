"""Core ``trigger.Webhook``: start an execution when a URL holding a secret ``key`` is called.

Invariants: ``key`` is required, not blank and at most 256 characters; its conditions may not
include ``MultipleCondition`` (a webhook call is a single event); ``responseContentType`` is
``application/json`` or ``text/plain``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from legato.model.property import Dyn
from legato.model.violations import PropertyError
from legato.sdk import Condition, Trigger, plugin

MULTIPLE_CONDITION_TYPES = frozenset(
    {
        "io.kestra.plugin.core.condition.MultipleCondition",
        "io.kestra.core.models.conditions.types.MultipleCondition",
    }
)


@plugin(
    "io.kestra.plugin.core.trigger.Webhook",
    aliases=("io.kestra.core.models.triggers.types.Webhook",),
    title="Start an execution when a webhook URL is called.",
)
class Webhook(Trigger):
    """Start an execution when ``/executions/webhook/{namespace}/{flowId}/{key}`` is called."""

    key: str = Field(min_length=1, max_length=256, pattern=r"\S")
    inputs: dict[str, Any] | None = None
    wait: bool = False
    returnOutputs: bool = False
    responseContentType: Literal["application/json", "text/plain"] | None = None
    responseCode: Dyn[int] | None = None
    fetchType: Literal["NONE", "FETCH", "STORE"] = "FETCH"

    @field_validator("conditions")
    @classmethod
    def _no_multiple_condition(cls, conditions: list[Condition] | None) -> list[Condition] | None:
        for index, condition in enumerate(conditions or []):
            if condition.plugin_type in MULTIPLE_CONDITION_TYPES:
                raise PropertyError(
                    f"conditions[{index}] is a MultipleCondition, which a Webhook trigger cannot "
                    "use (a webhook call is a single event); use a Flow trigger with "
                    "'preconditions' instead, or remove the condition",
                    index,
                )
        return conditions

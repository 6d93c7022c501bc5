"""The smaller top-level parts of a flow: concurrency, SLAs, checks, plugin defaults, listeners.

Invariants:

* Property names and enum values are Kestra's; unknown properties are errors.
* ``concurrency.limit`` is required and positive; ``behavior`` defaults to ``QUEUE``.
* An SLA is ``MAX_DURATION`` (needs ``duration``) or ``EXECUTION_ASSERTION`` (needs ``assert``, an
  expression); both need ``id`` and ``behavior`` (FAIL, CANCEL or NONE). SLA labels may not use
  ``system.`` keys (checked in ``legato.model.validation``).
* A check needs ``condition`` (Kestra 2.0 also reads it as ``when``) and ``message``; ``style``
  defaults to ``INFO`` and ``behavior`` to ``BLOCK_EXECUTION``.
* A plugin default needs ``type`` and ``values``; ``forced`` defaults to false. Values are kept
  as written (expressions included) and only applied to properties the target plugin has.
* ``listeners`` are deprecated (Kestra replaced them with flow triggers and ``afterExecution``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from legato.model.conditions import Conditions
from legato.model.labels import Labels
from legato.model.plugin import PluginDefault
from legato.model.property import Duration, Expression
from legato.model.tasks import Tasks


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Concurrency(_Part):
    """At most ``limit`` running executions of the flow; ``behavior`` says what to do with more."""

    limit: Annotated[int, Field(gt=0)]
    behavior: Literal["QUEUE", "CANCEL", "FAIL"] = "QUEUE"


SlaBehavior = Literal["FAIL", "CANCEL", "NONE"]


class _Sla(_Part):
    id: str
    behavior: SlaBehavior
    labels: Labels | None = None


class MaxDurationSla(_Sla):
    """Breached when an execution runs longer than ``duration``."""

    type: Literal["MAX_DURATION"]
    duration: Duration


class ExecutionAssertionSla(_Sla):
    """Breached when the ``assert`` expression is not true for the execution."""

    type: Literal["EXECUTION_ASSERTION"]
    assertion: Expression = Field(alias="assert")


Sla = Annotated[
    Union[MaxDurationSla, ExecutionAssertionSla],  # noqa: UP007 - a discriminated union
    Field(discriminator="type"),
]


class Check(_Part):
    """A condition evaluated before an execution is created."""

    condition: Expression = Field(validation_alias=AliasChoices("condition", "when"))
    message: str
    style: Literal["ERROR", "SUCCESS", "WARNING", "INFO"] = "INFO"
    behavior: Literal["BLOCK_EXECUTION", "FAIL_EXECUTION", "CREATE_EXECUTION"] = "BLOCK_EXECUTION"


class PluginDefaultSpec(_Part):
    """One ``pluginDefaults`` entry as written in a flow."""

    type: Annotated[str, Field(min_length=1)]
    values: dict[str, Any]
    forced: bool = False

    def to_default(self) -> PluginDefault:
        """The entry as the ``PluginDefault`` the plugin validators apply."""
        return PluginDefault(self.type, dict(self.values), self.forced)


class Listener(_Part):
    """Deprecated: tasks run when an execution ends and ``conditions`` hold."""

    description: str | None = None
    conditions: Conditions | None = None
    tasks: Annotated[Tasks, Field(min_length=1)]

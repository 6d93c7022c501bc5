"""Core execution conditions, used on flow triggers: they test the upstream execution.

Invariants: ``ExecutionFlow`` needs ``namespace`` and ``flowId``; ``ExecutionNamespace`` needs
``namespace`` (``comparison`` EQUALS/PREFIX/SUFFIX, else ``prefix`` decides);
``ExecutionLabels.labels`` and ``ExecutionOutputs.expression`` are required. ``FlowCondition``
and ``FlowNamespaceCondition`` are deprecated but accepted.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from legato.model.property import Dyn
from legato.plugins.core import values
from legato.plugins.core.conditions.legacy import aliases_of, type_of
from legato.plugins.core.values import ExecutionState
from legato.sdk import Condition, plugin


@plugin(
    type_of("ExecutionFlow"),
    aliases=aliases_of("ExecutionFlow"),
    title="True for executions of a given flow.",
)
class ExecutionFlow(Condition):
    """True when the execution belongs to flow ``namespace``/``flowId``."""

    namespace: str
    flowId: str


@plugin(
    type_of("ExecutionNamespace"),
    aliases=aliases_of("ExecutionNamespace"),
    title="True for executions of a namespace.",
)
class ExecutionNamespace(Condition):
    """True when the execution's namespace matches ``namespace`` by ``comparison``."""

    namespace: str
    comparison: Literal["EQUALS", "PREFIX", "SUFFIX"] | None = None
    prefix: bool = False


@plugin(
    type_of("ExecutionStatus"),
    aliases=aliases_of("ExecutionStatus"),
    title="True for executions in (or not in) given states.",
)
class ExecutionStatus(Condition):
    """True when the execution's state is in ``in`` and not in ``notIn``."""

    in_: list[ExecutionState] | None = Field(None, alias="in")
    notIn: list[ExecutionState] | None = None


@plugin(
    type_of("ExecutionLabels"),
    aliases=aliases_of("ExecutionLabels"),
    title="True for executions carrying all given labels.",
)
class ExecutionLabels(Condition):
    """True when the execution carries every label of ``labels``."""

    labels: values.Labels


@plugin(
    type_of("ExecutionOutputs"),
    aliases=aliases_of("ExecutionOutputs"),
    title="True when an expression on the execution's outputs is true.",
)
class ExecutionOutputs(Condition):
    """True when ``expression`` (over ``outputs``) renders truthy."""

    expression: str


@plugin(
    type_of("HasRetryAttempt"),
    aliases=aliases_of("HasRetryAttempt"),
    title="True for executions where a retried task attempt is in given states.",
)
class HasRetryAttempt(Condition):
    """True when a retried task attempt's state is in ``in`` and not in ``notIn``."""

    in_: Dyn[list[ExecutionState]] | None = Field(None, alias="in")
    notIn: Dyn[list[ExecutionState]] | None = None


@plugin(
    "io.kestra.plugin.core.condition.FlowCondition",
    aliases=("io.kestra.core.models.conditions.types.FlowCondition",),
    title="True for a given flow (deprecated: use ExecutionFlow).",
    deprecated=True,
)
class FlowCondition(Condition):
    """True for flow ``namespace``/``flowId`` (deprecated)."""

    namespace: str
    flowId: str


@plugin(
    "io.kestra.plugin.core.condition.FlowNamespaceCondition",
    aliases=("io.kestra.core.models.conditions.types.FlowNamespaceCondition",),
    title="True for flows of a namespace (deprecated: use ExecutionNamespace).",
    deprecated=True,
)
class FlowNamespaceCondition(Condition):
    """True for flows of ``namespace`` (or under it with ``prefix``) (deprecated)."""

    namespace: str
    prefix: bool = False

"""Core execution tasks: ``Fail``, ``Exit``, ``Assert``, ``Labels``, ``Resume``, ``Count``,
``PurgeExecutions``, ``SetVariables`` and ``UnsetVariables``.

Invariants: ``Labels``, ``Exit`` and the variable tasks change the execution itself, so they run
in the executor (``runs_in_executor``); the others run on a worker. ``Assert.conditions`` and
``Labels.labels`` are required; ``PurgeExecutions.endDate`` and ``Count.expression`` too.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from legato.model.property import Dyn
from legato.plugins.core import values
from legato.plugins.core.values import ExecutionState
from legato.sdk import RunnableTask, plugin


@plugin(
    "io.kestra.plugin.core.execution.Fail",
    aliases=("io.kestra.core.tasks.executions.Fail",),
    title="Fail the execution, always or when a condition is true.",
)
class Fail(RunnableTask):
    """Fail the execution, always or when ``condition`` is truthy."""

    condition: str | None = None
    errorMessage: str = "Task failure"


@plugin(
    "io.kestra.plugin.core.execution.Exit",
    title="End the execution immediately in the given state.",
)
class Exit(RunnableTask):
    """End the execution immediately in ``state``."""

    runs_in_executor: ClassVar[bool] = True

    state: Dyn[Literal["SUCCESS", "WARNING", "KILLED", "FAILED", "CANCELED"]] = "SUCCESS"


@plugin(
    "io.kestra.plugin.core.execution.Assert",
    title="Fail when any of the given conditions is false.",
)
class Assert(RunnableTask):
    """Fail when any of ``conditions`` renders falsy."""

    conditions: Dyn[list[str]]
    errorMessage: str | None = None


@plugin(
    "io.kestra.plugin.core.execution.Labels",
    aliases=("io.kestra.core.tasks.executions.Labels",),
    title="Add or update labels of the current execution.",
)
class Labels(RunnableTask):
    """Add or update labels of the current execution."""

    runs_in_executor: ClassVar[bool] = True

    labels: values.Labels


@plugin(
    "io.kestra.plugin.core.execution.Resume",
    title="Resume a paused execution.",
)
class Resume(RunnableTask):
    """Resume a paused execution (the current one unless ``executionId`` is given)."""

    namespace: str | None = None
    flowId: str | None = None
    executionId: str | None = None
    inputs: Dyn[dict[str, Any]] | None = None


class CountedFlow(BaseModel):
    """One flow whose executions ``Count`` counts."""

    model_config = ConfigDict(extra="forbid")

    namespace: str
    flowId: str


@plugin(
    "io.kestra.plugin.core.execution.Count",
    aliases=("io.kestra.core.tasks.executions.Counts",),
    title="Count executions of flows and keep those matching an expression.",
)
class Count(RunnableTask):
    """Count executions of flows and keep the results for which ``expression`` is true."""

    expression: str
    flows: list[CountedFlow] | None = None
    namespaces: Dyn[list[str]] | None = None
    states: Dyn[list[ExecutionState]] | None = None
    startDate: str | None = None
    endDate: str | None = None


@plugin(
    "io.kestra.plugin.core.execution.PurgeExecutions",
    aliases=("io.kestra.core.tasks.storages.Purge", "io.kestra.plugin.core.storage.Purge"),
    title="Purge executions, logs, metrics and files between two dates.",
)
class PurgeExecutions(RunnableTask):
    """Purge executions, logs, metrics and storage files created before ``endDate``."""

    namespace: str | None = None
    flowId: str | None = None
    startDate: str | None = None
    endDate: str
    states: Dyn[list[ExecutionState]] | None = None
    purgeExecution: Dyn[bool] = True
    purgeLog: Dyn[bool] = True
    purgeMetric: Dyn[bool] = True
    purgeStorage: Dyn[bool] = True
    batchSize: Dyn[int] | None = None


@plugin(
    "io.kestra.plugin.core.execution.SetVariables",
    title="Set execution variables, readable as {{ vars.name }}.",
)
class SetVariables(RunnableTask):
    """Set execution variables (``vars.*``), replacing existing ones unless ``overwrite`` is
    false."""

    runs_in_executor: ClassVar[bool] = True

    variables: Dyn[dict[str, Any]]
    overwrite: Dyn[bool] = True


@plugin(
    "io.kestra.plugin.core.execution.UnsetVariables",
    title="Remove execution variables.",
)
class UnsetVariables(RunnableTask):
    """Remove the execution variables named in ``variables``."""

    runs_in_executor: ClassVar[bool] = True

    variables: Dyn[list[str]]
    ignoreMissing: Dyn[bool] = False

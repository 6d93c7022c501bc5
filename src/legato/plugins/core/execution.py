"""Core execution tasks: ``Fail``, ``Exit``, ``Assert``, ``Labels``, ``Resume``, ``Count``,
``PurgeExecutions``, ``SetVariables`` and ``UnsetVariables``.

Invariants: ``Labels``, ``Exit`` and the variable tasks change the execution itself, so they run
in the executor (``runs_in_executor``); the others run on a worker. ``Assert.conditions`` and
``Labels.labels`` are required; ``PurgeExecutions.endDate`` and ``Count.expression`` too.
``Fail`` and ``Assert`` run: conditions are rendered as text and judged by Kestra's truthiness.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from legato.errors import ExpressionError
from legato.model.execution import StateType
from legato.model.property import Dyn, Expression
from legato.plugins.core import values
from legato.plugins.core.flow.base import render_labels
from legato.plugins.core.values import ExecutionState
from legato.sdk import RunnableTask, plugin
from legato.sdk import ports as platform_ports
from legato.sdk.flowable import ExecutionUpdate, FlowableContext, flag
from legato.sdk.run_context import RunContext, TaskError, is_truthy


@plugin(
    "io.kestra.plugin.core.execution.Fail",
    aliases=("io.kestra.core.tasks.executions.Fail",),
    title="Fail the execution, always or when a condition is true.",
)
class Fail(RunnableTask):
    """Fail the execution, always or when ``condition`` is truthy."""

    condition: str | None = None
    errorMessage: str = "Task failure"

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Fail with the rendered ``errorMessage`` when ``condition`` is absent or truthy."""
        if self.condition is not None and not is_truthy(ctx.render_string(self.condition)):
            return None
        raise TaskError(ctx.render_string(self.errorMessage))


@plugin(
    "io.kestra.plugin.core.execution.Exit",
    title="End the execution immediately in the given state.",
)
class Exit(RunnableTask):
    """End the execution immediately in ``state``."""

    runs_in_executor: ClassVar[bool] = True

    state: Dyn[Literal["SUCCESS", "WARNING", "KILLED", "FAILED", "CANCELED"]] = "SUCCESS"

    def update_execution(self, ctx: FlowableContext) -> ExecutionUpdate:
        """End the execution in ``state`` (Kestra's CANCELED is the CANCELLED state)."""
        state = str(ctx.render(self.state))
        if state not in ("SUCCESS", "WARNING", "KILLED", "FAILED", "CANCELED"):
            raise ValueError(
                f"Exit state must be SUCCESS, WARNING, KILLED, FAILED or CANCELED, got {state!r}"
            )
        return ExecutionUpdate(exit_state=StateType("CANCELLED" if state == "CANCELED" else state))


@plugin(
    "io.kestra.plugin.core.execution.Assert",
    title="Fail when any of the given conditions is false.",
)
class Assert(RunnableTask):
    """Fail when any of ``conditions`` renders falsy."""

    conditions: Dyn[list[str]]
    errorMessage: str | None = None

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Judge every condition, count ``success``/``failed``, fail if any is falsy."""
        failed = 0
        conditions = self._conditions(ctx)
        for condition in conditions:
            try:
                holds = is_truthy(ctx.render_string(condition))
            except ExpressionError as error:
                ctx.logger.error(f"Assertion `{condition}` failed, failed to render `{error}`")
                holds = False
            else:
                if not holds:
                    ctx.logger.error(f"Assertion `{condition}` failed!")
            failed += 0 if holds else 1
        ctx.metric("success", len(conditions) - failed)
        ctx.metric("failed", failed)
        if failed:
            extra = "" if self.errorMessage is None else "\n" + ctx.render_string(self.errorMessage)
            raise TaskError(f"{failed} assertion{'s' if failed > 1 else ''} failed!{extra}")
        return None

    def _conditions(self, ctx: RunContext) -> list[str]:
        if isinstance(self.conditions, Expression):
            return [str(item) for item in ctx.render_as(self.conditions, list)]
        return [str(item) for item in self.conditions]


@plugin(
    "io.kestra.plugin.core.execution.Labels",
    aliases=("io.kestra.core.tasks.executions.Labels",),
    title="Add or update labels of the current execution.",
)
class Labels(RunnableTask):
    """Add or update labels of the current execution."""

    runs_in_executor: ClassVar[bool] = True

    labels: values.Labels

    def update_execution(self, ctx: FlowableContext) -> ExecutionUpdate:
        """Add or replace the rendered labels on the execution."""
        return ExecutionUpdate(labels=render_labels(ctx, self.labels))


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

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Purge through the worker's ``executions`` port; output the four counts."""
        purger = platform_ports.execution_purger(ctx)
        start = None if self.startDate is None else _zoned(ctx.render(self.startDate), "startDate")
        states = None if self.states is None else ctx.render_as(self.states, list[str])
        request = platform_ports.PurgeRequest(
            end_date=_zoned(ctx.render(self.endDate), "endDate"),
            start_date=start,
            namespace=ctx.render_string(self.namespace) or None,
            flow_id=ctx.render_string(self.flowId) or None,
            states=None if states is None else tuple(states),
            executions=ctx.render_as(self.purgeExecution, bool),
            logs=ctx.render_as(self.purgeLog, bool),
            metrics=ctx.render_as(self.purgeMetric, bool),
            storage=ctx.render_as(self.purgeStorage, bool),
            batch_size=100 if self.batchSize is None else ctx.render_as(self.batchSize, int),
        )
        if request.flow_id and not request.namespace:
            raise TaskError("PurgeExecutions needs 'namespace' with 'flowId'", retryable=False)
        result = purger.purge(request)
        return {
            "executionsCount": result.executions,
            "logsCount": result.logs,
            "storagesCount": result.storages,
            "metricsCount": result.metrics,
        }


_ZONE_ID = re.compile(r"\[[^\]]+\]$")


def _zoned(value: Any, name: str) -> datetime:
    """A rendered date as Java's ``ZonedDateTime.parse`` reads it (``[Zone/Id]`` suffix
    dropped); a date alone is its midnight UTC, a local time is read as UTC."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        text = _ZONE_ID.sub("", str(value).strip()).replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise TaskError(
                f"'{name}' must be an ISO-8601 date-time such as 2024-01-31T00:00:00Z, "
                f"got '{value}'",
                retryable=False,
            ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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

    def update_execution(self, ctx: FlowableContext) -> ExecutionUpdate:
        """Set the rendered variables on the execution."""
        variables = ctx.render(self.variables)
        if not isinstance(variables, dict):
            raise ValueError(f"'variables' must render to a map, got {variables!r}")
        return ExecutionUpdate(set_variables=variables, overwrite=flag(ctx.render(self.overwrite)))


@plugin(
    "io.kestra.plugin.core.execution.UnsetVariables",
    title="Remove execution variables.",
)
class UnsetVariables(RunnableTask):
    """Remove the execution variables named in ``variables``."""

    runs_in_executor: ClassVar[bool] = True

    variables: Dyn[list[str]]
    ignoreMissing: Dyn[bool] = False

    def update_execution(self, ctx: FlowableContext) -> ExecutionUpdate:
        """Remove the named variables from the execution."""
        names = ctx.render(self.variables)
        if not isinstance(names, list):
            raise ValueError(f"'variables' must render to a list of names, got {names!r}")
        return ExecutionUpdate(
            unset_variables=tuple(str(name) for name in names),
            ignore_missing=flag(ctx.render(self.ignoreMissing)),
        )

"""Core log tasks: ``log.Log`` (write a message), ``log.Fetch`` (collect logs to a file) and
``log.PurgeLogs`` (delete logs). Properties, defaults and aliases as Kestra's; ``Log`` runs
(each message rendered as text and written at the rendered ``level``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from pydantic import Field

from legato.expressions.filters.ion import to_ion
from legato.model.property import Dyn
from legato.plugins.core.values import LogLevel
from legato.sdk import RunnableTask, plugin
from legato.sdk import ports as platform_ports
from legato.sdk.run_context import RunContext


@plugin(
    "io.kestra.plugin.core.log.Log",
    aliases=("io.kestra.core.tasks.log.Log",),
    title="Log a message (or a list of messages) in the task logs.",
)
class Log(RunnableTask):
    """Log a message (or a list of messages) in the task logs."""

    runs_inline: ClassVar[bool] = True  # renders only: run on the worker's loop

    message: str | list[str]
    level: Dyn[LogLevel] = "INFO"

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Write each rendered message at ``level``; no outputs."""
        level = ctx.render_string(self.level)
        messages = self.message if isinstance(self.message, list) else [self.message]
        for message in messages:
            ctx.logger.log(level, ctx.render_string(message))
        return None


@plugin(
    "io.kestra.plugin.core.log.Fetch",
    aliases=("io.kestra.core.tasks.log.Fetch",),
    title="Fetch execution logs and store them in a file.",
)
class Fetch(RunnableTask):
    """Fetch execution logs and store them in a file."""

    namespace: str | None = None
    flowId: str | None = None
    executionId: str | None = None
    tasksId: Dyn[list[str]] | None = None
    level: Dyn[LogLevel] = "INFO"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Write the logs, one ION row each, to a file; output ``uri`` and ``size`` (rows).

        Without ``executionId`` the current execution is read; with it, the execution must be
        of the flow named by ``namespace``/``flowId`` (the current flow's by default).
        """
        reader = platform_ports.log_reader(ctx)
        execution_id = ctx.render_string(self.executionId) or ctx.execution_id
        namespace = ctx.render_string(self.namespace) or ctx.flow_info.namespace
        flow_id = ctx.render_string(self.flowId) or ctx.flow_info.id
        level: str = ctx.render_string(self.level).upper()
        task_ids = None if self.tasksId is None else ctx.render_as(self.tasksId, list[str])
        entries = reader.fetch(execution_id, min_level=level, task_ids=task_ids or None)
        rows = [e for e in entries if _of_flow(e, namespace, flow_id) and _at_least(e, level)]
        path = ctx.working_dir() / f"logs-{ctx.task_run.id}.ion"
        with path.open("w", encoding="utf-8") as out:
            for entry in rows:
                out.write(to_ion(_ion_entry(entry)) + "\n")
        return {"uri": ctx.storage.put_file(path), "size": len(rows)}


def _of_flow(entry: Mapping[str, Any], namespace: str, flow_id: str) -> bool:
    same_namespace = entry.get("namespace", namespace) == namespace
    return bool(same_namespace and entry.get("flowId", flow_id) == flow_id)


def _at_least(entry: Mapping[str, Any], level: str) -> bool:
    levels = platform_ports.LEVELS
    found = str(entry.get("level", "INFO")).upper()
    return found not in levels or level not in levels or levels.index(found) >= levels.index(level)


def _ion_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry as Kestra serialises a LogEntry: no null fields, the timestamp as a date."""
    row = {key: value for key, value in entry.items() if value is not None}
    stamp = row.get("timestamp")
    if isinstance(stamp, str):
        with contextlib.suppress(ValueError):
            row["timestamp"] = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return row


@plugin(
    "io.kestra.plugin.core.log.PurgeLogs",
    title="Purge logs of flows or namespaces between two dates.",
)
class PurgeLogs(RunnableTask):
    """Purge logs of flows or namespaces between two dates."""

    namespace: str | None = None
    flowId: str | None = None
    executionId: str | None = None
    logLevels: Dyn[list[LogLevel]] | None = None
    startDate: str | None = None
    endDate: str = Field(...)

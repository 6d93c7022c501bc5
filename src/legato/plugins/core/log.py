"""Core log tasks: ``log.Log`` (write a message), ``log.Fetch`` (collect logs to a file) and
``log.PurgeLogs`` (delete logs). Declarations only: properties, defaults and aliases as Kestra's.
"""

from __future__ import annotations

from pydantic import Field

from legato.model.property import Dyn
from legato.plugins.core.values import LogLevel
from legato.sdk import RunnableTask, plugin


@plugin(
    "io.kestra.plugin.core.log.Log",
    aliases=("io.kestra.core.tasks.log.Log",),
    title="Log a message (or a list of messages) in the task logs.",
)
class Log(RunnableTask):
    """Log a message (or a list of messages) in the task logs."""

    message: str | list[str]
    level: Dyn[LogLevel] = "INFO"


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

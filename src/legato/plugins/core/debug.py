"""Core debug tasks: ``debug.Return`` (render a value as output) and the deprecated
``debug.Echo`` (log a rendered message)."""

from __future__ import annotations

from legato.model.property import Dyn
from legato.plugins.core.values import LogLevel
from legato.sdk import RunnableTask, plugin


@plugin(
    "io.kestra.plugin.core.debug.Return",
    aliases=("io.kestra.core.tasks.debugs.Return",),
    title="Render a templated value and return it as the 'value' output.",
)
class Return(RunnableTask):
    """Render a templated value and return it as the ``value`` output."""

    format: str | None = None


@plugin(
    "io.kestra.plugin.core.debug.Echo",
    aliases=("io.kestra.core.tasks.debugs.Echo",),
    title="Log a templated message (deprecated: use log.Log).",
    deprecated=True,
)
class Echo(RunnableTask):
    """Log a templated message (deprecated: use ``log.Log``)."""

    format: str
    level: Dyn[LogLevel] = "INFO"

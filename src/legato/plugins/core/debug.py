"""Core debug tasks: ``debug.Return`` (render a value as output) and the deprecated
``debug.Echo`` (log a rendered message). Both run: Return outputs ``value`` (null without
``format``) and, as Kestra, emits the ``length`` counter and the ``duration`` timer (seconds)."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from legato.model.property import Dyn
from legato.plugins.core.values import LogLevel
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext


@plugin(
    "io.kestra.plugin.core.debug.Return",
    aliases=("io.kestra.core.tasks.debugs.Return",),
    title="Render a templated value and return it as the 'value' output.",
)
class Return(RunnableTask):
    """Render a templated value and return it as the ``value`` output."""

    runs_inline: ClassVar[bool] = True  # renders only: run on the worker's loop

    format: str | None = None

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Output ``value``: the rendered ``format`` (logged at DEBUG)."""
        started = time.perf_counter()
        value = None if self.format is None else ctx.render_string(self.format)
        if value is not None:
            ctx.logger.debug(value)
        ctx.metric("length", len(value or ""))
        ctx.metric("duration", time.perf_counter() - started, "timer")
        return {"value": value}


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

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Write the rendered ``format`` at ``level``; no outputs."""
        level = ctx.render_string(self.level)
        ctx.logger.log(level, ctx.render_string(self.format))
        return None

"""Core output task: ``output.OutputValues`` exposes rendered values as task outputs.

Invariant: every string inside ``values`` (keys too) is rendered as text, as Kestra renders a
map property; a ``values`` given as one expression must render to a map (or a JSON object).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, ClassVar

from legato.model.property import Dyn, Expression
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext, TaskError, render_leaves


@plugin(
    "io.kestra.plugin.core.output.OutputValues",
    aliases=("io.kestra.core.tasks.outputs.OutputValues",),
    title="Output one or more rendered values.",
)
class OutputValues(RunnableTask):
    """Output one or more rendered values."""

    runs_inline: ClassVar[bool] = True  # renders only: run on the worker's loop

    values: Dyn[dict[str, Any]] | None = None

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Output ``values``: the rendered map (empty without ``values``)."""
        if self.values is None:
            return {"values": {}}
        if isinstance(self.values, Expression):
            return {"values": _as_map(ctx.render(self.values))}
        return {"values": render_leaves(ctx, self.values)}


def _as_map(rendered: Any) -> dict[str, Any]:
    if isinstance(rendered, str):
        with contextlib.suppress(ValueError):
            rendered = json.loads(rendered)
    if not isinstance(rendered, dict):
        raise TaskError(
            f"'values' must render to a map, got {type(rendered).__name__}", retryable=False
        )
    return rendered

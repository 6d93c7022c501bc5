"""Core output task: ``output.OutputValues`` exposes rendered values as task outputs."""

from __future__ import annotations

from typing import Any

from legato.model.property import Dyn
from legato.sdk import RunnableTask, plugin


@plugin(
    "io.kestra.plugin.core.output.OutputValues",
    aliases=("io.kestra.core.tasks.outputs.OutputValues",),
    title="Output one or more rendered values.",
)
class OutputValues(RunnableTask):
    """Output one or more rendered values."""

    values: Dyn[dict[str, Any]] | None = None

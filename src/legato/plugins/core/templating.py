"""Core ``templating.TemplatedTask``: a task whose whole definition is a rendered YAML ``spec``.

Invariant: ``spec`` is required; it is only rendered and parsed at run time. At run time the
rendered YAML must describe one runnable task (not another TemplatedTask, not a flowable); it is
validated with the worker's plugin registry and run with the same context, so its outputs are
the TemplatedTask's outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legato.model.yamlsource import Document, load_document
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext, TaskError


@plugin(
    "io.kestra.plugin.core.templating.TemplatedTask",
    aliases=("io.kestra.core.tasks.templating.TemplatedTask",),
    title="Render a task definition (YAML) and run the resulting task.",
)
class TemplatedTask(RunnableTask):
    """Render ``spec`` (a YAML task definition) and run the task it describes."""

    spec: str

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Run the task ``spec`` renders to; its outputs are returned."""
        definition = _definition(ctx.render_string(self.spec))
        task = ctx.load_task(definition)
        if isinstance(task, TemplatedTask):
            raise TaskError(
                f"The templated task cannot be of type '{TemplatedTask.plugin_type}'",
                retryable=False,
            )
        runner = getattr(task, "run", None)
        if getattr(task, "runs_in_executor", False) or not callable(runner):
            raise TaskError("The templated task must be a runnable task", retryable=False)
        result: dict[str, Any] | None = runner(ctx)
        return result


def _definition(text: str) -> Mapping[str, Any]:
    loaded = load_document(text)
    if not isinstance(loaded, Document):
        reason = "it is empty" if loaded is None else str(loaded.violations[0])
        raise TaskError(f"The templated task spec is not valid YAML: {reason}", retryable=False)
    if not isinstance(loaded.data, Mapping):
        raise TaskError(
            "The templated task spec must be a YAML mapping with 'id' and 'type'", retryable=False
        )
    return loaded.data

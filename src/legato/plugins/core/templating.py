"""Core ``templating.TemplatedTask``: a task whose whole definition is a rendered YAML ``spec``.

Invariant: ``spec`` is required; it is only rendered and parsed at run time.
"""

from __future__ import annotations

from legato.sdk import RunnableTask, plugin


@plugin(
    "io.kestra.plugin.core.templating.TemplatedTask",
    aliases=("io.kestra.core.tasks.templating.TemplatedTask",),
    title="Render a task definition (YAML) and run the resulting task.",
)
class TemplatedTask(RunnableTask):
    """Render ``spec`` (a YAML task definition) and run the task it describes."""

    spec: str

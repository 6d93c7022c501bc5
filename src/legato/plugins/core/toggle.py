"""Core ``trigger.Toggle`` task: enable or disable a trigger of a flow."""

from __future__ import annotations

from legato.sdk import RunnableTask, plugin


@plugin(
    "io.kestra.plugin.core.trigger.Toggle",
    aliases=("io.kestra.core.tasks.trigger.Toggle",),
    title="Enable or disable a trigger.",
)
class Toggle(RunnableTask):
    """Set trigger ``trigger`` of flow ``namespace``/``flowId`` (default: current) ``enabled``."""

    namespace: str | None = None
    flowId: str | None = None
    trigger: str
    enabled: bool = False

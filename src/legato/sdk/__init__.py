"""The plugin author's surface: base classes, property types and the ``@plugin`` decorator.

A task type is a pydantic model of its properties, with Kestra's names and defaults, declared
with ``@plugin("io.kestra.plugin.core.log.Log", aliases=(...), title=...)``. Plugins import only
this package (and ``legato.model`` for shared value types), never the engine's internals.
Publish a list of classes under the ``legato.plugins`` entry-point group to register them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from legato.model.conditions import AnyCondition, Condition, Conditions
from legato.model.plugin import Child, Plugin, PluginKind
from legato.model.property import Duration, Dyn, Expression
from legato.model.retry import Retry
from legato.model.runners import AnyTaskRunner, TaskRunner
from legato.model.tasks import AnyTask, FlowableTask, RunnableTask, Task, Tasks
from legato.model.triggers import AnyTrigger, PollingTrigger, Trigger, Triggers

P = TypeVar("P", bound=type[Plugin])

__all__ = [
    "AnyCondition",
    "AnyTask",
    "AnyTaskRunner",
    "AnyTrigger",
    "Child",
    "Condition",
    "Conditions",
    "Duration",
    "Dyn",
    "Expression",
    "FlowableTask",
    "Plugin",
    "PluginKind",
    "PollingTrigger",
    "Retry",
    "RunnableTask",
    "Task",
    "TaskRunner",
    "Tasks",
    "Trigger",
    "Triggers",
    "plugin",
]


def plugin(
    type_name: str,
    *,
    aliases: tuple[str, ...] = (),
    title: str = "",
    deprecated: bool = False,
) -> Callable[[P], P]:
    """Declare a class as the plugin for Kestra type ``type_name`` (plus legacy ``aliases``)."""

    def declare(cls: P) -> P:
        cls.plugin_type = type_name
        cls.aliases = tuple(aliases)
        cls.title = title or (cls.__doc__ or "").strip().split("\n")[0]
        cls.deprecated = deprecated
        return cls

    return declare

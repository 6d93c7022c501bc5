"""Installation settings a running task may consult: ``TaskSettings``, read with ``settings_of``.

Plugins never import Legato's configuration: the worker hands them the few settings that
change how a task behaves through its ``RunContext`` (the optional ``task_settings``
attribute). ``settings_of(ctx)`` reads it and falls back to the defaults for a context that
carries none (a test's fake context, a worker built without settings).

Invariants: ``TaskSettings`` is immutable and its defaults are Legato's documented defaults
(``docs/configuration.md``); a context's settings never change while a task runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from legato.sdk.run_context import RunContext

#: What a script task that asks for Docker does: ``process`` runs its commands with the Process
#: runner (one warning naming the image), ``fail`` fails the task run.
DockerFallback = Literal["process", "fail"]
DOCKER_FALLBACKS: tuple[DockerFallback, ...] = ("process", "fail")


@dataclass(frozen=True)
class TaskSettings:
    """The settings of the installation that running tasks see."""

    docker_fallback: DockerFallback = "process"


DEFAULT_TASK_SETTINGS = TaskSettings()


def settings_of(ctx: RunContext) -> TaskSettings:
    """The task settings ``ctx`` carries, or the defaults when it carries none."""
    found = getattr(ctx, "task_settings", None)
    return found if isinstance(found, TaskSettings) else DEFAULT_TASK_SETTINGS

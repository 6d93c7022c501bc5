"""The base of every task runner (where a script task's process runs: Process, Docker…)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from legato.model.plugin import Child, Plugin, PluginKind


class TaskRunner(Plugin):
    """A task runner; concrete ones are plugins."""

    kind: ClassVar[PluginKind] = PluginKind.TASK_RUNNER
    version: str | None = None


AnyTaskRunner = Annotated[TaskRunner, Child(PluginKind.TASK_RUNNER)]

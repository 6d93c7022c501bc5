"""Core ``WorkingDirectory`` flowable: runnable children sharing one working directory, all run
by one worker job.

Invariants (Kestra's ``WorkingDirectoryTaskValidator``): ``tasks`` is non-empty; every child is
a runnable task: flowables, Subflow and the executor-run tasks (Labels, Exit…) are refused and
the child is named in the message; no child sets ``workerGroup``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

from legato.model.property import Duration, Dyn
from legato.model.violations import PropertyError
from legato.plugins.core.flow.sequential import Sequential
from legato.sdk import Task, plugin


class Cache(BaseModel):
    """Files (glob ``patterns``) kept between runs, for ``ttl``."""

    model_config = ConfigDict(extra="forbid")

    patterns: list[str]
    ttl: Duration | None = None


class NamespaceFiles(BaseModel):
    """Which namespace files are copied into the working directory."""

    model_config = ConfigDict(extra="forbid")

    enabled: Dyn[bool] = True
    include: Dyn[list[str]] | None = None
    exclude: Dyn[list[str]] | None = None
    namespaces: Dyn[list[str]] | None = None
    ifExists: Dyn[str] | None = None
    folderPerNamespace: Dyn[bool] | None = None


@plugin(
    "io.kestra.plugin.core.flow.WorkingDirectory",
    aliases=("io.kestra.core.tasks.flows.WorkingDirectory", "io.kestra.core.tasks.flows.Worker"),
    title="Run tasks sequentially in the same working directory.",
)
class WorkingDirectory(Sequential):
    """Run runnable ``tasks`` one after the other in one shared working directory."""

    #: the whole group runs as one worker job (children are reported by the worker)
    dispatch_as_group: ClassVar[bool] = True

    cache: Cache | None = None
    namespaceFiles: NamespaceFiles | None = None
    inputFiles: dict[str, Any] | str | None = None
    outputFiles: Dyn[list[str]] | None = None

    @field_validator("tasks")
    @classmethod
    def _runnable_children(cls, tasks: list[Task]) -> list[Task]:
        for index, child in enumerate(tasks):
            if type(child).runs_in_executor:
                raise PropertyError(
                    f"only runnable tasks are allowed as children of a WorkingDirectory; "
                    f"'{child.id}' ({child.type}) runs in the executor: move it out of the "
                    "WorkingDirectory",
                    index,
                )
        for index, child in enumerate(tasks):
            if child.workerGroup is not None:
                raise PropertyError(
                    f"task '{child.id}' sets 'workerGroup': a worker group can only be set on "
                    "the WorkingDirectory itself, not on its tasks",
                    index,
                    "workerGroup",
                )
        return tasks

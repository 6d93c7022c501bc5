"""The base of every task: the properties Kestra gives all tasks (§3.1 of the reference).

``RunnableTask`` runs on a worker; ``FlowableTask`` is decided by the executor and holds child
tasks. ``Tasks`` types a list of nested tasks (resolved through the registry, see ``plugin``).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from legato.model.execution import TaskRun
from legato.model.plugin import Child, Plugin, PluginKind
from legato.model.property import Duration, Dyn, WorkerGroup
from legato.model.retry import Retry

TASK_ID_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9_-]*$"

LogLevel = Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]


class TaskCache(BaseModel):
    """``taskCache``: reuse outputs of an identical earlier run for ``ttl``."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = False
    ttl: Duration | None = None


class Task(Plugin):
    """Properties common to every task."""

    kind: ClassVar[PluginKind] = PluginKind.TASK
    #: True for tasks decided by the executor (flowables, Labels, Exit…)
    runs_in_executor: ClassVar[bool] = False

    id: str = Field(pattern=TASK_ID_PATTERN, max_length=256)
    description: str | None = None
    disabled: bool = False
    retry: Retry | None = None
    timeout: Dyn[Duration] | None = None
    allowFailure: bool = False
    allowWarning: bool = False
    runIf: Any = "true"
    logLevel: LogLevel | None = None
    logToFile: bool = False
    workerGroup: WorkerGroup = None
    taskCache: TaskCache | None = None
    version: str | None = None

    def iteration_item(self, child: TaskRun) -> dict[str, Any] | None:
        """The ``item`` variable of the iteration that ``child`` (a direct child run of this task)
        belongs to, for a loop whose iterations are isolated from each other (``flow.Loop``):
        tasks inside the iteration see ``item`` and only that iteration's outputs. None for every
        other task, and for children outside the iterations (``errors``, ``finally``)."""
        return None


class RunnableTask(Task):
    """A task that runs on a worker and may produce outputs."""

    #: True for tasks that only render properties and return values (no blocking I/O, no
    #: waiting): the worker runs them on its event loop, sparing a thread hand-off; one that
    #: calls a platform function (``kv()``, ``read()``…) is moved to a worker thread and rerun
    runs_inline: ClassVar[bool] = False


class FlowableTask(Task):
    """A task whose children the executor schedules (Sequential, If, ForEach…)."""

    runs_in_executor: ClassVar[bool] = True


#: a nested task, resolved by its ``type`` through the registry
AnyTask = Annotated[Task, Child(PluginKind.TASK)]
#: a list of nested tasks
Tasks = list[AnyTask]

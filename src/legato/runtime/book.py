"""The working copy of an execution inside one step: task runs indexed for O(1) lookups.

Invariants:

* ``runs`` keeps the order of ``taskRunList`` (new task runs are appended); ``children`` lists
  child ids per parent id (None = the flow's top-level lists) in creation order; ``keys`` maps
  ``(parent id, task id, value)`` to the task run id.
* Changing a task run goes through ``put`` so the indexes stay right; ``freeze`` builds the new
  immutable ``Execution``.
* ``tasks_by_id`` indexes the flow's tasks once per flow object.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from legato.model import tree
from legato.model.execution import Execution, State, StateType, TaskRun
from legato.model.flow import Flow
from legato.model.tasks import Task

_TASK_CACHE: dict[int, tuple[Flow, dict[str, Task]]] = {}


def tasks_by_id(flow: Flow) -> dict[str, Task]:
    """Every task of ``flow`` by id, nested ones included (cached per flow object)."""
    cached = _TASK_CACHE.get(id(flow))
    if cached is not None and cached[0] is flow:
        return cached[1]
    index = {task.id: task for _, task in tree.plugins_of(flow, Task)}
    if len(_TASK_CACHE) > 256:
        _TASK_CACHE.clear()
    _TASK_CACHE[id(flow)] = (flow, index)
    return index


@dataclass
class Book:
    """A mutable, indexed view of one execution during a step."""

    execution: Execution
    runs: dict[str, TaskRun] = field(default_factory=dict)
    children: dict[str | None, list[str]] = field(default_factory=dict)
    keys: dict[tuple[str | None, str, str | None, int | None], str] = field(default_factory=dict)
    state: State | None = None
    updates: dict[str, Any] = field(default_factory=dict)
    changed: bool = False
    #: bumped on every change (caches of derived data compare it)
    version: int = 0
    #: bumped when a task run is added or changes state or outputs
    data_version: int = 0
    _frozen: tuple[int, Execution] | None = None

    @classmethod
    def of(cls, execution: Execution) -> Book:
        book = cls(execution, state=execution.state)
        for run in execution.taskRunList:
            book._index(run)
        return book

    def _index(self, run: TaskRun) -> None:
        self.runs[run.id] = run
        self.children.setdefault(run.parentTaskRunId, []).append(run.id)
        self.keys[(run.parentTaskRunId, run.taskId, run.value, run.iteration)] = run.id

    def add(self, run: TaskRun) -> None:
        """Append a new task run."""
        self._index(run)
        self.changed = True
        self.version += 1
        self.data_version += 1

    def put(self, run: TaskRun) -> None:
        """Replace a task run (same id)."""
        old = self.runs[run.id]
        if old.state.current != run.state.current or old.outputs is not run.outputs:
            self.data_version += 1
        self.runs[run.id] = run
        self.changed = True
        self.version += 1

    def get(self, run_id: str) -> TaskRun | None:
        return self.runs.get(run_id)

    def child(
        self, parent_id: str | None, task_id: str, value: str | None, iteration: int | None
    ) -> TaskRun | None:
        run_id = self.keys.get((parent_id, task_id, value, iteration))
        return self.runs[run_id] if run_id is not None else None

    def children_of(self, parent_id: str | None) -> list[TaskRun]:
        return [self.runs[i] for i in self.children.get(parent_id, ())]

    def ancestors(self, run: TaskRun) -> Iterator[TaskRun]:
        """The parent task runs of ``run``, nearest first."""
        parent_id = run.parentTaskRunId
        while parent_id is not None and parent_id in self.runs:
            parent = self.runs[parent_id]
            yield parent
            parent_id = parent.parentTaskRunId

    def active(self) -> Iterator[TaskRun]:
        """Task runs that are not terminal."""
        return (run for run in self.runs.values() if not run.state.current.is_terminal)

    def set_state(self, state: StateType, at: Any) -> None:
        """Move the execution to ``state`` (history appended)."""
        assert self.state is not None
        new = self.state.with_state(state, at)
        if new is not self.state:
            self.state = new
            self.changed = True
            self.version += 1

    def head(self) -> Execution:
        """The execution's own fields as they are now, with the task runs of the step's start
        (cheap: for render variables, which do not read ``taskRunList``)."""
        if not self.updates and self.state is self.execution.state:
            return self.execution
        return self.execution.model_copy(update={"state": self.state, **self.updates})

    @property
    def current(self) -> StateType:
        assert self.state is not None
        return self.state.current

    def freeze(self) -> Execution:
        """The execution as it is now."""
        if self._frozen is not None and self._frozen[0] == self.version:
            return self._frozen[1]
        if not self.changed and not self.updates:
            return self.execution
        update: dict[str, Any] = {"taskRunList": tuple(self.runs.values()), "state": self.state}
        update.update(self.updates)
        frozen = self.execution.model_copy(update=update)
        self._frozen = (self.version, frozen)
        return frozen

    def update(self, **fields: Any) -> None:
        """Change top-level execution fields (labels, outputs, metadata…)."""
        self.updates.update(fields)
        self.version += 1

"""The working copy of an execution inside one step: task runs indexed for O(1) lookups.

Invariants:

* ``runs`` keeps the order of ``taskRunList`` (new task runs are appended); ``children`` lists
  child ids per parent id (None = the flow's top-level lists) in creation order; ``keys`` maps
  ``(parent id, task id, value)`` to the task run id.
* Changing a task run goes through ``put`` so the indexes stay right; ``freeze`` builds the new
  immutable ``Execution``.
* ``tasks_by_id`` indexes the flow's tasks once per flow object.
* When a step is given the very execution object the previous step returned, its book is forked
  (dicts copied at C speed, per-parent lists and counters copied on write) instead of rebuilt:
  a step then costs O(changes), not O(task runs). Any other object is indexed from scratch.
* The books kept for that are those of executions still going: an execution that ended with
  all its task runs drops its book, so finished executions (thousands of objects each) do not
  pile up in the heap until the cache is cleared, which made every full garbage collection
  slower (measured: ~50-80 ms pauses of the executor, each doubling a pass's time).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from legato.model import run_variables, tree
from legato.model.execution import Execution, State, StateType, TaskRun
from legato.model.flow import Flow
from legato.model.tasks import Task
from legato.sdk import flowable

_TASK_CACHE: dict[int, tuple[Flow, dict[str, Task]]] = {}
#: the book of the last transition per execution id (reused when the same object comes back)
_BOOKS: dict[str, Book] = {}


def tasks_by_id(flow: Flow) -> dict[str, Task]:
    """Every task of ``flow`` by id, nested ones included (cached per flow object)."""
    cached = _TASK_CACHE.get(id(flow))
    if cached is not None and cached[0] is flow:
        return cached[1]
    index = {task.id: task for _, task in tree.plugins_of(flow, Task)}
    for task in list(index.values()):
        if isinstance(task, flowable.InternalTasks):
            index.update({inner.id: inner for inner in task.internal_tasks()})
    if len(_TASK_CACHE) > 256:
        _TASK_CACHE.clear()
    _TASK_CACHE[id(flow)] = (flow, index)
    return index


def _over(execution: Execution) -> bool:
    """Ended with every task run ended (``afterExecution`` tasks run after the end)."""
    return execution.state.current.is_terminal and all(
        run.state.current.is_terminal for run in execution.taskRunList
    )


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
    #: ``outputs`` and ``tasks`` render trees, built on first use then updated copy-on-write
    trees: tuple[dict[str, Any], dict[str, Any]] | None = None
    _frozen: tuple[int, Execution] | None = None

    #: state → count of the children of each ``(parent id, task id)``
    counts: dict[tuple[str | None, str], dict[StateType, int]] = field(default_factory=dict)
    #: containers shared with the cached book of the previous step (copied before a change)
    _shared: set[int] = field(default_factory=set)
    #: ids of the task runs added or moved to another state during this step, per parent id
    moved: dict[str | None, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, execution: Execution) -> Book:
        """The book of ``execution``, reusing the indexes of the step that produced it."""
        cached = _BOOKS.get(execution.id)
        if cached is not None and cached.execution is execution:
            return cached._fork()
        book = cls(execution, state=execution.state)
        for run in execution.taskRunList:
            book._index(run)
        return book

    def _fork(self) -> Book:
        book = Book(
            self.execution,
            runs=dict(self.runs),
            children=dict(self.children),
            keys=dict(self.keys),
            state=self.execution.state,
            counts=dict(self.counts),
            trees=self.trees,
        )
        book._shared = {id(v) for v in book.children.values()} | {
            id(v) for v in book.counts.values()
        }
        return book

    def remember(self, execution: Execution) -> None:
        """Keep this book's indexes for the next step on ``execution`` (its frozen result);
        forget the execution's book instead when it is over (a later step — a restart, a stale
        report — indexes it again)."""
        if _over(execution):
            _BOOKS.pop(execution.id, None)
            return
        if len(_BOOKS) > 256:
            _BOOKS.clear()
        self.execution = execution
        self.updates = {}
        self.changed = False
        self._frozen = None
        self._shared = set()
        self.moved = {}
        _BOOKS[execution.id] = self

    def _own_children(self, parent: str | None) -> list[str]:
        ids = self.children.get(parent)
        if ids is None:
            ids = self.children[parent] = []
        elif id(ids) in self._shared:
            ids = self.children[parent] = list(ids)
        return ids

    def _own_counts(self, key: tuple[str | None, str]) -> dict[StateType, int]:
        counts = self.counts.get(key)
        if counts is None:
            counts = self.counts[key] = {}
        elif id(counts) in self._shared:
            counts = self.counts[key] = dict(counts)
        return counts

    def _count(self, run: TaskRun, delta: int) -> None:
        counts = self._own_counts((run.parentTaskRunId, run.taskId))
        state = run.state.current
        counts[state] = counts.get(state, 0) + delta

    def _index(self, run: TaskRun) -> None:
        self.runs[run.id] = run
        self._own_children(run.parentTaskRunId).append(run.id)
        self.keys[(run.parentTaskRunId, run.taskId, run.value, run.iteration)] = run.id
        self._count(run, 1)

    def child_states(self, parent_id: str | None, task_id: str) -> dict[StateType, int]:
        return self.counts.get((parent_id, task_id), {})

    def render_trees(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The ``outputs`` and ``tasks`` variables of the execution as it is now. The dicts are
        never changed once returned (updates copy the path they touch)."""
        if self.trees is None:
            execution = self.freeze()
            self.trees = (
                run_variables.execution_outputs(execution),
                run_variables.task_states(execution),
            )
        return self.trees

    def _update_trees(self, run: TaskRun) -> None:
        if self.trees is None:
            return
        outputs, states = self.trees
        path = run_variables.frame_values(run, self.runs)
        if run.outputs is not None:
            outputs = run_variables.put_copy(outputs, run.taskId, path, run.outputs)
        leaf = {"state": run.state.current.value}
        states = run_variables.put_copy(states, run.taskId, path, leaf)
        self.trees = (outputs, states)

    def moved_children(self, parent_id: str | None) -> list[TaskRun]:
        """Children of ``parent_id`` added or moved to another state during this step."""
        return [self.runs[i] for i in self.moved.get(parent_id, ())]

    def add(self, run: TaskRun) -> None:
        """Append a new task run."""
        self.moved.setdefault(run.parentTaskRunId, []).append(run.id)
        self._index(run)
        self._update_trees(run)
        self.changed = True
        self.version += 1

    def put(self, run: TaskRun) -> None:
        """Replace a task run (same id)."""
        old = self.runs[run.id]
        self.runs[run.id] = run
        if old.state.current != run.state.current:
            self.moved.setdefault(run.parentTaskRunId, []).append(run.id)
            self._count(old, -1)
            self._count(run, 1)
            self._update_trees(run)
        elif old.outputs is not run.outputs:
            self._update_trees(run)
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

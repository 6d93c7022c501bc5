"""Rendering inside a step: the variables of a task run and the ``FlowableContext`` given to
flowables.

Invariants:

* Variables are built lazily: a flowable that renders nothing (a literal ForEach list, a plain
  Sequential) costs no variable building. The execution-wide parts (``outputs``, ``tasks``)
  come from the book, which keeps them up to date copy-on-write.
* Strings without markup are returned as they are; strings inside lists and maps are rendered.
* Every render sees ``currentEachOutput()`` and ``tasksWithState()`` answered from its own
  variables (``RenderPlatform``); other platform functions go to ``StepContext.platform``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from legato import expressions
from legato.expressions import has_markup
from legato.model import run_variables
from legato.model.execution import State, StateType, TaskRun
from legato.model.tasks import Task
from legato.runtime.book import Book
from legato.runtime.render_platform import RenderPlatform
from legato.runtime.step import StepContext

#: the synthetic parent of the flow's top-level task lists
ROOT_ID = ""


def root_run(book: Book, at: datetime) -> TaskRun:
    """A stand-in task run for the flow's own lists (never stored)."""
    execution = book.execution
    return TaskRun(
        id=ROOT_ID,
        executionId=execution.id,
        namespace=execution.namespace,
        flowId=execution.flowId,
        taskId="",
        state=State.of(StateType.RUNNING, at),
    )


class Renderer:
    """Builds render variables for task runs of one book, caching execution-wide parts."""

    def __init__(self, book: Book, ctx: StepContext) -> None:
        self.book = book
        self.ctx = ctx

    def variables(self, task: Task | None, run: TaskRun | None) -> dict[str, Any]:
        """The render context of ``run`` of ``task`` (of the execution when both are None)."""
        outputs, states = self.book.render_trees()
        execution = self.book.head()
        if task is None or run is None or run.id == ROOT_ID:
            variables = run_variables.execution_variables(
                self.ctx.flow,
                execution,
                envs=self.ctx.envs,
                globals_=self.ctx.globals_,
                outputs=outputs,
            )
            variables["tasks"] = states
            return variables
        return run_variables.task_run_variables(
            self.ctx.flow,
            execution,
            task,
            run,
            envs=self.ctx.envs,
            globals_=self.ctx.globals_,
            outputs=outputs,
            states=states,
            by_id=self.book.runs,
        )

    def render(
        self,
        source: Any,
        task: Task | None,
        run: TaskRun | None,
        extra: Mapping[str, Any] | None = None,
    ) -> Any:
        """``source`` rendered (typed) for ``run``; containers rendered item by item."""
        if not _needs_render(source):
            return source
        variables = self.variables(task, run)
        for key, value in (extra or {}).items():
            old = variables.get(key)
            if isinstance(old, dict) and isinstance(value, Mapping):
                variables[key] = {**old, **value}
            else:
                variables[key] = value
        return _render(source, variables, self.ctx)

    def render_text(self, source: str, task: Task | None, run: TaskRun | None) -> str:
        """``source`` rendered to text for ``run``."""
        if not has_markup(source):
            return source
        variables = self.variables(task, run)
        platform = RenderPlatform(self.ctx.platform, variables)
        return expressions.render(source, variables, platform=platform)


def _needs_render(source: Any) -> bool:
    if isinstance(source, str):
        return has_markup(source)
    if isinstance(source, list | tuple):
        return any(_needs_render(item) for item in source)
    if isinstance(source, dict):
        return any(_needs_render(item) for item in source.values())
    return False


def _render(source: Any, variables: dict[str, Any], ctx: StepContext) -> Any:
    return _render_with(source, variables, RenderPlatform(ctx.platform, variables))


def _render_with(source: Any, variables: dict[str, Any], platform: RenderPlatform) -> Any:
    if isinstance(source, str):
        return expressions.render_typed(source, variables, platform=platform)
    if isinstance(source, list | tuple):
        return [_render_with(item, variables, platform) for item in source]
    if isinstance(source, dict):
        return {key: _render_with(item, variables, platform) for key, item in source.items()}
    return source


class FlowableView:
    """The ``FlowableContext`` of one flowable task run (or of the flow's own lists)."""

    def __init__(self, book: Book, renderer: Renderer, task: Task | None, run: TaskRun) -> None:
        self._book = book
        self._renderer = renderer
        self._task = task
        self._run = run
        self._parent_id = None if run.id == ROOT_ID else run.id

    @property
    def task_run(self) -> TaskRun:
        return self._run

    @property
    def now(self) -> datetime:
        return self._renderer.ctx.now

    def children(self) -> Sequence[TaskRun]:
        return self._book.children_of(self._parent_id)

    def child(
        self, task_id: str, value: str | None, iteration: int | None = None
    ) -> TaskRun | None:
        return self._book.child(self._parent_id, task_id, value, iteration)

    def moved_children(self) -> Sequence[TaskRun]:
        return self._book.moved_children(self._parent_id)

    def child_states(self, task_id: str) -> Mapping[StateType, int]:
        return self._book.child_states(self._parent_id, task_id)

    def render(self, source: Any, extra: Mapping[str, Any] | None = None) -> Any:
        return self._renderer.render(source, self._task, self._run, extra)

    def render_in(self, run: TaskRun, source: Any) -> Any:
        return self._renderer.render(source, self._task, run)

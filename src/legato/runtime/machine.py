"""The core of a step: create task runs, start them, re-evaluate flowables until nothing moves.

Invariants:

* ``Machine`` works on a ``Book`` (indexed working copy) and collects commands and log lines;
  ``transition()`` freezes them into a ``Transition``.
* ``dirty`` holds the flowable task runs (and ``ROOT_ID`` for the flow's own lists) that must be
  asked again because something below them changed; ``settle`` drains it. Only ancestors of a
  change are re-evaluated, so one event costs O(children of its ancestors), not O(task runs).
* While the execution is KILLING nothing new is created; flowables end KILLED once nothing runs
  below them.
* A render error or a bad value never raises out of a step: the task run concerned ends FAILED
  with an explaining ERROR log line.
* ``settle`` checks the flow's EXECUTION_ASSERTION SLAs first (``sla.check_assertions``): the
  execution as the event left it, before any decision follows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from legato.errors import LegatoError
from legato.model.execution import State, StateType, TaskRun, TaskRunAttempt
from legato.model.tasks import Task
from legato.runtime import ending, sla, starting
from legato.runtime.book import Book, tasks_by_id
from legato.runtime.commands import Command
from legato.runtime.context import ROOT_ID, FlowableView, Renderer
from legato.runtime.step import LogLine, StepContext, Transition
from legato.sdk import flowable

#: execution states in which the flow's own lists are not advanced
_WAITING = frozenset({StateType.CREATED, StateType.QUEUED})

#: errors a flowable's decision may raise on bad data (rendered as a FAILED task run)
DECISION_ERRORS = (LegatoError, ValueError, TypeError, KeyError, NotImplementedError)


class Machine:
    """One step's worth of decisions over an execution."""

    def __init__(self, book: Book, ctx: StepContext) -> None:
        self.book = book
        self.ctx = ctx
        self.tasks = tasks_by_id(ctx.flow)
        self.renderer = Renderer(book, ctx)
        self.commands: list[Command] = []
        self.logs: list[LogLine] = []
        self.dirty: list[str] = []
        self._dirty_set: set[str] = set()

    @property
    def now(self) -> datetime:
        return self.ctx.now

    # -- bookkeeping ------------------------------------------------------------------------

    def log(self, level: str, message: str, run_id: str | None = None) -> None:
        self.logs.append(LogLine(level, message, run_id))

    def mark(self, run_id: str | None) -> None:
        """Ask the flowable ``run_id`` (None / ROOT_ID = the flow) again."""
        key = run_id or ROOT_ID
        if key not in self._dirty_set:
            self._dirty_set.add(key)
            self.dirty.append(key)

    def mark_parent(self, run: TaskRun) -> None:
        self.mark(run.parentTaskRunId)

    def task_of(self, run: TaskRun) -> Task | None:
        return self.tasks.get(run.taskId)

    def set_run_state(self, run: TaskRun, state: StateType, **update: Any) -> TaskRun:
        """Move ``run`` (and its last attempt when it is not terminal) to ``state``."""
        fields: dict[str, Any] = {"state": run.state.with_state(state, self.now), **update}
        if run.attempts and state.is_terminal and "attempts" not in update:
            last = run.attempts[-1]
            if not last.state.current.is_terminal:
                attempt = last.model_copy(update={"state": last.state.with_state(state, self.now)})
                fields["attempts"] = (*run.attempts[:-1], attempt)
        new = run.model_copy(update=fields)
        self.book.put(new)
        if state.is_terminal:
            self.mark_parent(new)
        return new

    def end_run(self, run: TaskRun, state: StateType, **update: Any) -> TaskRun:
        """End ``run`` in ``state`` after ``allowFailure`` / ``allowWarning``."""
        task = self.task_of(run)
        if task is not None:
            state = flowable.apply_allowances(task, state)
        return self.set_run_state(run, state, **update)

    def fail_run(self, run: TaskRun, message: str) -> TaskRun:
        self.log("ERROR", message, run.id)
        return self.end_run(run, StateType.FAILED)

    # -- creating and starting task runs ----------------------------------------------------

    def create_run(self, parent: TaskRun | None, next_run: flowable.NextRun) -> TaskRun:
        execution = self.book.execution
        run = TaskRun(
            id=self.ctx.ids(),
            executionId=execution.id,
            namespace=execution.namespace,
            flowId=execution.flowId,
            taskId=next_run.task.id,
            parentTaskRunId=parent.id if parent is not None and parent.id != ROOT_ID else None,
            value=next_run.value,
            iteration=next_run.iteration,
            items=next_run.items,
            state=State.of(StateType.CREATED, self.now),
        )
        self.book.add(run)
        return run

    def start_runs(self, parent: TaskRun | None, nexts: list[flowable.NextRun]) -> None:
        """Create the task runs of ``nexts`` then start each (all created before any starts, so
        render caches are built once)."""
        created = [(self.create_run(parent, n), n.task) for n in nexts]
        for run, task in created:
            starting.start(self, run, task)

    def add_attempt(self, run: TaskRun) -> TaskRun:
        attempt = TaskRunAttempt(state=State.of(StateType.CREATED, self.now))
        new = run.model_copy(update={"attempts": (*run.attempts, attempt)})
        self.book.put(new)
        return new

    # -- settling ---------------------------------------------------------------------------

    def settle(self) -> None:
        """Check the flow's SLA assertions on the changed execution, then re-evaluate dirty
        flowables until nothing changes and end the execution if due."""
        sla.check_assertions(self)
        while True:
            while self.dirty:
                key = self.dirty.pop()
                self._dirty_set.discard(key)
                run = self.book.get(key) if key != ROOT_ID else None
                if run is not None:
                    self.evaluate(run)
            current = self.book.current
            if current in _WAITING or (current.is_terminal and not self.ctx.flow.afterExecution):
                return
            ending.evaluate_root(self)
            if not self.dirty:
                return

    def evaluate(self, run: TaskRun) -> None:
        """Ask the flowable of ``run`` for new children and its state."""
        if run.state.current not in (StateType.RUNNING, StateType.KILLING):
            return
        task = self.task_of(run)
        if task is None or not isinstance(task, flowable.Flowable):
            return
        if getattr(type(task), "dispatch_as_group", False):
            return
        if self.book.current == StateType.KILLING:
            self._kill_if_idle(run)
            return
        view = FlowableView(self.book, self.renderer, task, run)
        try:
            nexts, final = task.decide(view)
        except DECISION_ERRORS as error:
            self.fail_run(run, f"task '{task.id}' could not decide its next tasks: {error}")
            return
        if nexts:
            self.start_runs(run, nexts)
            self.mark(run.id)
        elif final is not None:
            self.finish_flowable(run, task, view, final)
        elif isinstance(task, flowable.Waking):
            ending.schedule_wake(self, run, task.wake_at(view))

    def finish_flowable(
        self, run: TaskRun, task: Task, view: flowable.FlowableContext, final: StateType
    ) -> None:
        update: dict[str, Any] = {}
        extra = getattr(task, "final_outputs", None)
        if extra is not None:
            update["outputs"] = {**(run.outputs or {}), **extra(view)}
        self.end_run(run, final, **update)

    def _kill_if_idle(self, run: TaskRun) -> None:
        children = self.book.children_of(run.id)
        if all(child.state.current.is_terminal for child in children):
            self.set_run_state(run, StateType.KILLED)

    def transition(self) -> Transition:
        execution = self.book.freeze()
        self.book.remember(execution)
        return Transition(execution, tuple(self.commands), tuple(self.logs))

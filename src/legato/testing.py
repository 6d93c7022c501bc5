"""A harness for decision-table tests of the pure runtime: a flow, an execution, events in,
transitions out, with fake worker results and a fake clock. No database, no threads.

Typical use::

    h = Harness(FLOW_YAML)
    h.start()                                   # ExecutionCreated
    h.finish("t1", StateType.FAILED)            # the worker reports (started + finished)
    h.advance(seconds=10); h.fire_timers()      # retry / pause / wake timers that are due
    h.run_to_end()                              # every dispatched task succeeds
    assert h.state == StateType.FAILED

Invariants: every transition's commands are kept in ``commands`` (in order) and its log lines in
``logs``; ``pending`` holds dispatched attempts not finished yet; timers wait in ``timers``
until ``fire_timers`` delivers those due at the harness clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from legato import runtime
from legato._kernel.ids import sequential_ids
from legato.model.execution import Execution, Label, State, StateType, TaskRun
from legato.model.flow import Flow
from legato.model.parsing import parse_flow
from legato.model.registry import PluginRegistry
from legato.runtime.commands import Command, DispatchTask, ScheduleTimer, StartSubflow
from legato.runtime.events import (
    Event,
    ExecutionCreated,
    KillRequested,
    ResumeRequested,
    SubflowFinished,
    TaskRunFinished,
    TaskRunStarted,
)
from legato.runtime.step import LogLine, StepContext, Transition

START = datetime(2026, 1, 1, tzinfo=UTC)

_REGISTRY: PluginRegistry | None = None

#: a fake worker: given the dispatch, the (state, outputs) of the attempt
WorkerFn = Callable[[DispatchTask], tuple[StateType, dict[str, Any] | None]]


def default_registry() -> PluginRegistry:
    """The registry of installed plugins (loaded once)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = PluginRegistry.from_entry_points()
    return _REGISTRY


@dataclass
class Harness:
    """Drive one execution of ``flow`` through ``runtime.step``."""

    flow: Flow
    execution: Execution
    now: datetime = START
    running_executions: int = 0

    def __init__(
        self,
        flow: str | Flow,
        *,
        inputs: Mapping[str, Any] | None = None,
        labels: Mapping[str, str] | None = None,
        now: datetime = START,
        registry: PluginRegistry | None = None,
        envs: Mapping[str, Any] | None = None,
        globals_: Mapping[str, Any] | None = None,
    ) -> None:
        if isinstance(flow, str):
            flow = parse_flow(flow, registry or default_registry())
        self.flow = flow
        self.now = now
        self.ids = sequential_ids("r")
        self.running_executions = 0
        self.envs = dict(envs or {})
        self.globals_ = dict(globals_ or {})
        self.commands: list[Command] = []
        self.logs: list[LogLine] = []
        self.pending: dict[str, DispatchTask] = {}
        self.timers: list[ScheduleTimer] = []
        self.execution = Execution(
            id="exec0001",
            namespace=flow.namespace,
            flowId=flow.id,
            flowRevision=flow.revision or 1,
            inputs=dict(inputs or {}),
            labels=tuple(Label(key=k, value=v) for k, v in (labels or {}).items()),
            state=State.of(StateType.CREATED, now),
        )

    # -- driving ----------------------------------------------------------------------------

    def context(self) -> StepContext:
        return StepContext(
            flow=self.flow,
            now=self.now,
            ids=self.ids,
            running_executions=self.running_executions,
            envs=self.envs,
            globals_=self.globals_,
        )

    def send(self, event: Event) -> Transition:
        """Feed ``event`` to ``runtime.step`` and record the transition."""
        transition = runtime.step(self.execution, event, self.context())
        self._record(transition)
        return transition

    def _record(self, transition: Transition) -> None:
        self.execution = transition.execution
        self.commands.extend(transition.commands)
        self.logs.extend(transition.logs)
        for command in transition.commands:
            if isinstance(command, DispatchTask):
                self.pending[command.task_run_id] = command
            elif isinstance(command, ScheduleTimer):
                self.timers.append(command)

    def send_all(self, events: Sequence[Event]) -> Transition:
        """Feed ``events`` to ``runtime.step_all`` as one batch (as the executor does)."""
        transition = runtime.step_all(self.execution, events, self.context())
        self._record(transition)
        return transition

    def start(self) -> Transition:
        return self.send(ExecutionCreated())

    def reports(
        self, task_id: str, state: StateType = StateType.SUCCESS, *, value: str | None = None
    ) -> list[Event]:
        """The ``TaskRunStarted`` and ``TaskRunFinished`` a worker would send for the pending
        attempt of ``task_id`` (taken off the pending dispatches; not sent)."""
        command = self.dispatch_of(task_id, value)
        del self.pending[command.task_run_id]
        return [
            TaskRunStarted(command.task_run_id, command.attempt, "worker-1"),
            TaskRunFinished(command.task_run_id, command.attempt, state, worker_id="worker-1"),
        ]

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def fire_timers(self) -> int:
        """Deliver the timers due at ``now`` (earliest first); returns how many fired."""
        due = sorted((t for t in self.timers if t.at <= self.now), key=lambda t: t.at)
        for timer in due:
            self.timers.remove(timer)
            self.send(timer.event)
        return len(due)

    def dispatch_of(self, task_id: str, value: str | None = None) -> DispatchTask:
        """The pending dispatch of ``task_id`` (for loop ``value``)."""
        for command in self.pending.values():
            run = self.execution.task_run(command.task_run_id)
            if run.taskId == task_id and (value is None or run.value == value):
                return command
        raise AssertionError(f"no pending dispatch for task {task_id!r} (value {value!r})")

    def finish(
        self,
        task_id: str,
        state: StateType = StateType.SUCCESS,
        outputs: dict[str, Any] | None = None,
        *,
        value: str | None = None,
        error: str | None = None,
        retryable: bool = True,
        children: tuple[dict[str, Any], ...] = (),
    ) -> Transition:
        """A worker starts then finishes the pending attempt of ``task_id``."""
        command = self.dispatch_of(task_id, value)
        del self.pending[command.task_run_id]
        self.send(TaskRunStarted(command.task_run_id, command.attempt, "worker-1"))
        return self.send(
            TaskRunFinished(
                command.task_run_id,
                command.attempt,
                state,
                outputs=outputs,
                error=error,
                retryable=retryable,
                worker_id="worker-1",
                children=children,
            )
        )

    def run_to_end(self, worker: WorkerFn | None = None, *, max_events: int = 100_000) -> None:
        """Finish dispatched attempts (SUCCESS unless ``worker`` says otherwise) and fire due
        timers, advancing the clock to the next timer, until nothing is left to do."""
        for _ in range(max_events):
            if self.pending:
                command = next(iter(self.pending.values()))
                state, outputs = worker(command) if worker else (StateType.SUCCESS, None)
                run = self.execution.task_run(command.task_run_id)
                self.finish(run.taskId, state, outputs, value=run.value)
            elif self.timers:
                self.now = max(self.now, min(t.at for t in self.timers))
                self.fire_timers()
            else:
                return
        raise AssertionError("run_to_end did not settle")

    def kill(self) -> Transition:
        return self.send(KillRequested())

    def resume(self, inputs: Mapping[str, Any] | None = None) -> Transition:
        return self.send(ResumeRequested(dict(inputs or {})))

    def subflow_ended(
        self, task_id: str, state: StateType, outputs: dict[str, Any] | None = None
    ) -> Transition:
        """The child execution of the Subflow task ``task_id`` reached ``state``."""
        command = next(
            c
            for c in self.commands
            if isinstance(c, StartSubflow)
            and self.execution.task_run(c.task_run_id).taskId == task_id
        )
        return self.send(SubflowFinished(command.task_run_id, "child0001", state, outputs))

    # -- inspecting -------------------------------------------------------------------------

    @property
    def state(self) -> StateType:
        return self.execution.state.current

    def runs(self, task_id: str) -> list[TaskRun]:
        return [r for r in self.execution.taskRunList if r.taskId == task_id]

    def run_of(self, task_id: str, value: str | None = None) -> TaskRun:
        found = [r for r in self.runs(task_id) if value is None or r.value == value]
        if len(found) != 1:
            raise AssertionError(f"expected one task run of {task_id!r}, found {len(found)}")
        return found[0]

    def state_of(self, task_id: str, value: str | None = None) -> StateType:
        return self.run_of(task_id, value).state.current

    def task_ids(self) -> list[str]:
        """Task ids in task-run creation order."""
        return [r.taskId for r in self.execution.taskRunList]

    def commands_of(self, kind: type[Any]) -> list[Any]:
        return [c for c in self.commands if isinstance(c, kind)]

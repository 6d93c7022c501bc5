"""Carrying out a transition's commands: what goes into the commit, and what follows it.

``Effects.apply`` turns commands into the store writes of one atomic ``ExecutorStore.commit``
(worker jobs, due events, child executions, log lines) and into actions that run after the
commit (asking workers to interrupt jobs). Invariants:

* Nothing here decides a Kestra rule: the runtime did. This module only routes data: a
  ``DispatchTask`` becomes a ``WorkerJob`` whose payload is the command as JSON, a
  ``ScheduleTimer`` a due event, an ``ExecutionEnded`` notifications to the parent execution
  (``SubflowFinished``) and to the oldest QUEUED execution of the flow (``ConcurrencySlotFreed``).
* A child execution that cannot be created (unknown flow, bad inputs) is reported to its parent
  as a FAILED ``SubflowFinished`` with a log line saying why; it never stops the executor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from legato.errors import LegatoError
from legato.model.execution import Execution, ExecutionTrigger, StateType
from legato.runtime import commands, events
from legato.services import executions as execution_services
from legato.services.flows import FlowService
from legato.store.protocols import (
    ExecutionRepository,
    LogEntry,
    NewEvent,
    WorkerJob,
    WorkerQueue,
)

SUBFLOW_TRIGGER = "io.kestra.plugin.core.flow.Subflow"
_DISPATCH_FIELDS = dataclasses.fields(commands.DispatchTask)


@dataclass
class Writes:
    """Everything one commit stores besides the execution itself."""

    jobs: list[WorkerJob] = field(default_factory=list)
    events: list[NewEvent] = field(default_factory=list)
    logs: list[LogEntry] = field(default_factory=list)
    new_executions: list[Execution] = field(default_factory=list)
    #: task runs whose worker jobs must be cancelled once the commit is done
    kills: list[str] = field(default_factory=list)


def dispatch_payload(command: commands.DispatchTask) -> dict[str, Any]:
    """The JSON payload of a worker job (the ``DispatchTask`` fields, not copied: the store
    serializes them at once)."""
    return {field.name: getattr(command, field.name) for field in _DISPATCH_FIELDS}


def event(execution_id: str, item: events.Event, due_at: datetime | None = None) -> NewEvent:
    """A queue entry delivering ``item`` to ``execution_id``."""
    return NewEvent(execution_id, events.to_json(item), due_at=due_at)


class Effects:
    """Routes commands to store writes for one executor."""

    def __init__(
        self,
        executions: ExecutionRepository,
        workers: WorkerQueue,
        flows: FlowService,
        creator: execution_services.ExecutionService,
        ids: Callable[[], str],
    ) -> None:
        self.executions = executions
        self.workers = workers
        self.flows = flows
        self.creator = creator
        self.ids = ids
        #: interrupts task runs claimed by an in-process worker (``Worker.kill``), if any
        self.interrupt: Callable[[Sequence[str]], object] | None = None

    async def apply(
        self, execution: Execution, items: Sequence[commands.Command], now: datetime
    ) -> Writes:
        """The writes carrying out ``items`` for ``execution`` (its state after the step)."""
        writes = Writes()
        for command in items:
            await self._apply_one(execution, command, now, writes)
        return writes

    async def after_commit(self, execution: Execution, writes: Writes) -> list[NewEvent]:
        """Drop queued jobs of killed task runs (reported KILLED here) and interrupt the
        claimed ones (their worker reports them); returns the events to enqueue."""
        if not writes.kills:
            return []
        still_running = set(await self.workers.cancel(writes.kills))
        if still_running and self.interrupt is not None:
            self.interrupt(sorted(still_running))
        dropped = [run_id for run_id in writes.kills if run_id not in still_running]
        return [_killed(execution, run_id) for run_id in dropped]

    async def _apply_one(
        self, execution: Execution, command: commands.Command, now: datetime, writes: Writes
    ) -> None:
        match command:
            case commands.DispatchTask():
                job = WorkerJob(
                    self.ids(), command.execution_id, command.task_run_id, dispatch_payload(command)
                )
                writes.jobs.append(job)
            case commands.ScheduleTimer():
                writes.events.append(event(execution.id, command.event, command.at))
            case commands.StartSubflow():
                await self._start_subflow(execution, command, now, writes)
            case commands.KillTaskRuns():
                writes.kills.extend(command.task_run_ids)
            case commands.KillSubflows():
                writes.events.extend(
                    event(child, events.KillRequested()) for child in command.child_execution_ids
                )
            case commands.ExecutionEnded():
                await self._ended(execution, command.state, writes)
            case commands.CreateExecution():
                writes.new_executions.append(command.execution)
                writes.events.append(execution_services.created_event(command.execution))

    async def _start_subflow(
        self,
        parent: Execution,
        command: commands.StartSubflow,
        now: datetime,
        writes: Writes,
    ) -> None:
        run = parent.task_run(command.task_run_id)
        trigger = ExecutionTrigger(
            id=run.taskId,
            type=SUBFLOW_TRIGGER,
            variables={
                "executionId": parent.id,
                "namespace": parent.namespace,
                "flowId": parent.flowId,
                "flowRevision": parent.flowRevision,
                "taskRunId": run.id,
                "taskId": run.taskId,
                "wait": command.wait,
            },
        )
        request = execution_services.NewExecution(
            namespace=command.namespace,
            flow_id=command.flow_id,
            inputs=command.inputs,
            labels=command.labels,
            revision=command.revision,
            trigger=trigger,
            parent_id=parent.id,
            correlation_id=execution_services.correlation_id(parent),
            schedule_date=command.schedule_date,
        )
        try:
            child = await self.creator.build(request)
        except LegatoError as error:
            why = f"cannot start subflow: {error}"
            writes.logs.append(log_entry(parent, now, "ERROR", why, run.id))
            failed = events.SubflowFinished(run.id, "", StateType.FAILED)
            writes.events.append(event(parent.id, failed))
            return
        writes.new_executions.append(child)
        writes.events.append(execution_services.created_event(child))
        # the parent learns the child's id at once (its ``executionId`` output, kill cascade)
        started = events.SubflowFinished(run.id, child.id, StateType.CREATED)
        writes.events.append(event(parent.id, started))

    async def _ended(self, execution: Execution, state: StateType, writes: Writes) -> None:
        parent_event = _parent_notification(execution, state)
        if parent_event is not None:
            writes.events.append(parent_event)
        deployed = await self.flows.load(
            execution.namespace, execution.flowId, execution.flowRevision
        )
        if deployed.flow.concurrency is not None:
            queued = await self.executions.oldest_queued(execution.namespace, execution.flowId)
            if queued is not None and queued != execution.id:
                writes.events.append(event(queued, events.ConcurrencySlotFreed()))


def _parent_notification(execution: Execution, state: StateType) -> NewEvent | None:
    trigger = execution.trigger
    if trigger is None or trigger.type != SUBFLOW_TRIGGER:
        return None
    variables = trigger.variables
    if variables.get("wait") is False:
        return None
    parent_id, run_id = variables.get("executionId"), variables.get("taskRunId")
    if not isinstance(parent_id, str) or not isinstance(run_id, str):
        return None
    finished = events.SubflowFinished(run_id, execution.id, state, outputs=execution.outputs)
    return event(parent_id, finished)


def _killed(execution: Execution, task_run_id: str) -> NewEvent:
    try:
        attempt = max(1, len(execution.task_run(task_run_id).attempts))
    except KeyError:
        attempt = 1
    return event(execution.id, events.TaskRunFinished(task_run_id, attempt, StateType.KILLED))


def log_entry(
    execution: Execution, now: datetime, level: str, message: str, task_run_id: str | None = None
) -> LogEntry:
    task_id = None
    if task_run_id is not None:
        task_id = next((r.taskId for r in execution.taskRunList if r.id == task_run_id), None)
    return LogEntry(
        execution_id=execution.id,
        timestamp=now,
        level=level,
        message=message,
        namespace=execution.namespace,
        flow_id=execution.flowId,
        task_id=task_id,
        task_run_id=task_run_id,
    )

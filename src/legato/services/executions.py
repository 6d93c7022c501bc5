"""Execution use cases: create (inputs, labels, correlation id), kill, resume.

Invariants:

* A created execution is stored together with its ``ExecutionCreated`` event (one atomic
  ``ExecutionRepository.create``), delivered at ``scheduleDate`` when one is given.
* Inputs are resolved against the pinned flow revision with ``resolve_inputs``; a FILE input
  given as a local path is first uploaded to internal storage under the execution's
  ``inputs/<inputId>/`` folder. Any problem raises ``InputError`` and stores nothing.
* Labels: the flow's (minus ``system.`` ones), then the given ones (overriding by key), then
  ``system.correlationId`` = the root execution's id (a child inherits its parent's).
* Kill and resume are requests: they enqueue an event for the executor, which decides.
* Restart rewrites the (ended or paused) execution in place with ``runtime.restart`` and queues
  ``ExecutionCreated``; replay stores ``runtime.replay``'s new execution the same way. Both pin
  the execution's flow revision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from legato import runtime
from legato._kernel.clock import Clock
from legato.errors import InputError, LegatoError
from legato.expressions import render_typed
from legato.model import input_values, inputs
from legato.model.execution import (
    Execution,
    ExecutionTrigger,
    Label,
    State,
    StateType,
)
from legato.runtime import events
from legato.services.flows import DeployedFlow, FlowService
from legato.store import uris
from legato.store.protocols import ExecutionRepository, ExecutorStore, FileStorage, NewEvent

CORRELATION_ID = "system.correlationId"


class ExecutionNotFoundError(LegatoError):
    """No such execution."""

    def __init__(self, execution_id: str) -> None:
        self.execution_id = execution_id
        super().__init__(f"execution '{execution_id}' does not exist; check the id")


class ExecutionStateError(LegatoError):
    """The execution is not in a state that allows this operation."""


@dataclass(frozen=True)
class NewExecution:
    """What to start: a flow (latest revision unless pinned), inputs, labels, origin."""

    namespace: str
    flow_id: str
    inputs: Mapping[str, Any] | None = None
    labels: Sequence[tuple[str, str]] = ()
    revision: int | None = None
    trigger: ExecutionTrigger | None = None
    parent_id: str | None = None
    correlation_id: str | None = None
    schedule_date: datetime | None = None


class ExecutionService:
    """Creates executions and forwards kill/resume requests to the executor."""

    def __init__(
        self,
        executions: ExecutionRepository,
        queue: ExecutorStore,
        flows: FlowService,
        files: FileStorage,
        clock: Clock,
        ids: Callable[[], str],
    ) -> None:
        self.executions = executions
        self.queue = queue
        self.flows = flows
        self.files = files
        self.clock = clock
        self.ids = ids

    async def create(self, request: NewExecution) -> Execution:
        """Store a new CREATED execution and queue its start; InputError stores nothing."""
        execution = await self.build(request)
        await self.executions.create(execution, [created_event(execution)])
        return execution

    async def build(self, request: NewExecution) -> Execution:
        """The new execution for ``request``, not stored (the executor commits children)."""
        deployed = await self.flows.load(request.namespace, request.flow_id, request.revision)
        execution_id = self.ids()
        given = await self._upload_files(deployed, execution_id, request.inputs or {})
        resolved = self._resolve(deployed, execution_id, given)
        now = self.clock.now()
        return Execution(
            id=execution_id,
            namespace=deployed.record.namespace,
            flowId=deployed.record.id,
            flowRevision=deployed.record.revision,
            labels=execution_labels(deployed, request, execution_id),
            inputs=resolved,
            parentId=request.parent_id,
            state=State.of(StateType.CREATED, now),
            trigger=request.trigger,
            scheduleDate=request.schedule_date,
        )

    async def kill(self, execution_id: str) -> None:
        """Ask the executor to kill the execution and its subflows."""
        execution = await self._get(execution_id)
        if execution.state.current.is_terminal:
            raise ExecutionStateError(
                f"execution '{execution_id}' already ended {execution.state.current}; "
                "only a running, paused or queued execution can be killed"
            )
        await self.queue.enqueue([_event(execution_id, events.KillRequested())])

    async def resume(self, execution_id: str, values: Mapping[str, Any] | None = None) -> None:
        """Resume a PAUSED execution with ``onResume`` values (coerced to their types)."""
        execution = await self._get(execution_id)
        if execution.state.current != StateType.PAUSED:
            raise ExecutionStateError(
                f"execution '{execution_id}' is {execution.state.current}, not PAUSED; "
                "only a paused execution can be resumed"
            )
        deployed = await self._pinned(execution)
        definitions = _on_resume_definitions(deployed, execution)
        coerced = input_values.resolve_inputs(definitions, values or {}) if definitions else {}
        await self.queue.enqueue([_event(execution_id, events.ResumeRequested(inputs=coerced))])

    async def restart(self, execution_id: str) -> Execution:
        """Restart a FAILED/KILLED/PAUSED execution in place (same id, attempt + 1)."""
        execution = await self._get(execution_id)
        deployed = await self._pinned(execution)
        try:
            restarted = runtime.restart(execution, deployed.flow, self.clock.now(), self.ids)
        except LegatoError as error:
            raise ExecutionStateError(error.message) from None
        await self.queue.commit(restarted, [], events=[created_event(restarted)])
        return restarted

    async def replay(self, execution_id: str, task_run_id: str | None = None) -> Execution:
        """A new execution re-running ``execution_id`` (from ``task_run_id`` when given)."""
        execution = await self._get(execution_id)
        deployed = await self._pinned(execution)
        try:
            replayed = runtime.replay(
                execution, task_run_id, deployed.flow, self.clock.now(), self.ids
            )
        except LegatoError as error:
            raise ExecutionStateError(error.message) from None
        await self.executions.create(replayed, [created_event(replayed)])
        return replayed

    async def _pinned(self, execution: Execution) -> DeployedFlow:
        return await self.flows.load(execution.namespace, execution.flowId, execution.flowRevision)

    async def _get(self, execution_id: str) -> Execution:
        execution = await self.executions.get(execution_id)
        if execution is None:
            raise ExecutionNotFoundError(execution_id)
        return execution

    def _resolve(
        self, deployed: DeployedFlow, execution_id: str, given: Mapping[str, Any]
    ) -> dict[str, Any]:
        definitions = deployed.flow.inputs or []
        variables = {
            "flow": {
                "id": deployed.record.id,
                "namespace": deployed.record.namespace,
                "revision": deployed.record.revision,
            },
            "execution": {"id": execution_id},
        }
        return input_values.resolve_inputs(definitions, given, render=_render, variables=variables)

    async def _upload_files(
        self, deployed: DeployedFlow, execution_id: str, given: Mapping[str, Any]
    ) -> dict[str, Any]:
        values = dict(given)
        for definition in inputs.flatten_inputs(deployed.flow.inputs or []):
            value = values.get(definition.id)
            if not isinstance(definition, inputs.FileInput) or not isinstance(value, str):
                continue
            if value.startswith("kestra://"):
                continue
            values[definition.id] = await self._upload(deployed, execution_id, definition, value)
        return values

    async def _upload(
        self, deployed: DeployedFlow, execution_id: str, definition: inputs.FileInput, path: str
    ) -> str:
        local = Path(path).expanduser()
        if not local.is_file():
            raise InputError(
                f"input '{definition.id}': no file at '{path}'; give the path of a readable file",
                input_id=definition.id,
            )
        folder = uris.input_prefix(
            deployed.record.namespace, deployed.record.id, execution_id, definition.id
        )
        uri = f"{folder}/{local.name}"
        return await self.files.put_file(uri, str(local))


def execution_labels(
    deployed: DeployedFlow, request: NewExecution, execution_id: str
) -> tuple[Label, ...]:
    """Flow labels (no system ones), then given ones by key, then the correlation id."""
    merged: dict[str, str] = {}
    for label in deployed.flow.labels or []:
        if not label.is_system:
            merged[label.key] = label.value
    for key, value in request.labels:
        merged[key] = value
    merged[CORRELATION_ID] = request.correlation_id or merged.get(CORRELATION_ID) or execution_id
    return tuple(Label(key=k, value=v) for k, v in merged.items())


def correlation_id(execution: Execution) -> str:
    """The execution's ``system.correlationId`` label, or its own id when it has none."""
    for label in execution.labels:
        if label.key == CORRELATION_ID:
            return label.value
    return execution.id


def _on_resume_definitions(deployed: DeployedFlow, execution: Execution) -> list[inputs.Input]:
    definitions: list[inputs.Input] = []
    for run in execution.taskRunList:
        if run.state.current != StateType.PAUSED:
            continue
        task = deployed.flow.find_task(run.taskId)
        on_resume = getattr(task, "onResume", None)
        if isinstance(on_resume, list):
            definitions.extend(d for d in on_resume if isinstance(d, inputs.Input))
    return definitions


def _render(source: str, variables: Mapping[str, Any]) -> Any:
    return render_typed(source, dict(variables))


def created_event(execution: Execution) -> NewEvent:
    """The event that starts ``execution`` (at its ``scheduleDate`` when it has one)."""
    return NewEvent(
        execution.id,
        events.to_json(events.ExecutionCreated()),
        due_at=execution.scheduleDate,
    )


def _event(execution_id: str, event: events.Event) -> NewEvent:
    return NewEvent(execution_id, events.to_json(event))

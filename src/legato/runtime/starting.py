"""Starting a CREATED task run: ``runIf``, then by kind — dispatch to a worker, run in the
executor (Labels, Exit), pause, start a subflow, or open a flowable.

Invariants:

* ``runIf`` is rendered to text first: ``false``, ``0``, ``-0`` and ``""`` (surrounding blanks
  ignored) mean SKIPPED; any other text runs the task; a render error means FAILED.
* A dispatched task run gets a new attempt (CREATED) and one ``DispatchTask`` holding the
  task's JSON, the render variables and the timeout in seconds.
* A task whose class sets ``dispatch_as_group`` (WorkingDirectory) is dispatched whole, even
  though it is a flowable.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from legato.model.execution import Label, StateType, TaskRun
from legato.model.property import parse_duration
from legato.model.tasks import Task
from legato.runtime.commands import DispatchTask, KillTaskRuns, ScheduleTimer, StartSubflow
from legato.runtime.context import FlowableView
from legato.runtime.events import TimerFired
from legato.sdk import flowable

if TYPE_CHECKING:
    from legato.runtime.machine import Machine

FALSY = frozenset({"false", "0", "-0", ""})
_JSON_CACHE: dict[int, tuple[Task, dict[str, Any], bool]] = {}
#: per flow object: whether its ``variables`` name ``tasks``
_FLOW_CACHE: dict[int, tuple[object, bool]] = {}


def is_truthy(text: str) -> bool:
    """Kestra's truthiness of a rendered condition."""
    return text.strip() not in FALSY


def task_json(task: Task) -> dict[str, Any]:
    """The task as JSON (cached per task object)."""
    return _task_entry(task)[1]


def _task_entry(task: Task) -> tuple[Task, dict[str, Any], bool]:
    """``(task, its JSON, whether its text can reach the `tasks` variable)``, cached."""
    cached = _JSON_CACHE.get(id(task))
    if cached is not None and cached[0] is task:
        return cached
    data = task.model_dump(mode="json", by_alias=True, exclude_none=True)
    text = json.dumps(data)
    entry = (task, data, any(word in text for word in _REACHES_TASKS))
    if len(_JSON_CACHE) > 4096:
        _JSON_CACHE.clear()
    _JSON_CACHE[id(task)] = entry
    return entry


#: words in a task's definition through which its expressions may read the ``tasks`` variable
#: (named directly, through ``tasksWithState()``, or in text that ``render()`` evaluates)
_REACHES_TASKS = ("tasks", "render")


def job_variables(machine: Machine, task: Task, variables: dict[str, Any]) -> dict[str, Any]:
    """The render context a worker job carries: ``tasks`` (the state of every task run, which
    grows with the execution) is left out when no expression of the task can read it: its
    definition names neither ``tasks`` nor ``render``, nor do the flow's ``variables``."""
    if "tasks" not in variables or _task_entry(task)[2] or _flow_reaches_tasks(machine):
        return variables
    return {key: value for key, value in variables.items() if key != "tasks"}


def _flow_reaches_tasks(machine: Machine) -> bool:
    flow = machine.ctx.flow
    cached = _FLOW_CACHE.get(id(flow))
    if cached is not None and cached[0] is flow:
        return cached[1]
    reaches = bool(flow.variables) and "tasks" in json.dumps(flow.variables, default=str)
    if len(_FLOW_CACHE) > 1024:
        _FLOW_CACHE.clear()
    _FLOW_CACHE[id(flow)] = (flow, reaches)
    return reaches


def start(machine: Machine, run: TaskRun, task: Task) -> None:
    """Start the freshly created ``run`` of ``task``."""
    from legato.runtime.machine import DECISION_ERRORS

    try:
        if not _run_if(machine, run, task):
            machine.set_run_state(run, StateType.SKIPPED)
            return
        _start_by_kind(machine, run, task)
    except DECISION_ERRORS as error:
        current = machine.book.get(run.id) or run
        machine.fail_run(current, f"task '{task.id}' could not start: {error}")


def _run_if(machine: Machine, run: TaskRun, task: Task) -> bool:
    condition = task.runIf
    if condition is True or condition == "true":
        return True
    if isinstance(condition, bool):
        return condition
    return is_truthy(machine.renderer.render_text(str(condition), task, run))


def _start_by_kind(machine: Machine, run: TaskRun, task: Task) -> None:
    if getattr(type(task), "dispatch_as_group", False) or not type(task).runs_in_executor:
        dispatch(machine, run, task)
        return
    view = FlowableView(machine.book, machine.renderer, task, run)
    if isinstance(task, flowable.ExecutionUpdating):
        _update_execution(machine, run, task.update_execution(view))
    elif isinstance(task, flowable.Pausing):
        _pause(machine, run, task.pause_plan(view))
    elif isinstance(task, flowable.SubflowStarting):
        _start_subflow(machine, run, task.subflow_request(view))
    elif isinstance(task, flowable.SubflowsStarting):
        _start_subflows(machine, run, task.subflow_requests(view))
    elif isinstance(task, flowable.Flowable):
        outputs = task.flowable_outputs(view)
        run = machine.set_run_state(run, StateType.RUNNING, outputs=outputs)
        machine.mark(run.id)
    else:
        machine.fail_run(run, f"task '{task.id}' ({task.type}) cannot run in the executor")


def timeout_seconds(machine: Machine, run: TaskRun, task: Task) -> float | None:
    """The task's ``timeout`` in seconds (rendered when it is an expression)."""
    timeout = task.timeout
    if timeout is None:
        return None
    if isinstance(timeout, timedelta):
        return timeout.total_seconds()
    rendered = machine.renderer.render(str(timeout), task, run)
    if isinstance(rendered, timedelta):
        return rendered.total_seconds()
    return parse_duration(str(rendered)).total_seconds()


def dispatch(machine: Machine, run: TaskRun, task: Task) -> None:
    """Queue a new attempt of ``run`` on a worker."""
    timeout = timeout_seconds(machine, run, task)
    run = machine.add_attempt(run)
    variables = job_variables(machine, task, machine.renderer.variables(task, run))
    machine.commands.append(
        DispatchTask(
            execution_id=run.executionId,
            task_run_id=run.id,
            attempt=len(run.attempts),
            task=task_json(task),
            variables=variables,
            timeout_seconds=timeout,
        )
    )


def _update_execution(machine: Machine, run: TaskRun, update: flowable.ExecutionUpdate) -> None:
    if update.set_variables is not None or update.unset_variables:
        machine.book.update(variables=_variables(machine, update) or None)
    if update.labels:
        labels = {label.key: label.value for label in machine.book.head().labels}
        labels.update(dict(update.labels))
        machine.book.update(labels=tuple(Label(key=k, value=v) for k, v in labels.items()))
    if update.exit_state is None:
        machine.set_run_state(run, StateType.SUCCESS)
        return
    exit_execution(machine, run, update.exit_state)


def _variables(machine: Machine, update: flowable.ExecutionUpdate) -> dict[str, Any]:
    """The execution variables after ``update`` (ValueError on a conflict or a missing one)."""
    variables = dict(machine.book.head().variables or {})
    known = {**(machine.ctx.flow.variables or {}), **variables}
    for key, value in (update.set_variables or {}).items():
        if key in known and not update.overwrite:
            raise ValueError(f"variable '{key}' already exists; set overwrite: true to replace it")
        variables[key] = value
    for key in update.unset_variables:
        if key not in variables and not update.ignore_missing:
            raise ValueError(f"variable '{key}' is not set; set ignoreMissing: true to allow it")
        variables.pop(key, None)
    return variables


def exit_execution(machine: Machine, run: TaskRun, state: StateType) -> None:
    """The Exit task: end the execution in ``state`` now. Kestra documents that running tasks
    (e.g. in a parallel branch) are only interrupted when the state is KILLED; other open task
    runs (flowables, pauses) end in ``state``."""
    from legato.runtime import ending

    machine.set_run_state(run, state)
    killed = []
    for other in list(machine.book.active()):
        task = machine.task_of(other)
        on_worker = task is not None and not _in_executor(task) and bool(other.attempts)
        if on_worker and state != StateType.KILLED:
            continue
        if on_worker:
            killed.append(other.id)
        machine.set_run_state(other, state)
    if killed:
        machine.commands.append(KillTaskRuns(tuple(killed)))
    ending.end_execution(machine, state, render_outputs=False)


def _in_executor(task: Task) -> bool:
    return type(task).runs_in_executor and not getattr(type(task), "dispatch_as_group", False)


def _pause(machine: Machine, run: TaskRun, plan: flowable.PausePlan) -> None:
    machine.set_run_state(run, StateType.PAUSED)
    machine.book.set_state(StateType.PAUSED, machine.now)
    if plan.duration is not None:
        machine.commands.append(
            ScheduleTimer(machine.now + plan.duration, TimerFired(f"pause:{plan.behavior}", run.id))
        )


def _start_subflows(
    machine: Machine, run: TaskRun, requests: list[flowable.SubflowRequest]
) -> None:
    outputs = {"numberOfBatches": len(requests), "iterations": {"CREATED": len(requests)}}
    if not requests:
        machine.end_run(run, StateType.SUCCESS, outputs=outputs)
        return
    run = machine.set_run_state(run, StateType.RUNNING, outputs=outputs)
    for request in requests:
        _start_subflow(machine, run, request)


def _start_subflow(machine: Machine, run: TaskRun, request: flowable.SubflowRequest) -> None:
    if run.state.current != StateType.RUNNING:
        run = machine.set_run_state(run, StateType.RUNNING)
    labels = request.labels
    if request.inherit_labels:
        inherited = tuple(
            (label.key, label.value)
            for label in machine.book.head().labels
            if not label.key.startswith("system.")
        )
        labels = (*inherited, *labels)
    machine.commands.append(
        StartSubflow(
            task_run_id=run.id,
            namespace=request.namespace,
            flow_id=request.flow_id,
            revision=request.revision,
            inputs=request.inputs,
            labels=labels,
            wait=request.wait,
            schedule_date=request.schedule_date,
        )
    )

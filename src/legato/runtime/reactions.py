"""How each event changes the execution (before ``Machine.settle`` advances it).

Invariants:

* Duplicate or stale events are ignored: a worker result for a terminal task run or for another
  attempt, a timer for a task run that moved on, a resume of an execution that is not paused.
* ``TaskRunFinished`` FAILED with a retry left either schedules the next attempt
  (RETRY_FAILED_TASK: the task run and the execution go RETRYING, a ``retry`` timer is set) or
  ends the execution RETRIED and creates its replay (CREATE_NEW_EXECUTION).
* Concurrency (flow ``concurrency.limit`` against ``StepContext.running_executions``, which
  does not count this execution): QUEUE → QUEUED until a ``ConcurrencySlotFreed``, CANCEL →
  CANCELLED, FAIL → FAILED.
* MAX_DURATION SLA timers are asked when an execution starts (CREATED) or resumes after a
  restart or replay (RESTARTED); a due one is handed to ``sla.deadline_reached``.
"""

from __future__ import annotations

from typing import Any

from legato.model.execution import StateType, TaskRun, TaskRunAttempt
from legato.runtime import ending, interrupts, retries, sla, starting
from legato.runtime.commands import (
    CreateExecution,
    KillSubflows,
    KillTaskRuns,
    ScheduleTimer,
)
from legato.runtime.events import (
    ConcurrencySlotFreed,
    Event,
    ExecutionCreated,
    KillRequested,
    ResumeRequested,
    SubflowFinished,
    TaskRunFinished,
    TaskRunStarted,
    TimerFired,
)
from legato.runtime.machine import Machine
from legato.sdk import flowable

#: execution states in which a failed attempt may be retried
_RETRYABLE = frozenset({StateType.RUNNING, StateType.RETRYING, StateType.PAUSED})


def react(machine: Machine, event: Event) -> None:
    """Apply ``event`` to the machine's book."""
    if isinstance(event, ExecutionCreated | ConcurrencySlotFreed):
        _start_execution(machine)
    elif isinstance(event, TaskRunStarted):
        _task_run_started(machine, event)
    elif isinstance(event, TaskRunFinished):
        _task_run_finished(machine, event)
    elif isinstance(event, TimerFired):
        _timer_fired(machine, event)
    elif isinstance(event, KillRequested):
        _kill(machine, event)
    elif isinstance(event, ResumeRequested):
        _resume(machine, event)
    else:
        _subflow_finished(machine, event)


def _start_execution(machine: Machine) -> None:
    book = machine.book
    if book.current == StateType.RESTARTED:
        sla.schedule_deadlines(machine)
        _resume_restarted(machine)
        return
    if book.current not in (StateType.CREATED, StateType.QUEUED):
        return
    if book.current == StateType.CREATED:
        sla.schedule_deadlines(machine)
    concurrency = machine.ctx.flow.concurrency
    if concurrency is not None and machine.ctx.running_executions >= concurrency.limit:
        if concurrency.behavior == "QUEUE":
            book.set_state(StateType.QUEUED, machine.now)
            return
        state = StateType.CANCELLED if concurrency.behavior == "CANCEL" else StateType.FAILED
        machine.log("WARN", f"flow concurrency limit {concurrency.limit} reached: {state.value}")
        ending.end_execution(machine, state, render_outputs=False)
        return
    book.set_state(StateType.RUNNING, machine.now)
    machine.mark(None)


#: executor-run tasks that a restart runs again from the start (a new child execution)
_STARTED_AGAIN = (flowable.SubflowStarting, flowable.SubflowsStarting, flowable.ExecutionUpdating)


def _resume_restarted(machine: Machine) -> None:
    """Carry on a restarted or replayed execution: RESTARTED task runs run again."""
    machine.book.set_state(StateType.RUNNING, machine.now)
    for run in [r for r in machine.book.runs.values() if r.state.current == StateType.RESTARTED]:
        task = machine.task_of(run)
        if task is None:
            machine.fail_run(run, f"task '{run.taskId}' is no longer in the flow")
        elif isinstance(task, flowable.Pausing):
            _resume_run(machine, run, {})
        elif isinstance(task, _STARTED_AGAIN):
            starting.start(machine, machine.set_run_state(run, StateType.CREATED), task)
        elif _is_flowable(task):
            machine.set_run_state(run, StateType.RUNNING)
            machine.mark(run.id)
        else:
            starting.dispatch(machine, machine.set_run_state(run, StateType.CREATED), task)
    machine.mark(None)


def _task_run_started(machine: Machine, event: TaskRunStarted) -> None:
    run = machine.book.get(event.task_run_id)
    if run is None or run.state.current.is_terminal or len(run.attempts) != event.attempt:
        return
    last = run.attempts[-1]
    attempt = last.model_copy(
        update={
            "state": last.state.with_state(StateType.RUNNING, machine.now),
            "workerId": event.worker_id or None,
        }
    )
    machine.set_run_state(run, StateType.RUNNING, attempts=(*run.attempts[:-1], attempt))


def _finish_attempt(run: TaskRun, event: TaskRunFinished, machine: Machine) -> TaskRun:
    last = run.attempts[-1] if run.attempts else TaskRunAttempt(state=run.state)
    attempt = last.model_copy(update={"state": last.state.with_state(event.state, machine.now)})
    outputs = run.outputs
    if event.outputs is not None:
        outputs = {**(outputs or {}), **event.outputs}
    return run.model_copy(update={"attempts": (*run.attempts[:-1], attempt), "outputs": outputs})


def _task_run_finished(machine: Machine, event: TaskRunFinished) -> None:
    run = machine.book.get(event.task_run_id)
    if run is None or run.state.current.is_terminal or len(run.attempts) != event.attempt:
        return
    run = _finish_attempt(run, event, machine)
    machine.book.put(run)
    for child in event.children:
        _add_reported_child(machine, child)
    if event.error and not event.worker_id:
        machine.log("ERROR", event.error, run.id)  # a worker logs its own errors, with the attempt
    state = event.state
    task = machine.task_of(run)
    if task is None:
        machine.set_run_state(run, state)
        return
    ancestors = [t for a in machine.book.ancestors(run) if (t := machine.task_of(a))]
    policy = retries.policy_for(task, ancestors, machine.ctx.flow.retry)
    if state == StateType.FAILED and event.retryable and machine.book.current in _RETRYABLE:
        plan = retries.plan(policy, run, machine.now)
        if plan is not None:
            _retry(machine, run, plan)
            return
    if state == StateType.SUCCESS and policy is not None and policy.warningOnRetry:
        state = StateType.WARNING if retries.had_retries(run) else state
    machine.end_run(run, state)


def _add_reported_child(machine: Machine, data: dict[str, Any]) -> None:
    child = TaskRun.model_validate(data)
    if machine.book.get(child.id) is None:
        machine.book.add(child)
    else:
        machine.book.put(child)


def _retry(machine: Machine, run: TaskRun, plan: retries.RetryPlan) -> None:
    if plan.behavior == "CREATE_NEW_EXECUTION":
        from legato.runtime.restarts import replay

        machine.set_run_state(run, StateType.FAILED)
        execution = machine.book.freeze()
        new = replay(execution, run.id, machine.ctx.flow, machine.now, machine.ctx.ids)
        metadata = new.metadata.model_copy(
            update={"attemptNumber": execution.metadata.attemptNumber + 1}
        )
        new = new.model_copy(update={"metadata": metadata, "scheduleDate": plan.at})
        running = [r.id for r in machine.book.active() if r.attempts]
        if running:
            machine.commands.append(KillTaskRuns(tuple(running)))
        machine.commands.append(CreateExecution(new))
        ending.end_execution(machine, StateType.RETRIED, render_outputs=False)
        return
    machine.set_run_state(run, StateType.RETRYING)
    if machine.book.current == StateType.RUNNING:
        machine.book.set_state(StateType.RETRYING, machine.now)
    machine.commands.append(ScheduleTimer(plan.at, TimerFired("retry", run.id)))


def _timer_fired(machine: Machine, event: TimerFired) -> None:
    if sla.is_deadline(event):
        sla.deadline_reached(machine, event)
        return
    run = machine.book.get(event.task_run_id or "")
    if run is None:
        return
    if event.purpose == "retry" and run.state.current == StateType.RETRYING:
        if machine.book.current == StateType.RETRYING:
            machine.book.set_state(StateType.RUNNING, machine.now)
        task = machine.task_of(run)
        run = machine.set_run_state(run, StateType.CREATED)
        if task is not None:
            starting.dispatch(machine, run, task)
    elif event.purpose.startswith("pause:") and run.state.current == StateType.PAUSED:
        _pause_elapsed(machine, run, event.purpose.removeprefix("pause:"))
    elif event.purpose == "wake" and run.state.current == StateType.RUNNING:
        machine.mark(run.id)


_PAUSE_OUTCOME = {
    "WARN": StateType.WARNING,
    "FAIL": StateType.FAILED,
    "CANCEL": StateType.CANCELLED,
}


def _pause_elapsed(machine: Machine, run: TaskRun, behavior: str) -> None:
    outcome = _PAUSE_OUTCOME.get(behavior)
    if outcome is None:
        _resume_run(machine, run, {})
    else:
        machine.end_run(run, outcome)
    _unpause_execution(machine, StateType.RUNNING)


def _resume_run(machine: Machine, run: TaskRun, inputs: dict[str, Any]) -> None:
    task = machine.task_of(run)
    outputs = {**(run.outputs or {}), "onResume": inputs} if inputs else run.outputs
    if task is not None and getattr(task, "tasks", None):
        machine.set_run_state(run, StateType.RUNNING, outputs=outputs)
        machine.mark(run.id)
    else:
        machine.end_run(run, StateType.SUCCESS, outputs=outputs)


def _unpause_execution(machine: Machine, via: StateType) -> None:
    book = machine.book
    if any(r.state.current == StateType.PAUSED for r in book.active()):
        return
    book.set_state(via, machine.now)
    book.set_state(StateType.RUNNING, machine.now)


def _resume(machine: Machine, event: ResumeRequested) -> None:
    if machine.book.current != StateType.PAUSED:
        return
    for run in [r for r in machine.book.active() if r.state.current == StateType.PAUSED]:
        _resume_run(machine, run, dict(event.inputs))
    _unpause_execution(machine, StateType.RESTARTED)


def _kill(machine: Machine, event: KillRequested) -> None:
    book = machine.book
    if book.current.is_terminal or book.current == StateType.KILLING:
        return
    book.set_state(StateType.KILLING, machine.now)
    workers: list[str] = []
    subflows: list[str] = []
    for run in list(book.active()):
        task = machine.task_of(run)
        state = run.state.current
        children = interrupts.child_executions(run)
        if state == StateType.RUNNING and children:
            if event.cascade:
                subflows.extend(children)
            machine.set_run_state(run, StateType.KILLED)
        elif state == StateType.RUNNING and _is_flowable(task):
            machine.mark(run.id)
        elif state == StateType.RUNNING:
            workers.append(run.id)
        else:
            if run.attempts and state == StateType.CREATED:
                workers.append(run.id)
            machine.set_run_state(run, StateType.KILLED)
    if workers:
        machine.commands.append(KillTaskRuns(tuple(workers)))
    if subflows:
        machine.commands.append(KillSubflows(tuple(subflows)))
    machine.mark(None)


def _is_flowable(task: object) -> bool:
    return (
        task is not None
        and type(task).runs_in_executor  # type: ignore[attr-defined]
        and not getattr(type(task), "dispatch_as_group", False)
    )


def _subflow_finished(machine: Machine, event: SubflowFinished) -> None:
    run = machine.book.get(event.task_run_id)
    if run is None or run.state.current.is_terminal:
        return
    task = machine.task_of(run)
    if isinstance(task, flowable.SubflowsStarting):
        _batch_finished(machine, run, task, event)
        return
    outputs: dict[str, Any] = {**(run.outputs or {}), "executionId": event.child_execution_id}
    wait = bool(getattr(task, "wait", True))
    if not event.state.is_terminal:
        machine.set_run_state(run, run.state.current, outputs=outputs)
        if not wait:
            machine.end_run(run, StateType.SUCCESS, outputs=outputs)
        return
    outputs["state"] = event.state.value
    if event.outputs is not None:
        outputs["outputs"] = event.outputs
    machine.end_run(
        run,
        _subflow_state(event.state, bool(getattr(task, "transmitFailed", True))),
        outputs=outputs,
    )


def _placed(outputs: dict[str, Any], child_id: str, value: dict[str, Any]) -> list[Any]:
    """``subflowOutputs`` with ``value`` at its batch's place: children announced at creation
    (``executionIds``, in iteration order) fill their slot (None until they end), others come
    after them; the Nones left are dropped once every batch ended."""
    merged = list(outputs.get("subflowOutputs") or [])
    ids: list[str] = outputs.get("executionIds") or []
    merged.extend([None] * (len(ids) - len(merged)))
    if child_id not in ids:
        return [*merged, value]
    merged[ids.index(child_id)] = value
    return merged


def _subflow_state(child: StateType, transmit_failed: bool) -> StateType:
    """Kestra's ``ExecutableUtils.guessState``: with ``transmitFailed`` a FAILED, KILLED or
    WARNING child passes its state on; anything else (or no transmitFailed) is SUCCESS."""
    if transmit_failed and child in (StateType.FAILED, StateType.KILLED, StateType.WARNING):
        return child
    return StateType.SUCCESS


def _batch_finished(machine: Machine, run: TaskRun, task: object, event: SubflowFinished) -> None:
    """One child of a multi-subflow task run (ForEachItem ``_items``) reported."""
    wait = bool(getattr(task, "wait", True))
    outputs = dict(run.outputs or {})
    if not event.state.is_terminal and wait:
        known = outputs.get("executionIds", [])
        if event.child_execution_id and event.child_execution_id not in known:
            ids = [*known, event.child_execution_id]
            machine.set_run_state(run, run.state.current, outputs={**outputs, "executionIds": ids})
        return
    iterations = dict(outputs.get("iterations") or {})
    iterations["CREATED"] = iterations.get("CREATED", 0) - 1
    state = event.state if event.state.is_terminal else StateType.SUCCESS
    iterations[state.value] = iterations.get(state.value, 0) + 1
    outputs["iterations"] = iterations
    if event.outputs is not None:
        outputs["subflowOutputs"] = _placed(outputs, event.child_execution_id, event.outputs)
    if iterations["CREATED"] > 0:
        machine.set_run_state(run, run.state.current, outputs=outputs)
        return
    if "subflowOutputs" in outputs:
        outputs["subflowOutputs"] = [o for o in outputs["subflowOutputs"] if o is not None]
    transmit = bool(getattr(task, "transmitFailed", True))
    ended = [StateType(name) for name, count in iterations.items() if count and name != "CREATED"]
    final = _subflow_state(flowable.worst(ended), transmit)
    machine.end_run(run, final, outputs=outputs)

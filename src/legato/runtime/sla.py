"""Flow SLAs (Kestra's ``sla``): MAX_DURATION deadlines and EXECUTION_ASSERTION checks.

Invariants (Kestra's executor, ``SLAService`` / ``ExecutorService.processViolation``):

* MAX_DURATION: when an execution starts (CREATED, before its concurrency check, so queued time
  counts) and whenever it is restarted or replayed (RESTARTED), one ``ScheduleTimer`` per
  MAX_DURATION SLA is asked at the execution's start date (its first state history) plus
  ``duration``. The timer's purpose is ``sla:<attemptNumber>:<sla id>``: a restart raises the
  attempt number, so timers asked before it are stale and ignored. A timer of an ended
  execution, or of an SLA no longer in the flow, does nothing. A PAUSED execution is not
  exempt: its deadline is enforced like a running one's.
* EXECUTION_ASSERTION: checked whenever the execution changed and before the machine decides
  what follows (``Machine.settle``), while it is started and not terminal; so the assertion sees
  the outputs of a task that just ended but never the flow ``outputs`` or the final state. An
  assertion that cannot be rendered is violated with its own behaviour (fail-closed, Kestra
  >= 1.1): guard values that may not exist yet (``is defined``, ``??``).
* Every violation is logged at WARN as ``SLA '<id>' violated: <reason>``; only the first
  violation of a check changes the execution:

  - FAIL: an ERROR line ``Execution failed due to SLA '<id>' violated: <reason>``, then the
    execution ends FAILED at once; CANCEL: it ends CANCELLED at once. Like Kestra's ``markAs``,
    the last live task run takes that state and the other live ones end KILLED; dispatched jobs
    get ``KillTaskRuns`` and child executions ``KillSubflows`` (Kestra kills with cascade).
    Flow ``outputs`` are not rendered; ``afterExecution`` still runs.
  - NONE: nothing but the labels (so a false NONE assertion is logged at each change, as in
    Kestra).
  - The SLA's ``labels`` are added to the execution (a label of the same key is replaced).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from legato.errors import LegatoError
from legato.model.execution import Label, StateType, TaskRun
from legato.model.flow_parts import ExecutionAssertionSla, MaxDurationSla
from legato.model.property import format_duration
from legato.runtime import ending, interrupts, starting
from legato.runtime.commands import KillSubflows, KillTaskRuns, ScheduleTimer
from legato.runtime.events import TimerFired

if TYPE_CHECKING:
    from legato.model.flow_parts import Sla
    from legato.runtime.machine import Machine

#: the purpose prefix of MAX_DURATION timers
PURPOSE = "sla:"

_STOPPING = {"FAIL": StateType.FAILED, "CANCEL": StateType.CANCELLED}
#: execution states in which assertions are not checked yet
_NOT_STARTED = frozenset({StateType.CREATED, StateType.QUEUED})
#: what an unrenderable assertion may raise
_RENDER_ERRORS = (LegatoError, ValueError, TypeError, KeyError)


def schedule_deadlines(machine: Machine) -> None:
    """Ask one timer per MAX_DURATION SLA, at the execution's start date plus its duration."""
    execution = machine.book.head()
    start = execution.state.histories[0].date
    attempt = execution.metadata.attemptNumber
    for sla in machine.ctx.flow.sla or ():
        if isinstance(sla, MaxDurationSla):
            event = TimerFired(f"{PURPOSE}{attempt}:{sla.id}")
            machine.commands.append(ScheduleTimer(start + sla.duration, event))


def is_deadline(event: TimerFired) -> bool:
    """True for a timer asked by ``schedule_deadlines``."""
    return event.purpose.startswith(PURPOSE)


def deadline_reached(machine: Machine, event: TimerFired) -> None:
    """A MAX_DURATION timer is due: enforce its SLA unless the timer is stale."""
    attempt, _, sla_id = event.purpose.removeprefix(PURPOSE).partition(":")
    execution = machine.book.head()
    if execution.state.current.is_terminal or attempt != str(execution.metadata.attemptNumber):
        return
    sla = next((s for s in machine.ctx.flow.sla or () if s.id == sla_id), None)
    if not isinstance(sla, MaxDurationSla):
        return
    elapsed = machine.now - execution.state.histories[0].date
    reason = (
        f"execution duration of {format_duration(elapsed)} reached the maximum duration "
        f"of {format_duration(sla.duration)}."
    )
    _violated(machine, sla, reason)
    _apply(machine, sla, reason)


def check_assertions(machine: Machine) -> None:
    """Check every EXECUTION_ASSERTION SLA of a started, not terminal execution."""
    slas = machine.ctx.flow.sla
    if not slas:
        return
    current = machine.book.current
    if current in _NOT_STARTED or current.is_terminal:
        return
    first: tuple[Sla, str] | None = None
    for sla in slas:
        if isinstance(sla, ExecutionAssertionSla):
            reason = _assertion_failure(machine, sla)
            if reason is not None:
                _violated(machine, sla, reason)
                first = first or (sla, reason)
    if first is not None:
        _apply(machine, *first)


def _assertion_failure(machine: Machine, sla: ExecutionAssertionSla) -> str | None:
    """Why ``sla``'s assertion does not hold now, or None when it holds."""
    try:
        rendered = machine.renderer.render_text(str(sla.assertion), None, None)
    except _RENDER_ERRORS as error:
        return (
            f"assertion could not be evaluated: {error}. It is checked at every change of the "
            "execution: guard values that may not exist yet (is defined, ??)."
        )
    if starting.is_truthy(rendered):
        return None
    return f"assertion is false: {sla.assertion}."


def _violated(machine: Machine, sla: Sla, reason: str) -> None:
    machine.log("WARN", f"SLA '{sla.id}' violated: {reason}")


def _apply(machine: Machine, sla: Sla, reason: str) -> None:
    """Carry out ``sla``'s behaviour and add its labels."""
    _add_labels(machine, sla)
    state = _STOPPING.get(sla.behavior)
    if state is None:
        return
    if state == StateType.FAILED:
        machine.log("ERROR", f"Execution failed due to SLA '{sla.id}' violated: {reason}")
    _stop(machine, state)


def _add_labels(machine: Machine, sla: Sla) -> None:
    if not sla.labels:
        return
    labels = {label.key: label.value for label in machine.book.head().labels}
    labels.update({label.key: label.value for label in sla.labels})
    machine.book.update(labels=tuple(Label(key=k, value=v) for k, v in labels.items()))


def _stop(machine: Machine, state: StateType) -> None:
    """End the execution in ``state`` now, interrupting everything still alive."""
    live = list(machine.book.active())
    jobs = tuple(run.id for run in live if _has_live_attempt(run))
    children = tuple(c for run in live for c in interrupts.child_executions(run))
    for index, run in enumerate(live):
        machine.set_run_state(run, state if index == len(live) - 1 else StateType.KILLED)
    if jobs:
        machine.commands.append(KillTaskRuns(jobs))
    if children:
        machine.commands.append(KillSubflows(children))
    ending.end_execution(machine, state, render_outputs=False)


def _has_live_attempt(run: TaskRun) -> bool:
    """True when a worker job of ``run`` is queued or running (its last attempt goes on)."""
    return bool(run.attempts) and not run.attempts[-1].state.current.is_terminal

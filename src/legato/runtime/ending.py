"""The flow's own lists and the end of an execution.

Invariants:

* The flow's ``tasks`` / ``errors`` / ``finally`` lists follow the same rules as a Sequential
  (``sdk.flowable_utils.sequence_decision``); the final state is the worst state of ``tasks`` only.
  A failing ``finally`` task does not change it: Kestra's ``guessFinalState`` reads the
  ``tasks`` branch only, and we follow it.
* ``afterExecution`` runs once the execution has ended (its state and ``ExecutionEnded`` come
  first, so ``{{ execution.state }}`` is the final state); its outcomes never change it.
* At the end, flow ``outputs`` are rendered and coerced to their type; an error makes the
  execution FAILED with an ERROR log line. ``ExecutionEnded`` is emitted exactly once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from legato.errors import LegatoError
from legato.model import input_coercion
from legato.model.execution import StateType, TaskRun
from legato.runtime.commands import ExecutionEnded, ScheduleTimer
from legato.runtime.context import FlowableView, root_run
from legato.runtime.events import TimerFired
from legato.sdk import flowable, flowable_utils

if TYPE_CHECKING:
    from legato.runtime.machine import Machine


def evaluate_root(machine: Machine) -> None:
    """Advance the flow's own lists; end the execution when they are done, then run
    ``afterExecution`` on the ended execution."""
    flow = machine.ctx.flow
    book = machine.book
    if book.current == StateType.KILLING:
        if next(book.active(), None) is None:
            end_execution(machine, StateType.KILLED, render_outputs=False)
        return
    view = FlowableView(book, machine.renderer, None, root_run(book, machine.now))
    if not book.current.is_terminal:
        nexts, final = flowable_utils.sequence_decision(
            view, flow.tasks, flow.errors, flow.finally_
        )
        if nexts:
            machine.start_runs(None, nexts)
            return
        if final is None:
            return
        end_execution(machine, final)
    if _runs_after_execution(machine):
        after = flowable.Branch(flowable.enabled(flow.afterExecution))
        machine.start_runs(None, flowable_utils.sequential_next(view, after))


def _runs_after_execution(machine: Machine) -> bool:
    """``afterExecution`` runs once an execution that really ran has ended (not one cancelled
    or failed by its concurrency limit, nor one replaced by a retry)."""
    state = machine.book.state
    assert state is not None
    if not machine.ctx.flow.afterExecution or state.current == StateType.RETRIED:
        return False
    return any(entry.state == StateType.RUNNING for entry in state.histories)


def end_execution(machine: Machine, state: StateType, *, render_outputs: bool = True) -> None:
    """Move the execution to ``state`` (after rendering flow outputs) and say so."""
    if machine.book.current.is_terminal:
        return
    if render_outputs and machine.ctx.flow.outputs:
        try:
            machine.book.update(outputs=flow_outputs(machine))
        except (LegatoError, ValueError, TypeError) as error:
            machine.log("ERROR", f"flow outputs could not be rendered: {error}")
            state = StateType.FAILED
    machine.book.set_state(state, machine.now)
    machine.commands.append(ExecutionEnded(state))


def flow_outputs(machine: Machine) -> dict[str, Any]:
    """The flow's ``outputs`` rendered and coerced; dotted ids become nested maps."""
    result: dict[str, Any] = {}
    for output in machine.ctx.flow.outputs or []:
        value = machine.renderer.render(output.value, None, None)
        try:
            typed = input_coercion.coerce_value(output.type, value)
        except input_coercion.Mismatch as error:
            raise ValueError(
                f"output '{output.id}' is not a valid {output.type.value}: {error}"
            ) from error
        node = result
        *path, last = output.id.split(".")
        for key in path:
            node = node.setdefault(key, {})
        node[last] = typed
    return result


def schedule_wake(machine: Machine, run: TaskRun, at: datetime | None) -> None:
    """Ask for a ``wake`` timer for ``run`` at ``at`` (nothing when None)."""
    if at is not None:
        machine.commands.append(ScheduleTimer(at, TimerFired("wake", run.id)))

"""The pure execution machine: ``step(execution, event, ctx) -> Transition``.

No I/O, no wall clock, no randomness: time, ids and platform reads arrive through ``StepContext``.

Public API::

    step(execution, event, ctx) -> Transition
    step_all(execution, events, ctx) -> Transition           # several events, settled as one
    restart(execution, flow, now, ids) -> Execution          # same id, RESTARTED
    replay(execution, task_run_id | None, flow, now, ids) -> Execution   # a new execution
"""

from __future__ import annotations

from collections.abc import Sequence

from legato.model.execution import Execution
from legato.runtime.book import Book
from legato.runtime.events import Event, TaskRunFinished, TaskRunStarted
from legato.runtime.machine import Machine
from legato.runtime.reactions import react
from legato.runtime.restarts import replay, restart
from legato.runtime.step import StepContext, Transition

__all__ = ["replay", "restart", "step", "step_all"]


def step(execution: Execution, event: Event, ctx: StepContext) -> Transition:
    """The execution after ``event``, the commands to carry out and the log lines to write."""
    machine = Machine(Book.of(execution), ctx)
    react(machine, event)
    machine.settle()
    return machine.transition()


#: worker reports: facts about one task run each, whose reactions read no decision of the others
_REPORTS = (TaskRunStarted, TaskRunFinished)


def step_all(execution: Execution, events: Sequence[Event], ctx: StepContext) -> Transition:
    """``step`` over several events of ``execution`` in order, as one transition.

    Consecutive worker reports (``TaskRunStarted``/``TaskRunFinished``) are all reacted to before
    the machine settles once: each only records what a worker saw, so deciding after the last
    of them gives the decisions deciding after each would have reached, without re-evaluating
    a loop of a thousand children a thousand times. Any other event is settled on its own.
    """
    machine = Machine(Book.of(execution), ctx)
    for index, event in enumerate(events):
        react(machine, event)
        following = events[index + 1] if index + 1 < len(events) else None
        if not (isinstance(event, _REPORTS) and isinstance(following, _REPORTS)):
            machine.settle()
    return machine.transition()

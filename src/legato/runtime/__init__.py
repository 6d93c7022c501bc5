"""The pure execution machine: ``step(execution, event, ctx) -> Transition``.

No I/O, no wall clock, no randomness: time, ids and platform reads arrive through ``StepContext``.

Public API::

    step(execution, event, ctx) -> Transition
    restart(execution, flow, now, ids) -> Execution          # same id, RESTARTED
    replay(execution, task_run_id | None, flow, now, ids) -> Execution   # a new execution
"""

from __future__ import annotations

from legato.model.execution import Execution
from legato.runtime.book import Book
from legato.runtime.events import Event
from legato.runtime.machine import Machine
from legato.runtime.reactions import react
from legato.runtime.restarts import replay, restart
from legato.runtime.step import StepContext, Transition

__all__ = ["replay", "restart", "step"]


def step(execution: Execution, event: Event, ctx: StepContext) -> Transition:
    """The execution after ``event``, the commands to carry out and the log lines to write."""
    machine = Machine(Book.of(execution), ctx)
    react(machine, event)
    machine.settle()
    return machine.transition()

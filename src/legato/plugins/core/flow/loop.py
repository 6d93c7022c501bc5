"""``io.kestra.plugin.core.flow.Loop``: run a group of tasks once per value, each iteration apart.

Kestra (1.x, the only loop of 2.0) runs every iteration as an execution of its own. Legato runs
the iterations as branches of the Loop's task run inside the one execution, as ``ForEach`` does
(``LoopBranches``: the same numbering, the same O(tasks) decisions), and gives the tasks of an
iteration what Kestra's isolation lets them observe:

* ``item.value`` (the value as text: maps and lists as JSON), ``item.index`` (from 0), and for a
  map of values ``item.key``; inside nested Loops ``item.parent`` / ``item.parents`` (nearest
  first) are the enclosing iterations' items. The value is also the children's
  ``taskrun.value``.
* ``outputs`` and ``tasks`` show the loop's tasks as their own iteration made them
  (``outputs.t.x``, never nested by the value), and leave other iterations out
  (``model.run_variables.iteration_view``, switched on by ``iteration_item``).
* Values are kept as given, duplicates included; a null value is an error.
* ``concurrencyLimit`` iterations run at a time (0 = all of them).
* ``transmitFailed`` (default true): an iteration that fails (or is killed) fails the Loop and no
  new iteration starts; false: that iteration ends alone, the others go on, and the Loop ends
  SUCCESS. Warnings never reach the Loop's state.
* The Loop's outputs: ``iterationCount`` (the number of values; set when it starts),
  ``runningIterations`` (0 once ended), ``terminatedIterations`` (iterations per final state) and,
  when ``outputs`` are declared, ``outputs``: one ``{item: {value, iteration, key?}, outputs}``
  per iteration that ended without failing, its declared outputs rendered in that iteration and
  coerced to their type (read them with ``loopOutputs(outputs.loop.outputs, 'id')``).

Where Legato differs from Kestra (docs/decisions.md, "flow.Loop"): the iterations are task runs of
the execution, not executions (no execution per iteration to open, restart or count); ``errors``
and ``finally`` run once for the whole Loop when its iterations ended, not inside each iteration;
iterations still running when another one fails are waited for, not left behind; a killed
iteration ends the Loop KILLED (Kestra ends it SUCCESS); tasks after the Loop still see the
iterations' outputs nested by value (Kestra hides them); iterations with equal values share that
nesting; declared ``outputs`` are listed in iteration order, not completion order. ``breakWhen``,
``fetchType: STORE`` and values read from an internal-storage file are not supported: a Loop using
them fails saying so. A list of ``{key, value}`` maps given through an expression is read as a map
(``item.key``), as a map given through an expression is.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import NonNegativeInt

from legato.model import input_coercion
from legato.model.execution import StateType, TaskRun
from legato.model.outputs import Output
from legato.plugins.core.flow.base import BranchingTask
from legato.plugins.core.flow.loops import LoopValues, loop_branches
from legato.plugins.core.values import NonEmptyTasks
from legato.sdk import plugin
from legato.sdk.flowable import (
    FAILED_STATES,
    FlowableContext,
    LoopBranches,
    NextRun,
    value_text,
    worst,
)
from legato.sdk.flowable_utils import loop_progress, with_handlers


def iteration_values(values: list[Any]) -> list[str]:
    """Kestra's Loop values as ``item.value`` texts, in order, duplicates kept; a null value is an
    error."""
    nulls = sum(1 for value in values if value is None)
    if nulls:
        raise ValueError(f"found {nulls} null value(s) in the loop values {values!r}; remove them")
    return [value_text(value) for value in values]


@plugin(
    "io.kestra.plugin.core.flow.Loop",
    title="Run a group of tasks for each value, each iteration in its own context.",
)
class Loop(BranchingTask):
    """Run ``tasks`` once per value, ``concurrencyLimit`` iterations at a time (0 = all);
    ``item.value`` / ``item.index`` are the iteration's value and position."""

    values: LoopValues
    concurrencyLimit: NonNegativeInt = 0
    transmitFailed: bool = True
    outputs: list[Output] | None = None
    fetchType: Literal["AUTO", "FETCH", "STORE"] = "AUTO"
    breakWhen: str | None = None
    tasks: NonEmptyTasks

    def _branches(self, ctx: FlowableContext) -> LoopBranches:
        if self.breakWhen is not None:
            raise ValueError(
                "flow.Loop 'breakWhen' is not supported by Legato yet; remove it, or stop the "
                "work with an If inside the iteration"
            )
        if self.fetchType == "STORE":
            raise ValueError(
                "flow.Loop 'fetchType: STORE' is not supported by Legato: iteration outputs are "
                "kept in the Loop's outputs; use AUTO or FETCH"
            )
        return loop_branches(self, ctx, self.values, self.tasks, iteration_values)

    def flowable_outputs(self, ctx: FlowableContext) -> dict[str, Any] | None:
        return {"iterationCount": len(self._branches(ctx))}

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        branches = self._branches(ctx)
        done, state, nexts = loop_progress(
            ctx, branches, self.concurrencyLimit, stop_on_failure=self.transmitFailed
        )
        if not (self.transmitFailed and state in FAILED_STATES):
            state = StateType.SUCCESS
        runs, final = with_handlers(ctx, (done, state, nexts), self.errors, self.finally_)
        if final is not None:
            self.final_outputs(ctx)  # a declared output that cannot be rendered fails the Loop
        return runs, final

    def iteration_item(self, child: TaskRun) -> dict[str, Any] | None:
        """``{value, index}`` (and ``key`` for a map entry) of ``child``'s iteration."""
        if child.value is None or child.iteration is None:
            return None
        item: dict[str, Any] = {"value": child.value, "index": child.iteration}
        entry = None if isinstance(self.values, list) else _map_entry(child.value)
        if entry is not None:
            item["key"], item["value"] = entry
        return item

    def final_outputs(self, ctx: FlowableContext) -> dict[str, Any]:
        """``iterationCount``, ``runningIterations``, ``terminatedIterations`` and the declared
        ``outputs`` of the iterations that ended without failing."""
        branches = self._branches(ctx)
        states: dict[int, list[StateType]] = {}
        for run in ctx.children():
            if run.value is not None and run.iteration is not None:
                states.setdefault(run.iteration, []).append(run.state.current)
        running = 0
        terminated: dict[str, int] = {}
        for iteration_states in states.values():
            if all(state.is_terminal for state in iteration_states):
                name = worst(iteration_states).value
                terminated[name] = terminated.get(name, 0) + 1
            else:
                running += 1
        result: dict[str, Any] = {
            "iterationCount": len(branches),
            "runningIterations": running,
            "terminatedIterations": terminated,
        }
        if self.outputs:
            declared = []
            for index, branch in enumerate(branches):
                ended = states.get(index)
                if not ended or any(s in FAILED_STATES or not s.is_terminal for s in ended):
                    continue
                first = ctx.child(branch.tasks[0].id, branch.value, branch.iteration)
                if first is None:
                    continue
                item = self.iteration_item(first) or {"value": branch.value}
                described = {"value": item["value"], "iteration": index}
                if "key" in item:
                    described["key"] = item["key"]
                outputs = self._iteration_outputs(ctx, first, index)
                declared.append({"item": described, "outputs": outputs})
            if declared:
                result["outputs"] = declared
        return result

    def _iteration_outputs(self, ctx: FlowableContext, run: TaskRun, index: int) -> dict[str, Any]:
        """The declared ``outputs`` rendered as the iteration of ``run`` sees them, typed."""
        values: dict[str, Any] = {}
        for output in self.outputs or []:
            try:
                values[output.id] = input_coercion.coerce_value(
                    output.type, ctx.render_in(run, output.value)
                )
            except input_coercion.Mismatch as error:
                raise ValueError(
                    f"output '{output.id}' of loop iteration {index} is not a valid "
                    f"{output.type.value}: {error}"
                ) from error
        return values


def _map_entry(text: str) -> tuple[str, str] | None:
    """``(key, value text)`` when ``text`` is a map entry as the loop values give it."""
    if not text.startswith('{"key":'):
        return None
    try:
        entry = json.loads(text)
    except ValueError:
        return None
    if isinstance(entry, dict) and set(entry) == {"key", "value"}:
        return value_text(entry["key"]), value_text(entry["value"])
    return None

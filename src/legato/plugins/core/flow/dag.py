"""Core ``Dag`` flowable: children ordered by their ``dependsOn`` links.

Invariants (checked at validation, as Kestra's ``DagTaskValidator``): ``tasks`` is non-empty;
every ``dependsOn`` names a task of this Dag (reported at that
``dependsOn`` entry); the dependencies form no cycle (reported at the Dag, naming the cycle,
e.g. ``a -> b -> a``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, NonNegativeInt, field_validator, model_validator

from legato.model.execution import StateType
from legato.model.property import Dyn
from legato.model.violations import PropertyError
from legato.plugins.core.flow.base import BranchingTask
from legato.sdk import AnyTask, plugin
from legato.sdk.flowable import FlowableContext, NextRun, worst
from legato.sdk.flowable_utils import with_handlers

_PASSED = frozenset({StateType.SUCCESS, StateType.WARNING, StateType.SKIPPED})
_FAILED = frozenset({StateType.FAILED, StateType.KILLED, StateType.CANCELLED})


class DagTask(BaseModel):
    """One node of a Dag: a task and the ids of the Dag tasks it waits for."""

    model_config = ConfigDict(extra="forbid")

    task: AnyTask
    dependsOn: list[str] | None = None


@plugin(
    "io.kestra.plugin.core.flow.Dag",
    aliases=("io.kestra.core.tasks.flows.Dag",),
    title="Run tasks in the order given by their dependencies.",
)
class Dag(BranchingTask):
    """Run ``tasks`` as a DAG: each starts once every task of its ``dependsOn`` succeeded."""

    concurrent: Dyn[NonNegativeInt] = 0
    onChildFailure: Dyn[Literal["CONTINUE", "CANCELLED", "FAILED"]] = "CONTINUE"
    tasks: list[DagTask]

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        value = None
        nodes = [node for node in self.tasks if not node.task.disabled]
        disabled = {node.task.id for node in self.tasks if node.task.disabled}
        runs = {node.task.id: ctx.child(node.task.id, value) for node in nodes}
        states = [run.state.current for run in runs.values() if run is not None]
        busy = sum(1 for state in states if not state.is_terminal)
        failed = any(state in _FAILED for state in states)
        limit = int(ctx.render(self.concurrent))
        nexts: list[NextRun] = []
        if not failed:
            for node in nodes:
                if runs[node.task.id] is not None or (limit and busy >= limit):
                    continue
                deps = [d for d in node.dependsOn or [] if d not in disabled]
                if all((r := runs.get(d)) is not None and r.state.current in _PASSED for d in deps):
                    nexts.append(NextRun(node.task, value))
                    busy += 1
        done = not nexts and busy == 0 and (failed or len(states) == len(nodes))
        return with_handlers(ctx, (done, worst(states), nexts), self.errors, self.finally_)

    @field_validator("tasks")
    @classmethod
    def _not_empty(cls, tasks: list[DagTask]) -> list[DagTask]:
        if not tasks:
            raise ValueError("no task defined: a Dag needs at least one task in 'tasks'")
        return tasks

    @model_validator(mode="after")
    def _dependencies(self) -> Dag:
        known = {node.task.id for node in self.tasks}
        for index, node in enumerate(self.tasks):
            for position, dependency in enumerate(node.dependsOn or []):
                if dependency not in known:
                    raise PropertyError(
                        f"task '{node.task.id}' depends on '{dependency}', which is not a task of "
                        "this Dag; depend only on tasks listed in the Dag's 'tasks'",
                        *("tasks", index, "dependsOn", position),
                    )
        cycle = find_cycle({node.task.id: list(node.dependsOn or []) for node in self.tasks})
        if cycle:
            raise ValueError(
                "dependency cycle detected: " + " -> ".join(cycle) + "; remove one of these links"
            )
        return self


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A dependency cycle of ``graph`` (task id → ids it depends on) as a closed path, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for dep in graph.get(node, []):
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state and (found := visit(dep)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in graph:
        if start not in state and (found := visit(start)):
            return found
    return None

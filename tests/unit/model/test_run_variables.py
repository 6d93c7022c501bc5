"""The render context of a task run (reference §6 "Render context")."""

from __future__ import annotations

from legato.model import run_variables
from legato.model.execution import (
    Execution,
    ExecutionTrigger,
    Label,
    State,
    StateType,
    TaskRun,
    TaskRunAttempt,
)
from legato.model.parsing import parse_flow
from legato.model.registry import PluginRegistry
from legato.testing import START

FLOW = parse_flow(
    "id: f\nnamespace: company.team\nrevision: 3\nvariables:\n  v: 1\ntasks:\n"
    "  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [a]\n"
    "    tasks:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n"
    "        message: hi\n",
    PluginRegistry.from_entry_points(),
)


def task_run(run_id: str, task_id: str, **fields: object) -> TaskRun:
    return TaskRun(
        id=run_id,
        executionId="e1",
        namespace="company.team",
        flowId="f",
        taskId=task_id,
        state=State.of(StateType.RUNNING, START),
        **fields,  # type: ignore[arg-type]
    )


OUTER = task_run("r1", "each", outputs={"o": 1})
INNER = task_run(
    "r2",
    "t",
    parentTaskRunId="r1",
    value="a",
    iteration=0,
    attempts=(
        TaskRunAttempt(state=State.of(StateType.FAILED, START)),
        TaskRunAttempt(state=State.of(StateType.RUNNING, START)),
    ),
    outputs={"x": 2},
)
EXECUTION = Execution(
    id="e1",
    namespace="company.team",
    flowId="f",
    flowRevision=3,
    labels=(Label(key="team", value="data"), Label(key="system.correlationId", value="e1")),
    inputs={"n": 1},
    state=State.of(StateType.RUNNING, START),
    taskRunList=(OUTER, INNER),
    trigger=ExecutionTrigger(id="sched", type="Schedule", variables={"date": "d"}),
)


def test_task_run_variables_have_kestras_shape() -> None:
    task = FLOW.find_task("t")
    assert task is not None
    variables = run_variables.task_run_variables(
        FLOW, EXECUTION, task, INNER, envs={"foo": "bar"}, globals_={"g": 1}
    )
    assert variables["flow"] == {"id": "f", "namespace": "company.team", "revision": 3}
    assert variables["execution"] == {
        "id": "e1",
        "startDate": "2026-01-01T00:00:00Z",
        "originalId": "e1",
        "state": "RUNNING",
    }
    assert variables["task"] == {"id": "t", "type": "io.kestra.plugin.core.log.Log"}
    assert variables["taskrun"] == {
        "id": "r2",
        "startDate": "2026-01-01T00:00:00Z",
        "attemptsCount": 1,
        "parentId": "r1",
        "value": "a",
        "iteration": 0,
    }
    assert variables["parent"] == {"outputs": {"o": 1}}
    assert variables["parents"] == [{"outputs": {"o": 1}}]
    assert variables["inputs"] == {"n": 1}
    assert variables["vars"] == {"v": 1}
    assert variables["labels"] == {"team": "data", "system": {"correlationId": "e1"}}
    assert variables["trigger"] == {"date": "d"}
    assert variables["outputs"] == {"each": {"o": 1}, "t": {"a": {"x": 2}}}
    assert variables["tasks"] == {"each": {"state": "RUNNING"}, "t": {"a": {"state": "RUNNING"}}}
    assert variables["envs"] == {"foo": "bar"}
    assert variables["globals"] == {"g": 1}


def test_a_top_level_task_run_has_no_parent_and_no_trigger_means_no_trigger_key() -> None:
    plain = EXECUTION.model_copy(update={"trigger": None, "taskRunList": (OUTER,)})
    task = FLOW.find_task("each")
    assert task is not None
    variables = run_variables.task_run_variables(FLOW, plain, task, OUTER)
    assert "parent" not in variables
    assert "trigger" not in variables
    assert variables["taskrun"]["attemptsCount"] == 0


def test_frame_values_are_every_loop_value_from_the_outermost() -> None:
    child = task_run("r3", "leaf", parentTaskRunId="r2")
    by_id = {r.id: r for r in (OUTER, INNER, child)}
    assert run_variables.frame_values(child, by_id) == ["a"]
    nested = task_run("r4", "leaf2", parentTaskRunId="r2", value="a")
    assert run_variables.frame_values(nested, {**by_id, "r4": nested}) == ["a", "a"]


def test_parents_skip_ancestors_without_value_or_outputs() -> None:
    bare = task_run("r5", "seq", parentTaskRunId="r1")
    leaf = task_run("r6", "leaf", parentTaskRunId="r5")
    execution = EXECUTION.model_copy(update={"taskRunList": (OUTER, bare, leaf)})
    task = FLOW.find_task("t")
    assert task is not None
    variables = run_variables.task_run_variables(FLOW, execution, task, leaf)
    assert variables["parents"] == [{"outputs": {"o": 1}}]
    lone = task_run("r7", "leaf", parentTaskRunId="r5")
    alone = EXECUTION.model_copy(
        update={"taskRunList": (bare.model_copy(update={"parentTaskRunId": None}), lone)}
    )
    assert "parents" not in run_variables.task_run_variables(FLOW, alone, task, lone)


def test_iteration_view_shows_the_loop_tasks_as_their_iteration_made_them() -> None:
    loop = task_run("r1", "loop")
    opener = task_run("r2", "make", parentTaskRunId="r1", value="b", iteration=1)
    by_id = {run.id: run for run in (loop, opener)}
    tree = {
        "before": {"value": 0},
        "make": {"a": {"value": 1}, "b": {"value": 2}},
        "use": {"a": {"value": 3}},
    }
    frames: list[run_variables.Frame] = [({"value": "b"}, frozenset({"make", "use"}), opener)]
    view = run_variables.iteration_view(tree, frames, by_id)
    assert view == {"before": {"value": 0}, "make": {"value": 2}}
    assert tree["make"] == {"a": {"value": 1}, "b": {"value": 2}}  # the tree is not changed

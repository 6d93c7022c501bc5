"""The render context of a task run: the variables its expressions see (reference §6).

Invariants:

* The shape is Kestra's ``RunVariables``: ``flow``, ``execution``, ``task``, ``taskrun``,
  ``parent``/``parents``, ``inputs``, ``vars`` (flow variables, overridden by the execution's
  own, set by SetVariables), ``labels``, ``trigger``, ``outputs``, ``tasks``,
  ``envs``, ``globals``. Keys whose value is unknown (no trigger, no parent) are left out, so
  strict rendering reports them as undefined.
* ``outputs`` nests each task run's outputs under its task id, then under the loop values of its
  ancestors (outermost first), then its own value: ``outputs.t[v]`` or
  ``outputs.t[outer][inner]``. Only loop children carry a value (Kestra's ``resolveTasks``), so
  a task in a Sequential inside a ForEach is ``outputs.t[v]`` with no ``taskrun.value``.
* Building is linear in the number of task runs; ``execution_outputs`` and ``task_states`` may
  be computed once and passed in when many task runs of one execution are rendered, then kept
  up to date with ``put_copy`` (copy-on-write along one path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from legato.model.execution import Execution, TaskRun, _iso_instant

if TYPE_CHECKING:
    from legato.model.flow import Flow
    from legato.model.tasks import Task


def frame_values(run: TaskRun, by_id: Mapping[str, TaskRun]) -> list[str]:
    """The loop values framing ``run``, outermost first, its own value included."""
    values: list[str] = []
    current: TaskRun | None = run
    while current is not None:
        if current.value is not None:
            values.append(current.value)
        current = by_id.get(current.parentTaskRunId) if current.parentTaskRunId else None
    values.reverse()
    return values


def _put(tree: dict[str, Any], task_id: str, path: list[str], leaf: Any) -> None:
    if not path:
        tree[task_id] = leaf
        return
    node = tree.setdefault(task_id, {})
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = leaf


def put_copy(tree: Mapping[str, Any], task_id: str, path: list[str], leaf: Any) -> dict[str, Any]:
    """A copy of ``tree`` with ``leaf`` at ``task_id`` then ``path``; only the dicts on the way
    are copied, so earlier holders of ``tree`` never see the change."""
    top = dict(tree)
    if not path:
        top[task_id] = leaf
        return top
    old = top.get(task_id)
    node = dict(old) if isinstance(old, dict) else {}
    top[task_id] = node
    for key in path[:-1]:
        child = node.get(key)
        child = dict(child) if isinstance(child, dict) else {}
        node[key] = child
        node = child
    node[path[-1]] = leaf
    return top


def execution_outputs(execution: Execution) -> dict[str, Any]:
    """Every task run's outputs, nested by task id and loop values."""
    by_id = {run.id: run for run in execution.taskRunList}
    tree: dict[str, Any] = {}
    for run in execution.taskRunList:
        if run.outputs is None:
            continue
        if run.value is None and run.parentTaskRunId is None:
            tree[run.taskId] = run.outputs
        else:
            _put(tree, run.taskId, frame_values(run, by_id), run.outputs)
    return tree


def task_states(execution: Execution) -> dict[str, Any]:
    """``tasks.<id>.state`` (or ``tasks.<id>[value].state`` inside loops)."""
    by_id = {run.id: run for run in execution.taskRunList}
    tree: dict[str, Any] = {}
    for run in execution.taskRunList:
        leaf = {"state": run.state.current.value}
        _put(tree, run.taskId, frame_values(run, by_id), leaf)
    return tree


def label_variables(execution: Execution) -> dict[str, Any]:
    """Labels as a map; ``system.x`` keys are nested under ``system``."""
    labels: dict[str, Any] = {}
    for label in execution.labels:
        if label.key.startswith("system."):
            labels.setdefault("system", {})[label.key[len("system.") :]] = label.value
        else:
            labels[label.key] = label.value
    return labels


def _parents(run: TaskRun, by_id: Mapping[str, TaskRun]) -> list[dict[str, Any]]:
    """Kestra's ``parents``: nearest first, ``{taskrun: {value}, outputs}`` of each ancestor
    that has a value or outputs (the others are left out)."""
    frames: list[dict[str, Any]] = []
    parent_id = run.parentTaskRunId
    while parent_id is not None and parent_id in by_id:
        parent = by_id[parent_id]
        frame: dict[str, Any] = {}
        if parent.value is not None:
            frame["taskrun"] = {"value": parent.value}
        if parent.outputs:
            frame["outputs"] = parent.outputs
        if frame:
            frames.append(frame)
        parent_id = parent.parentTaskRunId
    return frames


def _taskrun(run: TaskRun) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": run.id,
        "startDate": _iso_instant(run.state.startDate),
        "attemptsCount": max(len(run.attempts) - 1, 0),
    }
    for key, value in (
        ("parentId", run.parentTaskRunId),
        ("value", run.value),
        ("iteration", run.iteration),
        ("items", run.items),
    ):
        if value is not None:
            data[key] = value
    return data


def execution_variables(
    flow: Flow,
    execution: Execution,
    *,
    envs: Mapping[str, Any] | None = None,
    globals_: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The variables of an execution outside any task run (flow outputs, triggers…)."""
    variables: dict[str, Any] = {
        "flow": {"id": flow.id, "namespace": flow.namespace, "revision": execution.flowRevision},
        "execution": {
            "id": execution.id,
            "startDate": _iso_instant(execution.state.startDate),
            "originalId": execution.originalId or execution.id,
            "state": execution.state.current.value,
        },
        "inputs": dict(execution.inputs or {}),
        "labels": label_variables(execution),
        "envs": dict(envs or {}),
        "globals": dict(globals_ or {}),
        "outputs": dict(outputs) if outputs is not None else execution_outputs(execution),
    }
    if flow.variables is not None or execution.variables:
        variables["vars"] = {**(flow.variables or {}), **(execution.variables or {})}
    if execution.trigger is not None:
        variables["trigger"] = execution.trigger.variables
    return variables


def task_run_variables(
    flow: Flow,
    execution: Execution,
    task: Task,
    task_run: TaskRun,
    *,
    envs: Mapping[str, Any] | None = None,
    globals_: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    states: Mapping[str, Any] | None = None,
    by_id: Mapping[str, TaskRun] | None = None,
) -> dict[str, Any]:
    """The render context of ``task_run`` of ``task``.

    ``outputs``, ``states`` and ``by_id`` may be precomputed for the execution (they are derived
    from it when absent).
    """
    variables = execution_variables(flow, execution, envs=envs, globals_=globals_, outputs=outputs)
    variables["task"] = {"id": task.id, "type": task.type}
    variables["taskrun"] = _taskrun(task_run)
    variables["tasks"] = dict(states) if states is not None else task_states(execution)
    if task_run.parentTaskRunId is not None:
        index = by_id if by_id is not None else {r.id: r for r in execution.taskRunList}
        parents = _parents(task_run, index)
        if parents:
            variables["parents"] = parents
            variables["parent"] = parents[0]
    return variables

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
* Inside an iteration of a loop whose iterations are isolated (``flow.Loop``, see
  ``Task.iteration_item``), a task run also sees ``item`` (``value``, ``index``, ``key`` for map
  values, and ``parent``/``parents`` — the items of the enclosing isolated loops, nearest
  first), and ``outputs``/``tasks`` of the loop's tasks as that iteration alone made them: not
  nested by the iteration's value, other iterations' runs left out (Kestra runs each iteration
  as its own execution).
* Building is linear in the number of task runs; ``execution_outputs`` and ``task_states`` may
  be computed once and passed in when many task runs of one execution are rendered, then kept
  up to date with ``put_copy`` (copy-on-write along one path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from legato.model import tree
from legato.model.execution import Execution, TaskRun, _iso_instant
from legato.model.tasks import Task

if TYPE_CHECKING:
    from legato.model.flow import Flow


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
        frames = _iterations(flow, task_run, index)
        if frames:
            variables["item"] = _item([item for item, _, _ in frames])
            outer_first = frames[::-1]
            variables["outputs"] = iteration_view(variables["outputs"], outer_first, index)
            variables["tasks"] = iteration_view(variables["tasks"], outer_first, index)
    return variables


#: an isolated iteration around a task run: (its ``item``, the ids of the loop's tasks, the
#: loop's child run that opened the iteration)
Frame = tuple[dict[str, Any], frozenset[str], TaskRun]

#: per flow object: the loops with isolated iterations, by task id, with their tasks' ids
_LOOPS: dict[int, tuple[object, dict[str, tuple[Task, frozenset[str]]]]] = {}


def _isolating_loops(flow: Flow) -> dict[str, tuple[Task, frozenset[str]]]:
    """The tasks of ``flow`` whose iterations are isolated, with the ids of the tasks they hold
    (computed once per flow object)."""
    cached = _LOOPS.get(id(flow))
    if cached is not None and cached[0] is flow:
        return cached[1]
    loops: dict[str, tuple[Task, frozenset[str]]] = {}
    for task in flow.all_tasks():
        if type(task).iteration_item is not Task.iteration_item:
            held = frozenset(t.id for _, t in tree.plugins_of(task, Task) if t is not task)
            loops[task.id] = (task, held)
    if len(_LOOPS) > 1024:
        _LOOPS.clear()
    _LOOPS[id(flow)] = (flow, loops)
    return loops


def _iterations(flow: Flow, run: TaskRun, by_id: Mapping[str, TaskRun]) -> list[Frame]:
    """The isolated iterations ``run`` is inside, nearest first."""
    loops = _isolating_loops(flow)
    if not loops:
        return []
    frames: list[Frame] = []
    current = run
    while current.parentTaskRunId is not None:
        parent = by_id.get(current.parentTaskRunId)
        if parent is None:
            break
        loop = loops.get(parent.taskId)
        if loop is not None:
            item = loop[0].iteration_item(current)
            if item is not None:
                frames.append((item, loop[1], current))
        current = parent
    return frames


def _item(items: list[dict[str, Any]]) -> dict[str, Any]:
    """``item``: the nearest iteration's, with the enclosing ones as ``parent``/``parents``."""
    item = dict(items[0])
    if len(items) > 1:
        item["parent"] = items[1]
        item["parents"] = items[1:]
    return item


def iteration_view(
    tree_: Mapping[str, Any], frames: list[Frame], by_id: Mapping[str, TaskRun]
) -> dict[str, Any]:
    """``tree_`` (outputs or task states, nested by loop values) as seen from inside the
    iterations of ``frames`` (outermost first): each loop's tasks show the subtree of their
    iteration (the path of its loop values), and are left out when it has none yet."""
    view = dict(tree_)
    for _, held, opener in frames:
        path = frame_values(opener, by_id)
        for task_id in held:
            node: Any = tree_.get(task_id)
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if node is None:
                view.pop(task_id, None)
            else:
                view[task_id] = node
    return view

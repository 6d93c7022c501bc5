"""Restart and replay (reference §7) as pure functions of an execution.

Invariants:

* ``restart`` keeps the execution id: FAILED/KILLED/PAUSED task runs and their ancestors go
  RESTARTED (attempts kept, so the next run is attempt n+1), task runs of ``errors`` branches
  are removed, the execution goes RESTARTED and ``metadata.attemptNumber`` grows by one.
* ``replay`` makes a new execution (new id, ``parentId`` = the old id, ``originalId`` kept, same
  inputs, labels and trigger). Without a task run it starts from scratch (CREATED). With one,
  the task runs before it are copied with new ids, it and its ancestors go RESTARTED and every
  later task run is dropped.
* Either result is then fed ``ExecutionCreated``: ``step`` resumes RESTARTED task runs (a
  runnable gets a new attempt, a flowable is asked again).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from legato.errors import LegatoError
from legato.model.execution import Execution, State, StateType, TaskRun
from legato.model.flow import Flow
from legato.runtime.book import tasks_by_id

_RESTARTABLE = frozenset({StateType.FAILED, StateType.KILLED, StateType.PAUSED})


def _ancestors(run: TaskRun, by_id: dict[str, TaskRun]) -> list[TaskRun]:
    found: list[TaskRun] = []
    parent_id = run.parentTaskRunId
    while parent_id is not None and parent_id in by_id:
        found.append(by_id[parent_id])
        parent_id = by_id[parent_id].parentTaskRunId
    return found


def _error_task_ids(flow: Flow) -> set[str]:
    ids = {t.id for t in flow.errors or []}
    for task in tasks_by_id(flow).values():
        ids.update(t.id for t in getattr(task, "errors", None) or [])
    return ids


def _restarted(run: TaskRun, at: datetime) -> TaskRun:
    return run.model_copy(update={"state": run.state.with_state(StateType.RESTARTED, at)})


def restart(execution: Execution, flow: Flow, now: datetime, ids: Callable[[], str]) -> Execution:
    """``execution`` restarted in place; LegatoError when it cannot be restarted."""
    current = execution.state.current
    if not (current.is_terminal or current == StateType.PAUSED):
        raise LegatoError(
            f"execution {execution.id} is {current.value}: only a terminated or paused "
            "execution can be restarted; wait for it to end or kill it"
        )
    failed = [r for r in execution.taskRunList if r.state.current in _RESTARTABLE]
    if not failed:
        raise LegatoError(
            f"execution {execution.id} has no failed or paused task run to restart; "
            "use replay to run it again"
        )
    by_id = {r.id: r for r in execution.taskRunList}
    error_ids = _error_task_ids(flow)
    removed = {r.id for r in execution.taskRunList if r.taskId in error_ids}
    removed |= {
        r.id for r in execution.taskRunList if any(a.id in removed for a in _ancestors(r, by_id))
    }
    to_restart = {r.id for r in failed if r.id not in removed}
    for run in failed:
        to_restart |= {a.id for a in _ancestors(run, by_id)}
    runs = tuple(
        _restarted(r, now) if r.id in to_restart else r
        for r in execution.taskRunList
        if r.id not in removed
    )
    metadata = execution.metadata.model_copy(
        update={"attemptNumber": execution.metadata.attemptNumber + 1}
    )
    return execution.model_copy(
        update={
            "taskRunList": runs,
            "state": execution.state.with_state(StateType.RESTARTED, now),
            "metadata": metadata,
        }
    )


def replay(
    execution: Execution,
    task_run_id: str | None,
    flow: Flow,
    now: datetime,
    ids: Callable[[], str],
) -> Execution:
    """A new execution replaying ``execution`` (from ``task_run_id`` when given)."""
    new_id = ids()
    base = execution.model_copy(
        update={
            "id": new_id,
            "parentId": execution.id,
            "originalId": execution.originalId or execution.id,
            "outputs": None,
            "taskRunList": (),
            "state": State.of(StateType.CREATED, now),
            "scheduleDate": None,
        }
    )
    if task_run_id is None:
        return base
    by_id = {r.id: r for r in execution.taskRunList}
    if task_run_id not in by_id:
        raise LegatoError(f"execution {execution.id} has no task run {task_run_id} to replay")
    chosen = by_id[task_run_id]
    lineage = {chosen.id} | {a.id for a in _ancestors(chosen, by_id)}
    new_ids: dict[str, str] = {}
    runs: list[TaskRun] = []
    limit = next(i for i, r in enumerate(execution.taskRunList) if r.id == chosen.id)
    for index, run in enumerate(execution.taskRunList):
        if run.id not in lineage and index > limit:
            continue
        new_ids[run.id] = ids()
        copied = run.model_copy(
            update={
                "id": new_ids[run.id],
                "executionId": new_id,
                "parentTaskRunId": new_ids.get(run.parentTaskRunId or ""),
            }
        )
        if run.id in lineage:
            outputs = None if run.id == chosen.id else copied.outputs
            copied = _restarted(copied, now).model_copy(update={"outputs": outputs})
        runs.append(copied)
    return base.model_copy(
        update={"taskRunList": tuple(runs), "state": State.of(StateType.RESTARTED, now)}
    )

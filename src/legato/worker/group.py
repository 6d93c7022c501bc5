"""A worker-side group (``flow.WorkingDirectory``): runnable children run one after the other
in one shared working directory, within one worker job.

Invariants: each enabled child gets its own task run (a new id, ``parentTaskRunId`` = the
group's run, the group's ``value``), its own log lines and outputs; a later child sees the
outputs of earlier ones (``outputs.<id>``); ``inputFiles`` and selected namespace files are
written into the directory first; a FAILED child (without ``allowFailure``) stops the group,
which ends in the worst state of its ``tasks`` (FAILED > WARNING > SUCCESS); then, as any
flowable (Kestra's ``resolveSequentialNexts``), the ``errors`` children run when a task failed
and the ``finally`` children always run, in the same directory, each list stopping at its first
failure and not changing the group's state; ``outputFiles`` globs are uploaded after the
children of a group that did not fail and given as the ``outputFiles`` output (path → URI).
Children are reported as task-run JSON for ``TaskRunFinished.children``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from legato.model.execution import State, StateType, TaskRun, TaskRunAttempt
from legato.sdk import Task
from legato.sdk.input_files import input_file_map, write_input_files
from legato.sdk.run_context import TaskError
from legato.worker.run_context import Attempt, WorkerRunContext

_WORST = (StateType.FAILED, StateType.WARNING, StateType.SUCCESS)

#: runs one child with its own context: (state, outputs, error, retryable)
ChildRunner = Callable[[Task, WorkerRunContext], tuple[StateType, Any, str | None, bool]]


@dataclass
class GroupResult:
    """How the children ended."""

    state: StateType = StateType.SUCCESS
    error: str | None = None
    retryable: bool = True
    children: list[dict[str, Any]] = field(default_factory=list)


def run_group(
    group: Task,
    ctx: WorkerRunContext,
    run_child: ChildRunner,
    new_id: Callable[[], str],
) -> tuple[GroupResult, dict[str, Any] | None]:
    """Run the children of ``group`` with ``run_child``; return the result and the outputs."""
    workdir = ctx.working_dir()
    write_input_files(ctx, input_file_map(ctx, getattr(group, "inputFiles", None)), workdir)
    _copy_namespace_files(ctx, getattr(group, "namespaceFiles", None), workdir)
    result = GroupResult()
    outputs: dict[str, Any] = dict(ctx.variables.get("outputs") or {})

    def run_list(tasks: list[Task] | None) -> GroupResult:
        ran = GroupResult()
        for child in tasks or []:
            if child.disabled:
                continue
            run_id = new_id()
            child_ctx = ctx.child(_child_attempt(ctx, child, run_id, outputs))
            started = _now(ctx)
            state, child_outputs, error, retryable = run_child(child, child_ctx)
            state = _allowed(child, state)
            ctx.adopt(child_ctx)
            result.children.append(
                _task_run_json(ctx, child, run_id, state, child_outputs, started)
            )
            _remember(outputs, child.id, ctx.task_run.value, child_outputs)
            ran.state = min(ran.state, state, key=_WORST.index)
            if state == StateType.FAILED:
                ran.error, ran.retryable = error, retryable
                break
        return ran

    main = run_list(getattr(group, "tasks", None))
    result.state, result.error, result.retryable = main.state, main.error, main.retryable
    if result.state == StateType.FAILED:
        run_list(getattr(group, "errors", None))
    run_list(getattr(group, "finally_", None))
    if result.state == StateType.FAILED:
        return result, None
    return result, _output_files(ctx, getattr(group, "outputFiles", None), workdir)


def _now(ctx: WorkerRunContext) -> datetime:
    return ctx.services.clock.now()


def _allowed(child: Task, state: StateType) -> StateType:
    if state == StateType.FAILED and child.allowFailure:
        state = StateType.WARNING
    if state == StateType.WARNING and child.allowWarning:
        state = StateType.SUCCESS
    return state


def _child_attempt(
    ctx: WorkerRunContext, child: Task, run_id: str, outputs: Mapping[str, Any]
) -> Attempt:
    parent = ctx.task_run
    taskrun = {
        "id": run_id,
        "parentId": parent.id,
        "value": parent.value,
        "attemptsCount": 0,
    }
    variables = {
        **ctx.variables,
        "task": {"id": child.id, "type": child.type},
        "taskrun": {k: v for k, v in taskrun.items() if v is not None},
        "outputs": dict(outputs),
    }
    return Attempt(
        execution_id=ctx.execution_id,
        task_run_id=run_id,
        task_id=child.id,
        attempt=1,
        variables=variables,
        log_level=child.logLevel,
    )


def _remember(outputs: dict[str, Any], task_id: str, value: str | None, found: Any) -> None:
    if found is None:
        return
    if value is None:
        outputs[task_id] = found
    else:
        outputs[task_id] = {**(outputs.get(task_id) or {}), value: found}


def _task_run_json(
    ctx: WorkerRunContext,
    child: Task,
    run_id: str,
    state: StateType,
    outputs: Any,
    started: datetime,
) -> dict[str, Any]:
    now = _now(ctx)
    history = State.of(StateType.CREATED, started).with_state(StateType.RUNNING, started)
    history = history.with_state(state, now)
    run = TaskRun(
        id=run_id,
        executionId=ctx.execution_id,
        namespace=ctx.flow_info.namespace,
        flowId=ctx.flow_info.id,
        taskId=child.id,
        parentTaskRunId=ctx.task_run.id,
        value=ctx.task_run.value,
        attempts=(TaskRunAttempt(state=history),),
        outputs=outputs,
        state=history,
    )
    data: dict[str, Any] = run.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def _copy_namespace_files(ctx: WorkerRunContext, settings: Any, workdir: Path) -> None:
    if settings is None or not ctx.render_as(settings.enabled, bool):
        return
    include = _patterns(ctx, settings.include)
    exclude = _patterns(ctx, settings.exclude)
    namespaces = _patterns(ctx, settings.namespaces) or [ctx.flow_info.namespace]
    for namespace in namespaces:
        files = ctx.storage.namespace_files(namespace)
        for path in files.list():
            if include and not _matches(path, include):
                continue
            if exclude and _matches(path, exclude):
                continue
            target = _inside(workdir, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files.get(path))


def _patterns(ctx: WorkerRunContext, value: Any) -> list[str]:
    if value is None:
        return []
    rendered = ctx.render(value)
    return [str(p) for p in (rendered if isinstance(rendered, list) else [rendered])]


def _matches(path: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path, p.lstrip("/")) for p in patterns)


def _output_files(ctx: WorkerRunContext, globs: Any, workdir: Path) -> dict[str, Any] | None:
    if globs is None:
        return None
    found: dict[str, str] = {}
    for pattern in _patterns(ctx, globs):
        for path in sorted(workdir.glob(pattern)):
            if path.is_file():
                relative = path.relative_to(workdir).as_posix()
                found[relative] = ctx.storage.put_file(path, relative)
    return {"outputFiles": found}


def _inside(workdir: Path, name: str) -> Path:
    target = (workdir / name).resolve()
    if not target.is_relative_to(workdir.resolve()):
        raise TaskError(f"file name '{name}' leaves the working directory", retryable=False)
    return target

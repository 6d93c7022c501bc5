"""One task-run attempt, run to its end in the calling (worker) thread.

Invariants: ``run_attempt`` never raises: a task definition that does not validate, a task type
without a runner, a ``TaskError`` and any other exception all become a FAILED outcome whose
``error`` is the message (also logged at ERROR); ``TaskError(retryable=False)`` and invalid
definitions are not retryable; outputs are converted to JSON-like data and masked; a worker-side
group (``dispatch_as_group``, i.e. WorkingDirectory) runs its children here and reports them in
``children``; the attempt's working directory is removed at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from legato._kernel.ids import new_id
from legato.model.execution import StateType
from legato.model.registry import PluginRegistry
from legato.sdk import Task
from legato.sdk.run_context import TaskError, TaskWarning
from legato.worker.group import ChildRunner, run_group
from legato.worker.outputs import task_outputs
from legato.worker.run_context import WorkerRunContext
from legato.worker.tasks import load_task, runnable


@dataclass(frozen=True)
class AttemptOutcome:
    """How an attempt ended (before kills and timeouts, which the service decides)."""

    state: StateType
    outputs: dict[str, Any] | None = None
    error: str | None = None
    retryable: bool = True
    #: task runs of a worker-side group's children, as JSON
    children: tuple[dict[str, Any], ...] = ()


def run_attempt(
    definition: Mapping[str, Any],
    ctx: WorkerRunContext,
    registry: PluginRegistry,
    ids: Callable[[], str] = new_id,
    child_runner: ChildRunner | None = None,
) -> AttemptOutcome:
    """Validate ``definition``, run the task with ``ctx`` and say how it ended; the children of
    a group run with ``child_runner`` (default ``run_child``)."""
    runner = child_runner or run_child
    try:
        return _guarded(ctx, lambda: _run(load_task(definition, registry), ctx, ids, runner))
    finally:
        ctx.close()


def _run(
    task: Task, ctx: WorkerRunContext, ids: Callable[[], str], child_runner: ChildRunner
) -> AttemptOutcome:
    if not getattr(type(task), "dispatch_as_group", False):
        return _run_one(task, ctx)
    result, outputs = run_group(task, ctx, child_runner, ids)
    return AttemptOutcome(
        result.state,
        task_outputs(outputs, ctx.masker),
        result.error,
        result.retryable,
        tuple(result.children),
    )


def _run_one(task: Task, ctx: WorkerRunContext) -> AttemptOutcome:
    returned = runnable(task).run(ctx)
    return AttemptOutcome(StateType.SUCCESS, task_outputs(returned, ctx.masker))


def run_child(task: Task, ctx: WorkerRunContext) -> tuple[StateType, Any, str | None, bool]:
    """Run one child of a group with its own context: (state, outputs, error, retryable)."""
    try:
        outcome = _guarded(ctx, lambda: _run_one(task, ctx))
    finally:
        ctx.close()
    return outcome.state, outcome.outputs, outcome.error, outcome.retryable


def _guarded(ctx: WorkerRunContext, action: Callable[[], AttemptOutcome]) -> AttemptOutcome:
    try:
        return action()
    except TaskWarning as warning:
        ctx.logger.warn(ctx.masker.mask(warning.message))
        return AttemptOutcome(StateType.WARNING, _kept_outputs(ctx, warning.outputs))
    except TaskError as error:
        return _failed(ctx, error.message, error.retryable, error.outputs)
    except Exception as error:  # a plugin bug or a library error: the attempt fails
        return _failed(ctx, describe(error), True)


def describe(error: BaseException) -> str:
    """An exception's message, or its class name when it has none."""
    message = str(error).strip()
    return message or type(error).__name__


def _failed(
    ctx: WorkerRunContext, message: str, retryable: bool, outputs: Any = None
) -> AttemptOutcome:
    masked = ctx.masker.mask(message)
    ctx.logger.error(masked)
    return AttemptOutcome(StateType.FAILED, _kept_outputs(ctx, outputs), masked, retryable)


def _kept_outputs(ctx: WorkerRunContext, outputs: Any) -> dict[str, Any] | None:
    """Outputs a warning or a failure carries, stored like returned ones (None if unusable)."""
    try:
        return task_outputs(outputs, ctx.masker)
    except TaskError as error:
        ctx.logger.error(ctx.masker.mask(f"outputs dropped: {error.message}"))
        return None

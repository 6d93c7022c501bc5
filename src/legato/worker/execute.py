"""One task-run attempt, run to its end in the calling (worker) thread.

Invariants: ``run_attempt`` never raises: a task definition that does not validate, a task type
without a runner, a ``TaskError`` and any other exception all become a FAILED outcome whose
``error`` is the message (also logged at ERROR); ``TaskError(retryable=False)`` and invalid
definitions are not retryable; outputs are converted to JSON-like data and masked; the attempt's
working directory is removed at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from legato.model.execution import StateType
from legato.model.registry import PluginRegistry
from legato.sdk.run_context import TaskError
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


def run_attempt(
    definition: Mapping[str, Any], ctx: WorkerRunContext, registry: PluginRegistry
) -> AttemptOutcome:
    """Validate ``definition``, run the task with ``ctx`` and say how it ended."""
    try:
        task = runnable(load_task(definition, registry))
        returned = task.run(ctx)
        return AttemptOutcome(StateType.SUCCESS, task_outputs(returned, ctx.masker))
    except TaskError as error:
        return _failed(ctx, error.message, error.retryable)
    except Exception as error:  # a plugin bug or a library error: the attempt fails
        return _failed(ctx, describe(error), True)
    finally:
        ctx.close()


def describe(error: BaseException) -> str:
    """An exception's message, or its class name when it has none."""
    message = str(error).strip()
    return message or type(error).__name__


def _failed(ctx: WorkerRunContext, message: str, retryable: bool) -> AttemptOutcome:
    masked = ctx.masker.mask(message)
    ctx.logger.error(masked)
    return AttemptOutcome(StateType.FAILED, None, masked, retryable)

"""Task definitions (JSON from a ``DispatchTask``) turned into plugin objects a worker can run.

Invariants: a definition is validated through the registry exactly as in a flow (aliases,
nested children); an invalid one raises ``TaskError(retryable=False)`` listing each problem
with its path; ``runnable`` refuses tasks decided by the executor and task types whose class has
no ``run`` method, with a message saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from legato.model.plugin import ParseContext
from legato.model.registry import PluginRegistry
from legato.sdk import AnyTask, Task
from legato.sdk.run_context import TaskError

_TASK: TypeAdapter[Task] = TypeAdapter(AnyTask)


#: tasks validated from the very same definition object (a loop's jobs handed over in memory
#: share their task's JSON): id → (definition, registry, task)
_LOADED: dict[int, tuple[Mapping[str, Any], PluginRegistry, Task]] = {}
_LOADED_MAX = 1024


def load_task(definition: Mapping[str, Any], registry: PluginRegistry) -> Task:
    """The task object of ``definition``; ``TaskError`` names every invalid property.

    A definition object seen before (the same object, not an equal one) gives the task it gave
    then: definitions are never mutated, and task objects hold no state of a run."""
    hit = _LOADED.get(id(definition))
    if hit is not None and hit[0] is definition and hit[1] is registry:
        return hit[2]
    task = _validate(definition, registry)
    if len(_LOADED) >= _LOADED_MAX:
        _LOADED.clear()
    _LOADED[id(definition)] = (definition, registry, task)
    return task


def _validate(definition: Mapping[str, Any], registry: PluginRegistry) -> Task:
    try:
        return _TASK.validate_python(dict(definition), context=ParseContext(registry))
    except ValidationError as error:
        problems = "; ".join(_problem(e) for e in error.errors())
        task_id = definition.get("id", "?")
        raise TaskError(f"Invalid task '{task_id}': {problems}", retryable=False) from None


def _problem(error: Any) -> str:
    loc = ".".join(str(part) for part in error.get("loc", ()) if part != "function-plain")
    return f"{loc}: {error.get('msg', '')}" if loc else str(error.get("msg", ""))


def runnable(task: Task) -> Any:
    """``task`` if a worker can run it, else ``TaskError`` saying why not."""
    if task.runs_in_executor:
        raise TaskError(
            f"task type '{task.type}' is decided by the executor and cannot run on a worker",
            retryable=False,
        )
    if not callable(getattr(task, "run", None)):
        raise TaskError(
            f"task type '{task.type}' cannot run in Legato yet: it validates, but its runner "
            "is not implemented",
            retryable=False,
        )
    return task

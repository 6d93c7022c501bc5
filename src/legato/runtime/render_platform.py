"""The platform functions the executor answers from the render variables themselves.

``currentEachOutput(outputs.t)`` and ``tasksWithState(state)`` read nothing but the task run's
render context (``taskrun``, ``parents``, ``tasks``), so the runtime computes them purely, for
the conditions and values it renders (If, Switch, runIf, loop values…); every other platform
function (``kv()``, ``read()``…) goes to the step's platform, or fails as outside a flow when
there is none.

Invariants: pure (no I/O); messages match the worker's for the same mistakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legato.errors import ExpressionEvaluationError
from legato.expressions.platform import Platform


def current_each_output(variables: Mapping[str, Any], outputs: Any) -> Any:
    """The entry of ``outputs`` (a task's outputs by loop value) for the current task run:
    nested by each parent's value, then the task run's own."""
    if not isinstance(outputs, Mapping):
        raise ExpressionEvaluationError(
            "The 'currentEachOutput' function expects an argument 'outputs' with type map."
        )
    current: Mapping[Any, Any] = outputs
    for parent in reversed(list(variables.get("parents") or [])):
        nested = current.get((parent.get("taskrun") or {}).get("value"))
        if not isinstance(nested, Mapping):
            raise ExpressionEvaluationError("No execution outputs for the current task runs path")
        current = nested
    return current.get((variables.get("taskrun") or {}).get("value"))


def tasks_with_state(variables: Mapping[str, Any], state: str) -> list[dict[str, Any]]:
    """``{taskId, state[, value]}`` of every task run (from ``tasks``) in ``state``."""
    wanted = state.upper()
    found: list[dict[str, Any]] = []
    for task_id, details in (variables.get("tasks") or {}).items():
        if isinstance(details, Mapping):
            for key, item in details.items():
                found.extend(_state_match(task_id, key, item, wanted))
    return found


def _state_match(task_id: str, key: str, item: Any, wanted: str) -> list[dict[str, Any]]:
    if key == "state" and isinstance(item, str):
        return [{"taskId": task_id, "state": wanted}] if item.upper() == wanted else []
    state = item.get("state") if isinstance(item, Mapping) else None
    if isinstance(state, str) and state.upper() == wanted:
        return [{"taskId": task_id, "state": wanted, "value": key}]
    return []


class RenderPlatform:
    """A ``Platform`` for one render: variable-only functions here, the rest to ``inner``."""

    def __init__(self, inner: Platform | None, variables: Mapping[str, Any]) -> None:
        self._inner = inner
        self._variables = variables

    def _to(self, name: str) -> Platform:
        if self._inner is None:
            raise ExpressionEvaluationError(
                f"{name}: function '{name}' is only available while a flow runs"
            )
        return self._inner

    def kv(self, key: str, namespace: str | None, error_on_missing: bool) -> Any:
        return self._to("kv").kv(key, namespace, error_on_missing)

    def secret(self, key: str, namespace: str | None, subkey: str | None) -> str:
        return self._to("secret").secret(key, namespace, subkey)

    def read(self, path: str, namespace: str | None) -> str:
        return self._to("read").read(path, namespace)

    def file_uri(self, path: str, namespace: str | None) -> str:
        return self._to("fileURI").file_uri(path, namespace)

    def file_size(self, path: str) -> int:
        return self._to("fileSize").file_size(path)

    def file_exists(self, path: str) -> bool:
        return self._to("fileExists").file_exists(path)

    def is_file_empty(self, path: str) -> bool:
        return self._to("isFileEmpty").is_file_empty(path)

    def error_logs(self) -> list[dict[str, Any]]:
        return self._to("errorLogs").error_logs()

    def current_each_output(self, outputs: Any) -> Any:
        return current_each_output(self._variables, outputs)

    def tasks_with_state(self, state: str) -> list[dict[str, Any]]:
        return tasks_with_state(self._variables, state)

"""Value types shared by the core plugins: labels, log levels, execution states, task lists.

Invariants:

* Labels are accepted in both of Kestra's forms, a ``{key: value}`` map or a list of
  ``{key, value}`` entries (or an expression rendering to one of them); keys under ``system.``
  are refused, except ``system.readOnly``, as Kestra refuses them.
* ``NonEmptyTasks`` is a list of nested tasks that must hold at least one task; the message
  names what to do, like Kestra's "The 'tasks' property cannot be empty".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo

from legato.model.execution import StateName
from legato.model.plugin import ParseContext
from legato.model.property import Dyn
from legato.sdk import Tasks

LogLevel = Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]

#: every state an execution or task run can be in (Kestra's ``State.Type``)
ExecutionState = StateName

_ALLOWED_SYSTEM_LABELS = frozenset({"system.readOnly"})


class Label(BaseModel):
    """One ``{key, value}`` entry of a label list."""

    model_config = ConfigDict(extra="forbid")

    key: str
    value: str


def _check_label_keys(value: Any) -> Any:
    keys: list[str] = []
    if isinstance(value, dict):
        keys = [str(k) for k in value]
    elif isinstance(value, list):
        keys = [item.key for item in value if isinstance(item, Label)]
    for key in keys:
        if key.startswith("system.") and key not in _ALLOWED_SYSTEM_LABELS:
            raise ValueError(
                f"label '{key}' is reserved: keys starting with 'system.' are set by the engine; "
                "rename the label"
            )
    return value


#: labels as a map or as a list of ``{key, value}``; ``system.*`` keys are refused
Labels = Annotated[Dyn[dict[str, Any]] | list[Label], AfterValidator(_check_label_keys)]


def _non_empty(tasks: list[Any]) -> list[Any]:
    if not tasks:
        raise ValueError("the 'tasks' property cannot be empty; list at least one task")
    return tasks


#: a list of nested tasks holding at least one task
NonEmptyTasks = Annotated[Tasks, AfterValidator(_non_empty)]


def note_deprecation(info: ValidationInfo, path: str, message: str) -> None:
    """Record a deprecation ``message`` at ``path`` in the ParseContext, when there is one."""
    ctx = info.context
    if isinstance(ctx, Mapping):
        ctx = ctx.get("parse")
    if isinstance(ctx, ParseContext):
        ctx.warnings.append((path, message))


def note_deprecated_properties(data: Any, info: ValidationInfo, advice: Mapping[str, str]) -> Any:
    """Note each deprecated property of ``advice`` (name → what to use instead) that ``data``
    sets; return ``data`` unchanged (for ``model_validator(mode="before")``)."""
    if isinstance(data, Mapping):
        for name, instead in advice.items():
            if data.get(name) is not None:
                note_deprecation(info, name, f"'{name}' is deprecated; {instead}")
    return data

"""Labels: key/value strings on flows, SLAs and executions, written as a map or as a list.

Invariants:

* Both Kestra forms are read: a map ``{team: data}`` or a list ``[{key: team, value: data}]``;
  either way the result is an ordered list of ``Label`` (map order is kept).
* Keys and values are strings. Scalar values are written as Java would (``true`` → ``"true"``,
  ``1`` → ``"1"``) because Kestra stores every label value as text; a map or list as a value is an
  error.
* ``system.`` keys are reserved for the engine; which ones a flow may set is a flow rule, checked
  in ``legato.model.validation``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

SYSTEM_PREFIX = "system."
#: the one system label a flow may set itself: it locks the flow against UI edits
READ_ONLY = "system.readOnly"


class Label(BaseModel):
    """One label."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    value: str

    @field_validator("key", "value", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return label_text(value)

    @property
    def is_system(self) -> bool:
        """True for an engine-reserved ``system.`` key."""
        return self.key.startswith(SYSTEM_PREFIX)


def label_text(value: Any) -> Any:
    """A scalar as Kestra writes it in a label; anything else is left for pydantic to reject."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _read_labels(value: Any) -> Any:
    """Turn the map form into the list form; leave anything else for pydantic to check."""
    if isinstance(value, Mapping):
        return [{"key": key, "value": item} for key, item in value.items()]
    return value


#: labels in either written form, read as a list of ``Label``
Labels = Annotated[
    list[Label],
    BeforeValidator(
        _read_labels, json_schema_input_type=list[Label] | dict[str, str | int | float | bool]
    ),
]


def as_dict(labels: list[Label] | None) -> dict[str, str]:
    """The labels as a map (a later duplicate key wins, as in Kestra)."""
    return {label.key: label.value for label in labels or []}

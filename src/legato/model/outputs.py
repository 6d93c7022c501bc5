"""Flow outputs (the top-level ``outputs:`` list): values computed when an execution ends.

Invariants:

* ``id`` follows the input/output pattern ``^[a-zA-Z0-9][.a-zA-Z0-9_-]*$`` (a dotted id ``a.b``
  becomes the nested value ``outputs.a.b``); ids are unique within a flow (a flow rule, checked in
  ``legato.model.validation``).
* ``type`` is one of the input type names (``STRING``, ``INT``, ``JSON``…); the rendered ``value``
  is coerced to it like an input value.
* ``value`` is required and kept as written: usually an expression rendered at the end of the
  execution, but a literal is allowed.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from legato.model.inputs import ID_PATTERN, InputType


class Output(BaseModel):
    """One flow output."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    type: InputType
    value: Any
    description: str | None = None
    displayName: Annotated[str, Field(max_length=64)] | None = None
    required: bool | None = None

    @field_validator("value")
    @classmethod
    def _present(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("an output needs a 'value'; give a literal or an expression")
        return value

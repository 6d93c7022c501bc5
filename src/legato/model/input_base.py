"""The common part of every flow input definition: its type names, ``dependsOn`` and the base
model with the properties all input types share.

Invariants:

* Property names are Kestra's (``displayName``, ``dependsOn``…); unknown properties are errors.
* The deprecated ``name`` is read as ``id`` and noted as a deprecation in the ``ParseContext``
  warnings when one is passed as validation context.
* A ``defaults`` string holding Pebble markup is syntax-checked here and rendered only when the
  inputs are resolved (``legato.model.input_values``).
* ``defaults`` and ``prefill`` are not used together.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from legato.model.plugin import ParseContext
from legato.model.property import Dyn, Expression, is_expression

ID_PATTERN = r"^[a-zA-Z0-9][.a-zA-Z0-9_-]*$"
_EXPRESSION: TypeAdapter[Expression] = TypeAdapter(Expression)


class InputType(enum.StrEnum):
    """Every Kestra input type name, as written in ``type:``."""

    STRING = "STRING"
    INT = "INT"
    FLOAT = "FLOAT"
    BOOLEAN = "BOOLEAN"
    BOOL = "BOOL"
    DATETIME = "DATETIME"
    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    FILE = "FILE"
    JSON = "JSON"
    YAML = "YAML"
    URI = "URI"
    SECRET = "SECRET"
    EMAIL = "EMAIL"
    ENUM = "ENUM"
    SELECT = "SELECT"
    MULTISELECT = "MULTISELECT"
    ARRAY = "ARRAY"
    OBJECT = "OBJECT"
    TABLE = "TABLE"
    FORM = "FORM"


#: Item types a list input (ARRAY, MULTISELECT) may not use.
NESTED_LIST_TYPES = frozenset(
    {InputType.ARRAY, InputType.MULTISELECT, InputType.FORM, InputType.OBJECT, InputType.TABLE}
)

#: The types a property of an OBJECT or a column of a TABLE may have (Kestra's record fields).
RECORD_FIELD_TYPES = (
    InputType.STRING,
    InputType.INT,
    InputType.FLOAT,
    InputType.BOOL,
    InputType.DATE,
    InputType.DATETIME,
    InputType.TIME,
    InputType.DURATION,
    InputType.EMAIL,
    InputType.URI,
    InputType.SELECT,
    InputType.MULTISELECT,
)


class DependsOn(BaseModel):
    """``dependsOn``: the input is shown only once ``inputs`` are set and ``condition`` holds."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    inputs: list[str] = Field(default_factory=list)
    condition: Dyn[bool] | None = None


class Input(BaseModel):
    """Properties common to every input type."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    type: str
    description: str | None = None
    displayName: Annotated[str, Field(max_length=64)] | None = None
    required: bool = True
    defaults: Any = None
    prefill: Any = None
    dependsOn: DependsOn | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_name_as_id(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, Mapping) or "name" not in data:
            return data
        fixed = {k: v for k, v in data.items() if k != "name"}
        fixed.setdefault("id", data["name"])
        _warn(info, f"input '{data['name']}': 'name' is deprecated; use 'id' instead")
        return fixed

    @field_validator("defaults")
    @classmethod
    def _check_expression_syntax(cls, value: Any) -> Any:
        """A string default holding Pebble markup is syntax-checked now, rendered at resolution."""
        return _EXPRESSION.validate_python(value) if is_expression(value) else value

    @field_validator("prefill")
    @classmethod
    def _prefill_without_defaults(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("defaults") is not None:
            raise ValueError("'defaults' and 'prefill' cannot be used together; keep one of them")
        return value

    @property
    def input_type(self) -> InputType:
        """The ``type`` as an ``InputType``."""
        return InputType(self.type)


def _warn(info: ValidationInfo, message: str) -> None:
    ctx = info.context
    if isinstance(ctx, Mapping):
        ctx = ctx.get("parse")
    if isinstance(ctx, ParseContext):
        ctx.warnings.append(("name", message))


def check_range(low: Any, high: Any, low_name: str, high_name: str) -> None:
    if low is not None and high is not None and low > high:
        raise ValueError(f"'{low_name}' must not be greater than '{high_name}'")

"""Flow input definitions (the ``inputs:`` list of a flow): one pydantic model per Kestra type.

The common properties, ``InputType`` and ``DependsOn`` live in ``input_base`` and are
re-exported here, so ``legato.model.inputs`` is the one module to import.

Invariants:

* ``AnyInput`` is a union discriminated on ``type`` (Kestra's upper-case names, case-sensitive);
  a missing or unknown type is an error on the ``type`` key that lists every valid type and
  suggests a near miss.
* Definition rules checked here: no ``defaults`` on FILE, ENUM needs ``values``, SELECT needs
  ``values`` or ``expression``, MULTISELECT not both ``values`` and ``options``, ARRAY and
  MULTISELECT ``itemType`` may not be ARRAY, MULTISELECT or FORM, ``min`` ≤ ``max``, ``after`` ≤
  ``before``, ``validator`` compiles. A FORM holds at least one input and no FORM.
* OBJECT ``properties`` and TABLE ``columns`` are record fields: at least one, each a
  STRING, INT, FLOAT, BOOL, DATE, DATETIME, TIME, DURATION, EMAIL, URI, SELECT or MULTISELECT
  definition without ``dependsOn``, ``defaults``, ``prefill``, ``expression`` or a dot in its
  id (Kestra's rules; an error points at the offending key). Duplicate field ids are a flow
  rule (``legato.model.validation``). TABLE ``rows`` bounds: ``min`` ≥ 0, ``max`` ≥ 1,
  ``min`` ≤ ``max``.
* ``flatten_inputs`` expands FORM inputs into their children with dotted ids; resolution and
  id checks work on the flattened list.
* Nothing here coerces given values: that is ``legato.model.input_values``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from datetime import date, time
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, ValidationError

from legato.model import input_base
from legato.model.input_base import (
    ID_PATTERN,
    NESTED_LIST_TYPES,
    RECORD_FIELD_TYPES,
    DependsOn,
    Input,
    InputType,
)
from legato.model.property import Duration, Expression

__all__ = [
    "ID_PATTERN",
    "NESTED_LIST_TYPES",
    "AnyInput",
    "ArrayInput",
    "BoolInput",
    "BooleanInput",
    "DateInput",
    "DateTimeInput",
    "DependsOn",
    "DurationInput",
    "EmailInput",
    "EnumInput",
    "FieldInput",
    "FileInput",
    "FloatInput",
    "FormInput",
    "Input",
    "InputType",
    "IntInput",
    "JsonInput",
    "MultiselectInput",
    "ObjectInput",
    "RecordField",
    "Rows",
    "SecretInput",
    "SelectInput",
    "StringInput",
    "TableInput",
    "TimeInput",
    "UriInput",
    "YamlInput",
    "flatten_inputs",
]


class _RegexValidated(Input):
    """Base of the inputs whose string value must fully match an optional ``validator`` regex."""

    validator: str | None = None

    @field_validator("validator")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(
                    f"'validator' is not a valid regular expression: {error}"
                ) from None
        return value


class StringInput(_RegexValidated):
    """A string, optionally matched in full by the ``validator`` regex."""

    type: Literal["STRING"]


class IntInput(Input):
    """An integer within ``min`` and ``max`` (inclusive)."""

    type: Literal["INT"]
    min: int | None = None
    max: int | None = None

    @model_validator(mode="after")
    def _range(self) -> IntInput:
        input_base.check_range(self.min, self.max, "min", "max")
        return self


class FloatInput(Input):
    """A number within ``min`` and ``max`` (inclusive)."""

    type: Literal["FLOAT"]
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _range(self) -> FloatInput:
        input_base.check_range(self.min, self.max, "min", "max")
        return self


class BooleanInput(Input):
    """A boolean (a checkbox in Kestra's UI)."""

    type: Literal["BOOLEAN"]


class BoolInput(Input):
    """A boolean shown as a toggle; same values as BOOLEAN."""

    type: Literal["BOOL"]


class DateTimeInput(Input):
    """An instant (ISO-8601 with ``Z`` or an offset) within ``after`` and ``before``, inclusive."""

    type: Literal["DATETIME"]
    after: AwareDatetime | None = None
    before: AwareDatetime | None = None

    @model_validator(mode="after")
    def _range(self) -> DateTimeInput:
        input_base.check_range(self.after, self.before, "after", "before")
        return self


class DateInput(Input):
    """A calendar date ``YYYY-MM-DD``, within ``after`` and ``before`` (inclusive)."""

    type: Literal["DATE"]
    after: date | None = None
    before: date | None = None

    @model_validator(mode="after")
    def _range(self) -> DateInput:
        input_base.check_range(self.after, self.before, "after", "before")
        return self


class TimeInput(Input):
    """A local time ``HH:MM[:SS]``, within ``after`` and ``before`` (inclusive)."""

    type: Literal["TIME"]
    after: time | None = None
    before: time | None = None

    @model_validator(mode="after")
    def _range(self) -> TimeInput:
        input_base.check_range(self.after, self.before, "after", "before")
        return self


class DurationInput(Input):
    """An ISO-8601 duration within ``min`` and ``max`` (inclusive)."""

    type: Literal["DURATION"]
    min: Duration | None = None
    max: Duration | None = None

    @model_validator(mode="after")
    def _range(self) -> DurationInput:
        input_base.check_range(self.min, self.max, "min", "max")
        return self


class FileInput(Input):
    """An uploaded file, held as a ``kestra://`` internal-storage URI; ``extension`` names the
    stored file's suffix (Kestra's default is ``.upl``)."""

    type: Literal["FILE"]
    extension: str | None = None

    @field_validator("defaults")
    @classmethod
    def _no_defaults(cls, value: Any) -> Any:
        if value is not None:
            raise ValueError("a FILE input cannot have 'defaults'; remove them")
        return value


class JsonInput(Input):
    """A JSON document, parsed to its value."""

    type: Literal["JSON"]


class YamlInput(Input):
    """A YAML document, parsed to its value."""

    type: Literal["YAML"]


class UriInput(Input):
    """A URI such as ``https://example.com/path``."""

    type: Literal["URI"]


class SecretInput(_RegexValidated):
    """A secret string, optionally matched in full by ``validator``; masked in logs."""

    type: Literal["SECRET"]


class EmailInput(Input):
    """An e-mail address (the empty string is accepted, as in Kestra)."""

    type: Literal["EMAIL"]


class EnumInput(Input):
    """Deprecated: use SELECT. One of ``values``."""

    type: Literal["ENUM"]
    values: Annotated[list[str], Field(min_length=1)]


class SelectInput(Input):
    """One of ``values`` (or of the list ``expression`` renders to), unless ``allowCustomValue``."""

    type: Literal["SELECT"]
    values: list[str] | None = None
    expression: Expression | None = None
    allowCustomValue: bool = False
    isRadio: bool = False

    @model_validator(mode="after")
    def _has_choices(self) -> SelectInput:
        if self.values is None and self.expression is None:
            raise ValueError("a SELECT input needs 'values' or 'expression'")
        return self


class MultiselectInput(Input):
    """A list whose items are each among ``values`` (deprecated ``options``) or the list
    ``expression`` renders to, unless ``allowCustomValue``."""

    type: Literal["MULTISELECT"]
    values: list[str] | None = None
    options: list[str] | None = None
    expression: Expression | None = None
    itemType: InputType = InputType.STRING
    allowCustomValue: bool = False

    @model_validator(mode="after")
    def _values_or_options(self) -> MultiselectInput:
        if self.values is not None and self.options is not None:
            raise ValueError("you can't define both 'values' and 'options'; use 'values'")
        return self

    @field_validator("itemType")
    @classmethod
    def _flat(cls, value: InputType) -> InputType:
        return _flat_item_type(value)

    @property
    def choices(self) -> list[str] | None:
        """``values``, or the deprecated ``options``."""
        return self.values if self.values is not None else self.options


class ArrayInput(Input):
    """A list whose items are each coerced to ``itemType``."""

    type: Literal["ARRAY"]
    itemType: InputType

    @field_validator("itemType")
    @classmethod
    def _flat(cls, value: InputType) -> InputType:
        return _flat_item_type(value)


def _flat_item_type(value: InputType) -> InputType:
    if value in NESTED_LIST_TYPES:
        raise ValueError("'itemType' cannot be ARRAY, MULTISELECT, FORM, OBJECT nor TABLE")
    return value


_FIELD_TYPES = Union[  # noqa: UP007 - a discriminated union reads best spelled out
    StringInput,
    IntInput,
    FloatInput,
    BooleanInput,
    BoolInput,
    DateTimeInput,
    DateInput,
    TimeInput,
    DurationInput,
    FileInput,
    JsonInput,
    YamlInput,
    UriInput,
    SecretInput,
    EmailInput,
    EnumInput,
    SelectInput,
    MultiselectInput,
    ArrayInput,
]


def _type_checker(allowed: tuple[str, ...]) -> WrapValidator:
    """Report a missing or unknown ``type`` on the ``type`` key, listing the valid types."""

    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, Mapping) and value.get("type") not in allowed:
            raise _type_error(value.get("type"), allowed)
        return handler(value)

    return WrapValidator(check)


def _error_at(key: str, written: Any, message: str) -> ValidationError:
    error = PydanticCustomError("input_definition", message)
    loc: tuple[str | int, ...] = (key,)
    return ValidationError.from_exception_data(
        "Input", [{"type": error, "loc": loc, "input": written}]
    )


def _type_error(written: Any, allowed: tuple[str, ...]) -> ValidationError:
    choices = ", ".join(allowed)
    if written is None:
        message = f"every input needs a 'type': one of {choices}"
    else:
        message = f"unknown input type '{written}'; use one of {choices}"
        near = difflib.get_close_matches(str(written).upper(), allowed, n=1)
        if near:
            message = f"unknown input type '{written}'; did you mean '{near[0]}'? ({choices})"
    return _error_at("type", written, message)


_VALUE_TYPES = tuple(t.value for t in InputType if t is not InputType.FORM)

_RECORD_TYPES = tuple(t.value for t in RECORD_FIELD_TYPES)
_NOT_IN_RECORDS = ("dependsOn", "defaults", "prefill", "expression")


def _record_field_checker() -> WrapValidator:
    """Kestra's rules for a property of an OBJECT or a column of a TABLE, each reported on the
    key that breaks it."""

    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if not isinstance(value, Mapping):
            return handler(value)
        kind = value.get("type")
        if kind not in _RECORD_TYPES:
            if kind not in tuple(t.value for t in InputType):
                raise _type_error(kind, _RECORD_TYPES)
            choices = ", ".join(_RECORD_TYPES)
            message = f"a property or column cannot be of type {kind}; use one of {choices}"
            raise _error_at("type", kind, message)
        for key in _NOT_IN_RECORDS:
            if key in value:
                message = f"a property or column cannot declare '{key}'; remove it"
                raise _error_at(key, value[key], message)
        field_id = value.get("id")
        if isinstance(field_id, str) and "." in field_id:
            message = f"a property or column id cannot contain a dot: '{field_id}'"
            raise _error_at("id", field_id, message)
        return handler(value)

    return WrapValidator(check)


RecordField = Annotated[_FIELD_TYPES, Field(discriminator="type"), _record_field_checker()]
"""A property of an OBJECT or a column of a TABLE: a scalar or choice input definition."""


class ObjectInput(Input):
    """A JSON object whose entries are resolved by the ``properties`` definitions; read as
    ``inputs.<id>.<property>``."""

    type: Literal["OBJECT"]
    properties: Annotated[list[RecordField], Field(min_length=1)]


class Rows(BaseModel):
    """``rows`` of a TABLE: bounds on the number of rows."""

    model_config = ConfigDict(extra="forbid")

    min: Annotated[int, Field(ge=0)] | None = None
    max: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _range(self) -> Rows:
        input_base.check_range(self.min, self.max, "min", "max")
        return self


class TableInput(Input):
    """A list of rows, each a JSON object resolved by the ``columns`` definitions; ``rows``
    bounds the number of rows."""

    type: Literal["TABLE"]
    columns: Annotated[list[RecordField], Field(min_length=1)]
    rows: Rows | None = None


_VALUE_MODELS = Union[_FIELD_TYPES, ObjectInput, TableInput]  # noqa: UP007

FieldInput = Annotated[_VALUE_MODELS, Field(discriminator="type"), _type_checker(_VALUE_TYPES)]
"""Any input definition that holds a value (every type but FORM), chosen by its ``type``."""


class FormInput(Input):
    """A group of inputs shown together; each child is resolved under the form's id as a dotted
    id (``environment`` + ``region`` → ``inputs.environment.region``). Forms cannot be nested."""

    type: Literal["FORM"]
    inputs: Annotated[list[FieldInput], Field(min_length=1)]


AnyInput = Annotated[
    Union[_FIELD_TYPES, ObjectInput, TableInput, FormInput],  # noqa: UP007
    Field(discriminator="type"),
    _type_checker(tuple(t.value for t in InputType)),
]
"""Any input definition, chosen by its ``type``."""


def flatten_inputs(definitions: Sequence[Input]) -> list[Input]:
    """The definitions with every FORM replaced by its children under dotted ids.

    A child without its own ``dependsOn`` takes the form's (Kestra's rule here is not documented).
    """
    flat: list[Input] = []
    for definition in definitions:
        if not isinstance(definition, FormInput):
            flat.append(definition)
            continue
        for child in definition.inputs:
            update: dict[str, Any] = {"id": f"{definition.id}.{child.id}"}
            if child.dependsOn is None and definition.dependsOn is not None:
                update["dependsOn"] = definition.dependsOn
            flat.append(child.model_copy(update=update))
    return flat

"""Coercion of one given input value to its Kestra type, and the checks of its constraints.

Values arrive either as strings (CLI ``--input k=v``, HTTP form fields) or as native JSON/YAML
values (API JSON bodies, subflow and trigger inputs); both forms are accepted for every type.

Invariants:

* ``coerce_value(input_type, value)`` is pure: it returns the typed value or raises
  ``Mismatch`` carrying the expected form; it never looks at a definition's constraints.
* ``check_constraints(definition, value)`` returns the message of the first broken constraint
  (``validator``, ``min``/``max``, ``after``/``before``, ``values``), or ``None``.
* Typed values: STRING/SECRET/EMAIL/URI/ENUM/SELECT → ``str``; INT → ``int``; FLOAT →
  ``float`` (a double, where Kestra keeps a 32-bit float); BOOLEAN/BOOL → ``bool``; DATETIME →
  an aware ``datetime`` in UTC; DATE → ``date``; TIME → ``time``; DURATION → ``timedelta``;
  FILE → the ``kestra://`` URI string; JSON/YAML → the parsed value; ARRAY/MULTISELECT → ``list``;
  OBJECT → ``dict`` and TABLE → ``list`` of ``dict`` (their fields are coerced by
  ``legato.model.input_records``).
* SECRET values are kept as given: encrypting them at rest is the store's job (not done yet).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from legato.errors import InputError
from legato.model import inputs
from legato.model.property import format_duration, parse_duration

T = inputs.InputType

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$")
#: a lower-case scheme, ``://``, a dotted host name and an optional path, query or fragment
_URI = re.compile(
    r"^[a-z]+://(?:www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b"
    r"[-a-zA-Z0-9()@:%_+.~#?&/=]*$"
)
#: empty, or a local part, ``@`` and a domain (Kestra's permissive check)
_EMAIL = re.compile(r"^$|^[a-zA-Z0-9_!#$%&'’*+/=?`{|}~^.-]+@[a-zA-Z0-9.-]+$")
FILE_SCHEME = "kestra://"


class Mismatch(InputError):
    """A value does not have the expected form; ``detail`` says why, when more is known.

    ``input_values`` turns it into an ``InputError`` naming the input and the expected form.
    """

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(detail or "the value does not have the expected form")


EXPECTED: dict[T, str] = {
    T.STRING: "a string",
    T.INT: "an integer",
    T.FLOAT: "a number",
    T.BOOLEAN: "a boolean",
    T.BOOL: "a boolean",
    T.DATETIME: "an ISO-8601 date-time with Z or an offset, like 2024-01-31T10:00:00Z",
    T.DATE: "an ISO-8601 date like 2024-01-31",
    T.TIME: "a time like 10:15 or 10:15:30",
    T.DURATION: "an ISO-8601 duration like PT5M",
    T.FILE: "a kestra:// URI of an uploaded file",
    T.JSON: "a JSON document",
    T.YAML: "a YAML document",
    T.URI: "a URI like https://example.com/path",
    T.SECRET: "a string",
    T.EMAIL: "an e-mail address",
    T.ENUM: "a string",
    T.SELECT: "a string",
    T.MULTISELECT: "a JSON array or a list",
    T.ARRAY: "a JSON array or a list",
    T.OBJECT: "a JSON object or a map",
    T.TABLE: "a JSON array of objects or a list of maps",
    T.FORM: "values for the inputs of the form, not for the form itself",
}


def java_text(value: Any) -> str:
    """A scalar as Java's ``toString`` writes it (booleans lower-case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return java_text(value)
    raise Mismatch()


def _string(value: Any) -> str:
    return _text(value)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise Mismatch()
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT.match(value):
        return int(value)
    raise Mismatch()


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise Mismatch()
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        if value in ("NaN", "Infinity", "+Infinity", "-Infinity"):
            return float(value.replace("Infinity", "inf"))
        if _FLOAT.match(value):
            return float(value.rstrip("fFdD"))
    raise Mismatch()


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() == "true"
    raise Mismatch()


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and "T" in value.upper():
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise Mismatch() from None
        if parsed.tzinfo is None:
            raise Mismatch("the zone is missing: add Z or an offset such as +02:00")
    else:
        raise Mismatch()
    # a native datetime without a zone comes from a YAML timestamp, which is UTC
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise Mismatch(str(error)) from None
    raise Mismatch()


def _time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and _TIME.match(value):
        main, _, fraction = value.partition(".")
        text = f"{main}.{fraction[:6].ljust(6, '0')}" if fraction else main
        try:
            return time.fromisoformat(text)
        except ValueError as error:
            raise Mismatch(str(error)) from None
    raise Mismatch()


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError:
            raise Mismatch() from None
    raise Mismatch()


def _file(value: Any) -> str:
    if isinstance(value, str) and value.startswith(FILE_SCHEME):
        return value
    raise Mismatch("upload the file through the API or the CLI, which store it and pass its URI")


def _json(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError as error:
        raise Mismatch(str(error)) from None


def _yaml(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return YAML(typ="safe", pure=True).load(value)
    except YAMLError as error:
        raise Mismatch(str(error).replace("\n", " ")) from None


def _uri(value: Any) -> str:
    if isinstance(value, str) and _URI.match(value):
        return value
    raise Mismatch()


def _email(value: Any) -> str:
    if isinstance(value, str) and _EMAIL.match(value):
        return value
    raise Mismatch()


def as_list(value: Any) -> list[Any]:
    """A list, or a string holding a JSON array, as a list."""
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            raise Mismatch() from None
        if isinstance(parsed, list):
            return parsed
    raise Mismatch()


def as_object(value: Any) -> dict[str, Any]:
    """A map, or a string holding a JSON object, as a dict."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise Mismatch(str(error)) from None
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    raise Mismatch()


def _no_value(value: Any) -> Any:
    raise Mismatch()


_COERCERS: dict[T, Callable[[Any], Any]] = {
    T.STRING: _string,
    T.INT: _int,
    T.FLOAT: _float,
    T.BOOLEAN: _boolean,
    T.BOOL: _boolean,
    T.DATETIME: _datetime,
    T.DATE: _date,
    T.TIME: _time,
    T.DURATION: _duration,
    T.FILE: _file,
    T.JSON: _json,
    T.YAML: _yaml,
    T.URI: _uri,
    T.SECRET: _string,
    T.EMAIL: _email,
    T.ENUM: _string,
    T.SELECT: _string,
    T.MULTISELECT: as_list,
    T.ARRAY: as_list,
    T.OBJECT: as_object,
    T.TABLE: as_list,
    T.FORM: _no_value,
}


def coerce_value(input_type: T, value: Any) -> Any:
    """Coerce a non-null ``value`` to ``input_type``; lists are returned with items untouched."""
    return _COERCERS[input_type](value)


def check_constraints(definition: inputs.Input, value: Any) -> str | None:
    """The message of the first constraint of ``definition`` that ``value`` breaks, or None."""
    if isinstance(definition, inputs.StringInput | inputs.SecretInput):
        return _check_validator(definition.validator, value)
    if isinstance(definition, inputs.IntInput | inputs.FloatInput | inputs.DurationInput):
        return _check_bounds(value, definition.min, definition.max, "at least", "at most")
    if isinstance(definition, inputs.DateTimeInput | inputs.DateInput | inputs.TimeInput):
        return _check_bounds(value, definition.after, definition.before, "after", "before")
    if isinstance(definition, inputs.EnumInput):
        return _check_choice(value, definition.values)
    if isinstance(definition, inputs.SelectInput):
        if definition.allowCustomValue or not definition.required:
            return None
        return _check_choice(value, definition.values)
    if isinstance(definition, inputs.MultiselectInput) and not definition.allowCustomValue:
        return _check_choices(value, definition.choices)
    if isinstance(definition, inputs.TableInput) and definition.rows is not None:
        return _check_rows(len(value), definition.rows)
    return None


def _check_rows(count: int, rows: inputs.Rows) -> str | None:
    if rows.min is not None and count < rows.min:
        return f"it must have at least {rows.min} rows, got {count}"
    if rows.max is not None and count > rows.max:
        return f"it must have at most {rows.max} rows, got {count}"
    return None


def _check_validator(pattern: str | None, value: str) -> str | None:
    if pattern is None or re.fullmatch(pattern, value):
        return None
    return f"it must match the validator {pattern!r}"


def _check_bounds(value: Any, low: Any, high: Any, low_word: str, high_word: str) -> str | None:
    if isinstance(value, float) and math.isnan(value) and (low is not None or high is not None):
        return "it must be a number, not NaN"
    if low is not None and value < low:
        return f"it must be {low_word} {show(low)}"
    if high is not None and value > high:
        return f"it must be {high_word} {show(high)}"
    return None


def _check_choice(value: Any, choices: list[str] | None) -> str | None:
    if choices is None or java_text(value) in choices:
        return None
    return f"it must be one of {show(choices)}"


def _check_choices(items: list[Any], choices: list[str] | None) -> str | None:
    for item in items:
        if choices is not None and java_text(item) not in choices:
            return f"{show(item)} is not one of {show(choices)}"
    return None


def show(value: Any) -> str:
    """A short, readable rendering of a value for an error message."""
    if isinstance(value, str):
        text = f"'{value}'"
    elif isinstance(value, datetime | date | time | timedelta):
        text = str(input_to_json(value))
    else:
        try:
            text = json.dumps(value, default=str, ensure_ascii=False)
        except ValueError:
            text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def input_to_json(value: Any) -> Any:
    """``value`` (a typed input, possibly nested in lists and maps) as JSON-ready data, written as
    Java writes it: instants ``2024-01-31T10:00:00Z``, dates ``2024-01-31``, times ``10:15`` or
    ``10:15:30``, durations ``PT5M``."""
    if isinstance(value, datetime):
        utc = value.astimezone(UTC) if value.tzinfo else value
        return utc.strftime("%Y-%m-%dT%H:%M:%S") + _fraction(utc.microsecond) + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        text = value.strftime("%H:%M")
        if value.second or value.microsecond:
            text += value.strftime(":%S") + _fraction(value.microsecond)
        return text
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, dict):
        return {str(k): input_to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [input_to_json(v) for v in value]
    return value


def _fraction(micros: int) -> str:
    """Java's fraction of a second: empty, or 3 or 6 digits."""
    if not micros:
        return ""
    return f".{micros // 1000:03d}" if micros % 1000 == 0 else f".{micros:06d}"

"""Dynamic property types: a Kestra ``Property<T>`` is either a literal ``T`` or an expression.

* ``Expression`` is a string holding Pebble markup (``{{``, ``{%`` or ``{#``); its syntax is checked
  when the flow is validated, and it is rendered later, when the property is read.
* ``Dyn[T]`` (= ``T | Expression``) types a dynamic property. A plain string that is not an
  expression must still be a valid ``T`` ("3" for an int is coerced, "abc" is an error).
* ``Duration`` is an ISO-8601 duration (``PT5M``, ``P1DT2H``) held as a ``timedelta`` and written
  back in ISO form.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, TypeAlias, TypeVar, Union

from pydantic import AfterValidator, GetCoreSchemaHandler, PlainSerializer
from pydantic_core import PydanticCustomError, core_schema

T = TypeVar("T")

_MARKERS = ("{{", "{%", "{#")


def is_expression(value: object) -> bool:
    """True when ``value`` is a string that holds Pebble markup and must be rendered."""
    return isinstance(value, str) and any(m in value for m in _MARKERS)


class Expression(str):
    """A string holding Pebble markup, syntax-checked at validation."""

    __slots__ = ()

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
            json_schema_input_schema=core_schema.str_schema(pattern=r".*\{[{%#].*"),
        )

    @classmethod
    def _validate(cls, value: Any) -> Expression:
        if isinstance(value, Expression):
            return value
        if not is_expression(value):
            raise PydanticCustomError("not_expression", "not an expression")
        from legato import expressions  # deferred: expressions imports nothing from model
        from legato.errors import ExpressionSyntaxError

        try:
            expressions.parse(value)
        except ExpressionSyntaxError as error:
            raise PydanticCustomError(
                "expression_syntax", "invalid expression: {reason}", {"reason": str(error)}
            ) from None
        return cls(value)


Dyn: TypeAlias = Union[T, Expression]  # noqa: UP007 - a generic alias needs Union


_DURATION = re.compile(
    r"^(?P<sign>[-+]?)P(?:(?P<days>[-+]?\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>[-+]?\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>[-+]?\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>[-+]?\d+(?:[.,]\d+)?)S)?)?$",
    re.IGNORECASE,
)


def parse_duration(text: str) -> timedelta:
    """Parse an ISO-8601 duration as Java's ``Duration.parse`` does (days, hours, minutes, secs).

    Raises ``ValueError`` naming the expected form.
    """
    match = _DURATION.match(text.strip())
    if not match or text.strip().upper().endswith("T") or text.strip().upper() in ("P", "-P"):
        raise ValueError(
            f"'{text}' is not an ISO-8601 duration; expected a form like PT5M or P1DT2H"
        )
    groups = match.groupdict()
    units = ("days", "hours", "minutes", "seconds")
    part = {k: float((groups[k] or "0").replace(",", ".")) for k in units}
    delta = timedelta(days=part["days"], hours=part["hours"], minutes=part["minutes"])
    delta += timedelta(seconds=part["seconds"])
    return -delta if match.group("sign") == "-" else delta


def format_duration(delta: timedelta) -> str:
    """Write ``delta`` as Java's ``Duration.toString`` does (``PT1H30M``, ``PT0.5S``, ``PT0S``)."""
    total = delta.total_seconds()
    if total == 0:
        return "PT0S"
    sign = "-" if total < 0 else ""
    micros = abs(round(total * 1_000_000))
    hours, rest = divmod(micros, 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds, fraction = divmod(rest, 1_000_000)
    text = "PT"
    if hours:
        text += f"{sign}{hours}H"
    if minutes:
        text += f"{sign}{minutes}M"
    if seconds or fraction:
        secs = f"{seconds}" if not fraction else f"{seconds}.{fraction:06d}".rstrip("0")
        text += f"{sign}{secs}S"
    return text


def _to_duration(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError as error:
            raise PydanticCustomError("duration", str(error)) from None
    return value


class _DurationMarker:
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(
            _to_duration,
            core_schema.timedelta_schema(),
            json_schema_input_schema=core_schema.str_schema(),
        )


Duration: TypeAlias = Annotated[
    timedelta, _DurationMarker, PlainSerializer(format_duration, return_type=str)
]


def _refuse_worker_group(value: Any) -> Any:
    if value is not None:
        raise ValueError(
            "'workerGroup' is an Enterprise Edition feature that Legato does not support; remove it"
        )
    return value


#: ``workerGroup`` (on flows, tasks and triggers): accepted by the schema, refused with a message
WorkerGroup: TypeAlias = Annotated[Any, AfterValidator(_refuse_worker_group)]

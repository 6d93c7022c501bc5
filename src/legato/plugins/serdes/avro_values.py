"""Ion values fitted to an Avro schema, as Kestra's ``AvroConverter`` does before writing
Parquet or Avro.

* A union with ``null`` takes None, and a string listed in ``nullValues``; otherwise the first
  branch the value fits.
* ``boolean`` takes a bool or a string of ``trueValues``/``falseValues``; ``int``/``long`` an
  integer, an integral number or its text; ``float``/``double`` any number or its text (with
  ``decimalSeparator``); ``string`` any scalar (printed); ``bytes`` bytes or text (UTF-8);
  ``enum`` one of its symbols; ``fixed`` bytes of its size.
* Logical types: ``decimal`` an exact number rounded to no more than its scale (never losing
  digits), ``date``/``time-*``/``timestamp-*`` Python dates and times or their text parsed with
  ``dateFormat``/``timeFormat``/``datetimeFormat`` (Java patterns); a local date-time in a
  ``timestamp`` field is placed in ``timeZoneId``.
* A ``record`` takes a struct (or a list, matched to the fields by position): missing fields
  take their default (or null); with ``strictSchema`` a field the schema does not declare is an
  error.

A value that does not fit raises ``FitError`` naming the field path and the expected type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from legato.expressions.filters.javatime_parse import Parsed, parse_pattern
from legato.plugins.serdes.avro_schema import Schema

EPOCH = date(1970, 1, 1)
INT_RANGE = (-(2**31), 2**31 - 1)
LONG_RANGE = (-(2**63), 2**63 - 1)


class FitError(ValueError):
    """A value does not fit its Avro type."""


@dataclass(frozen=True)
class FitOptions:
    """Kestra's AvroConverter settings."""

    true_values: frozenset[str]
    false_values: frozenset[str]
    null_values: frozenset[str]
    date_format: str
    time_format: str
    datetime_format: str
    decimal_separator: str
    strict_schema: bool
    zone: tzinfo


class Fitter:
    """Fits values to the types of one schema."""

    def __init__(self, named: Mapping[str, Any], options: FitOptions) -> None:
        self.named = named
        self.options = options

    def fit(self, schema: Schema, value: Any, path: str) -> Any:
        """``value`` as ``schema`` wants it; ``FitError`` if it cannot be."""
        if isinstance(schema, list):
            return self._union(schema, value, path)
        if isinstance(schema, str):
            return self._named_or_primitive(schema, value, path)
        kind = schema.get("type")
        logical = schema.get("logicalType")
        if logical is not None and value is not None:
            fitted = self._logical(logical, schema, value, path)
            if fitted is not _NOT_LOGICAL:
                return fitted
        if isinstance(kind, list | dict):
            return self.fit(kind, value, path)
        if kind == "record":
            return self._record(schema, value, path)
        if kind == "array":
            if not isinstance(value, list | tuple):
                raise _mismatch(path, "an array", value)
            return [self.fit(schema["items"], v, f"{path}[{i}]") for i, v in enumerate(value)]
        if kind == "map":
            if not isinstance(value, Mapping):
                raise _mismatch(path, "a map", value)
            return {str(k): self.fit(schema["values"], v, f"{path}.{k}") for k, v in value.items()}
        if kind == "enum":
            text = self._string(value, path)
            if text not in schema.get("symbols", []):
                raise FitError(f"field '{path}': '{text}' is not one of {schema.get('symbols')}")
            return text
        if kind == "fixed":
            data = self._bytes(value, path)
            if len(data) != schema.get("size"):
                raise FitError(f"field '{path}': expected {schema.get('size')} bytes")
            return data
        return self._named_or_primitive(str(kind), value, path)

    def _union(self, branches: list[Any], value: Any, path: str) -> Any:
        nullable = "null" in branches
        if nullable and (value is None or self._is_null_text(value)):
            return None
        errors = []
        for branch in branches:
            if branch == "null":
                continue
            try:
                return self.fit(branch, value, path)
            except FitError as error:
                errors.append(str(error))
        raise FitError(errors[0] if len(errors) == 1 else f"field '{path}': {'; '.join(errors)}")

    def _is_null_text(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.options.null_values

    def _named_or_primitive(self, name: str, value: Any, path: str) -> Any:
        if name in self.named:
            return self.fit(self.named[name], value, path)
        if value is None:
            if name == "null":
                return None
            raise FitError(f"field '{path}': null is not allowed (type {name})")
        primitive = _PRIMITIVES.get(name)
        if primitive is None:
            raise FitError(f"field '{path}': unknown Avro type '{name}'")
        return primitive(self, value, path)

    def _null(self, value: Any, path: str) -> None:
        if not self._is_null_text(value):
            raise _mismatch(path, "null", value)

    def _boolean(self, value: Any, path: str) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in self.options.true_values:
            return True
        if isinstance(value, str) and value in self.options.false_values:
            return False
        raise _mismatch(path, "a boolean (or a text of trueValues/falseValues)", value)

    def _integer(self, value: Any, path: str, bounds: tuple[int, int]) -> int:
        number: Any = value
        if isinstance(value, str):
            number = self._decimal_text(value, path)
        if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
            raise _mismatch(path, "an integer", value)
        if isinstance(number, float | Decimal) and number != int(number):
            raise _mismatch(path, "an integer", value)
        result = int(number)
        if not bounds[0] <= result <= bounds[1]:
            raise FitError(f"field '{path}': {result} is out of range; use a wider type")
        return result

    def _int(self, value: Any, path: str) -> int:
        return self._integer(value, path, INT_RANGE)

    def _long(self, value: Any, path: str) -> int:
        return self._integer(value, path, LONG_RANGE)

    def _double(self, value: Any, path: str) -> float:
        if isinstance(value, str):
            return float(self._decimal_text(value, path))
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise _mismatch(path, "a number", value)
        return float(value)

    def _decimal_text(self, text: str, path: str) -> Decimal:
        try:
            return Decimal(text.strip().replace(self.options.decimal_separator, "."))
        except InvalidOperation:
            raise _mismatch(path, "a number", text) from None

    def _string(self, value: Any, path: str) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | Decimal):
            return str(value)
        if isinstance(value, datetime | date | time):
            return value.isoformat()
        raise _mismatch(path, "a string", value)

    def _bytes(self, value: Any, path: str) -> bytes:
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
        raise _mismatch(path, "bytes", value)

    def _record(self, schema: Mapping[str, Any], value: Any, path: str) -> dict[str, Any]:
        fields = schema["fields"]
        if isinstance(value, list | tuple):  # a positional row (e.g. CsvToIon without header)
            value = {field["name"]: item for field, item in zip(fields, value, strict=False)}
        if not isinstance(value, Mapping):
            raise _mismatch(path or "row", "a struct", value)
        if self.options.strict_schema:
            extra = set(value) - {field["name"] for field in fields}
            if extra:
                raise FitError(
                    f"fields {sorted(extra)} are not in the schema (strictSchema is true)"
                )
        result: dict[str, Any] = {}
        for field in fields:
            name = field["name"]
            raw = value.get(name, field.get("default"))
            result[name] = self.fit(field["type"], raw, f"{path}.{name}" if path else name)
        return result

    # --- logical types

    def _logical(self, logical: str, schema: Mapping[str, Any], value: Any, path: str) -> Any:
        if logical == "decimal":
            return self._fit_decimal(schema, value, path)
        if logical == "date":
            return self._date(value, path)
        if logical in ("time-millis", "time-micros"):
            return self._time(value, path)
        if logical in ("timestamp-millis", "timestamp-micros", "timestamp-nanos"):
            return self._timestamp(value, path).astimezone(UTC)
        if logical.startswith("local-timestamp"):
            moment = self._timestamp(value, path)
            return moment.astimezone(self.options.zone).replace(tzinfo=None)
        return _NOT_LOGICAL

    def _fit_decimal(self, schema: Mapping[str, Any], value: Any, path: str) -> Decimal:
        if isinstance(value, bool):
            raise _mismatch(path, "a decimal", value)
        if isinstance(value, str):
            number = self._decimal_text(value, path)
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            raise _mismatch(path, "a decimal", value)
        scale = int(schema.get("scale", 0))
        precision = int(schema.get("precision", 38))
        try:
            fitted = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise FitError(
                f"field '{path}': {number} does not fit decimal({precision}, {scale})"
            ) from None
        if fitted != number or len(fitted.as_tuple().digits) > precision:
            raise FitError(
                f"field '{path}': {number} does not fit decimal({precision}, {scale}) without "
                "losing digits; widen the schema's precision or scale"
            )
        return fitted

    def _date(self, value: Any, path: str) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return EPOCH + timedelta(days=value)
        if isinstance(value, str):
            return self._parse(value, self.options.date_format, path).day
        raise _mismatch(path, "a date", value)

    def _time(self, value: Any, path: str) -> time:
        if isinstance(value, datetime):
            return value.time()
        if isinstance(value, time):
            return value.replace(tzinfo=None)
        if isinstance(value, str):
            parsed = self._parse(
                "1970-01-01 " + value, "yyyy-MM-dd " + self.options.time_format, path
            )
            return parsed.clock or time()
        raise _mismatch(path, "a time", value)

    def _timestamp(self, value: Any, path: str) -> datetime:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time())
        elif isinstance(value, str):
            parsed = self._parse(value, self.options.datetime_format, path)
            moment = datetime.combine(parsed.day, parsed.clock or time(), parsed.zone)
        else:
            raise _mismatch(path, "a timestamp", value)
        return moment if moment.tzinfo else moment.replace(tzinfo=self.options.zone)

    def _parse(self, text: str, pattern: str, path: str) -> Parsed:
        try:
            return parse_pattern(text.strip(), pattern)
        except ValueError as error:
            raise FitError(f"field '{path}': {error}") from None


_NOT_LOGICAL = object()
_PRIMITIVES = {
    "null": Fitter._null,
    "boolean": Fitter._boolean,
    "int": Fitter._int,
    "long": Fitter._long,
    "float": Fitter._double,
    "double": Fitter._double,
    "string": Fitter._string,
    "bytes": Fitter._bytes,
}


def _mismatch(path: str, expected: str, value: Any) -> FitError:
    shown = repr(value) if not isinstance(value, bytes) else f"{len(value)} bytes"
    return FitError(f"field '{path}': expected {expected}, got {shown[:80]}")

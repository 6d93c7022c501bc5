"""Values: how expression results are written out, compared for truth, and named in messages.

Rules (Kestra's Pebble configuration):

* ``None`` renders as the empty string; booleans as ``true``/``false``; ints as they are;
  floats as Java's ``Double.toString`` (``1.0``, ``0.001``, ``1.0E10``, ``1.0E-4``, ``NaN``,
  ``Infinity``); ``Decimal`` as ``BigDecimal.toString``;
* maps and lists render as compact JSON, Jackson style (``{"a":1,"b":[1,2]}``), with floats in
  the Java form and dates as ISO strings;
* dates and times render in ISO-8601 (UTC as ``Z``, fractions in groups of three digits as
  ``java.time`` does); a ``timedelta`` renders as an ISO-8601 duration (``PT1H30M``);
* truth follows Pebble's ``TypeUtils.compatibleCast(value, Boolean)``: ``None`` is false, numbers
  are true when non-zero, strings when non-empty; any other value is an error for the caller.

Invariant: ``stringify`` never evaluates markup found inside a value (rendering is not
recursive), and never touches Python attributes of the value.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

_JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode


def java_double(value: float) -> str:
    """Format ``value`` as Java's ``Double.toString``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        return repr(value)
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    number = "".join(map(str, digits)).rstrip("0") or "0"
    scientific = exponent + len(digits) - 1
    mantissa = number[0] + "." + (number[1:] or "0")
    return ("-" if sign else "") + f"{mantissa}E{scientific}"


def _fraction(micro: int) -> str:
    if not micro:
        return ""
    if micro % 1000 == 0:
        return f".{micro // 1000:03d}"
    return f".{micro:06d}"


def iso_time(value: time) -> str:
    """``LocalTime.toString``: ``HH:mm``, then ``:ss`` and a fraction only when non-zero."""
    text = f"{value.hour:02d}:{value.minute:02d}"
    if value.second or value.microsecond:
        text += f":{value.second:02d}{_fraction(value.microsecond)}"
    return text


def iso_datetime(value: datetime) -> str:
    """ISO-8601 with seconds; a zero UTC offset is written ``Z`` (as ``Instant.toString``)."""
    text = f"{value.date().isoformat()}T{value:%H:%M:%S}{_fraction(value.microsecond)}"
    offset = value.utcoffset()
    if offset is None:
        return text
    if not offset:
        return text + "Z"
    return text + value.strftime("%z")[:3] + ":" + value.strftime("%z")[3:5]


def iso_duration(value: timedelta) -> str:
    """``Duration.toString``: ``PT0S``, ``PT1H30M``, ``PT0.5S``, ``PT-1H``."""
    micros = value // timedelta(microseconds=1)
    if micros == 0:
        return "PT0S"
    sign = "-" if micros < 0 else ""
    hours, rest = divmod(abs(micros), 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds, fraction = divmod(rest, 1_000_000)
    text = "PT"
    if hours:
        text += f"{sign}{hours}H"
    if minutes:
        text += f"{sign}{minutes}M"
    if seconds or fraction:
        secs = f"{seconds}.{fraction:06d}".rstrip("0") if fraction else str(seconds)
        text += f"{sign}{secs}S"
    return text


def scalar_text(value: Any) -> str | None:
    """The text of a scalar (not None, list or map), or None when ``value`` is not a scalar."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return iso_time(value)
    if isinstance(value, timedelta):
        return iso_duration(value)
    return None


def stringify(value: Any) -> str:
    """The text Kestra writes for ``value`` in a rendered string."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    text = scalar_text(value)
    if text is not None:
        return text
    return to_json(value)


def to_json(value: Any) -> str:
    """Compact JSON as Jackson writes it (floats as Java doubles, dates as ISO strings)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _JSON_STRING(value)
    if isinstance(value, dict):
        items = (f"{_JSON_STRING(str(k))}:{to_json(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    if isinstance(value, bool | int | float | Decimal):
        return stringify(value)
    text = scalar_text(value)
    if text is None:
        return _JSON_STRING(type(value).__name__)
    return _JSON_STRING(text)


def type_name(value: Any) -> str:
    """A user-facing name of ``value``'s type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    if isinstance(value, timedelta):
        return "duration"
    return "value"


class NotBoolean(Exception):
    """Raised by ``truth`` for a value that has no boolean meaning (the caller adds context)."""


def truth(value: Any) -> bool:
    """Pebble's boolean view of ``value``; raises ``NotBoolean`` for lists, maps and others."""
    if value is True or value is False:
        return value
    if value is None:
        return False
    if isinstance(value, int | float | Decimal):
        return value == value and value != 0  # NaN is false
    if isinstance(value, str):
        return value != ""
    raise NotBoolean(type_name(value))

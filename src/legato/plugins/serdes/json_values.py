"""Ion values as JSON text, as Kestra's IonToJson (Jackson with the Java time module) writes
them, compact and UTF-8.

* Decimals are JSON numbers with their exact digits (``12.30``); ints any size; doubles as Java
  prints them (``1.0E10``); NaN and infinities are strings (``"NaN"``), as Jackson quotes them.
* An instant (UTC timestamp) is ``"2024-01-02T03:04:05Z"`` (fraction in groups of three digits,
  as ``Instant.toString``); a timestamp with another offset is moved to the writer's time zone
  (Jackson's context zone, IonToJson's ``timeZoneId``) or keeps its offset without one; a local
  date-time, date or time is its ISO text.
* Bytes are base64 strings; lists and structs recurse; keys are strings.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from legato.expressions.filters._support import java_double


def json_text(value: Any, zone: tzinfo | None = None) -> str:
    """The compact JSON text of an Ion value; ``zone`` (Jackson's context time zone) moves
    date-times with a non-UTC offset into it (instants stay UTC)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value) if math.isfinite(value) else f'"{java_double(value)}"'
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else f'"{value}"'
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime) and zone is not None and value.utcoffset():
        return '"' + iso_text(value.astimezone(zone)) + '"'
    if isinstance(value, datetime | date | time):
        return '"' + iso_text(value) + '"'
    if isinstance(value, bytes):
        return '"' + base64.b64encode(value).decode("ascii") + '"'
    if isinstance(value, Mapping):
        fields = (f"{_string(str(k))}:{json_text(v, zone)}" for k, v in value.items())
        return "{" + ",".join(fields) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(json_text(item, zone) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def iso_text(value: datetime | date | time) -> str:
    """Java's ISO text of a date, time or date-time (``Z`` for UTC, millisecond groups)."""
    if isinstance(value, datetime):
        text = value.replace(microsecond=0, tzinfo=None).isoformat() + _fraction(value.microsecond)
        return text + _offset(value.utcoffset())
    if isinstance(value, time):
        text = value.replace(microsecond=0, tzinfo=None).isoformat() + _fraction(value.microsecond)
        return text + _offset(value.utcoffset())
    return value.isoformat()


def _fraction(micros: int) -> str:
    if not micros:
        return ""
    return "." + (f"{micros // 1000:03d}" if micros % 1000 == 0 else f"{micros:06d}")


def _offset(offset: timedelta | None) -> str:
    if offset is None:
        return ""
    if offset == timedelta(0):
        return "Z"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"

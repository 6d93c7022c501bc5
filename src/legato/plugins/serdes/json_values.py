"""Ion values as JSON text, as Kestra's IonToJson (Jackson with the Java time module) writes
them, compact and UTF-8.

JSON text is Ion text with other spellings for some leaves, so the writer is the shared
``IonWriter`` (``legato.expressions.ion_codec``: null, booleans, ints, strings, lists, structs)
with these leaves:

* Decimals are JSON numbers with their exact digits (``12.30``); doubles as Java prints them
  (``1.0E10``); NaN and infinities are strings (``"NaN"``), as Jackson quotes them.
* An instant (UTC timestamp) is ``"2024-01-02T03:04:05Z"`` (fraction in groups of three digits,
  as ``Instant.toString``); a timestamp with another offset is moved to the writer's time zone
  (Jackson's context zone, IonToJson's ``timeZoneId``) or keeps its offset without one; a local
  date-time, date or time is its ISO text.
* Bytes are base64 strings; keys are JSON strings.
"""

from __future__ import annotations

import base64
import json
import math
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from legato.expressions.filters._support import java_double
from legato.expressions.ion_codec import IonWriter


class _JsonWriter(IonWriter):
    """The Ion writer with JSON's spelling of numbers, times, bytes and field names."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone

    def field_name(self, name: str) -> str:
        return json.dumps(name, ensure_ascii=False)

    def float_text(self, value: float) -> str:
        return java_double(value) if math.isfinite(value) else f'"{java_double(value)}"'

    def decimal_text(self, value: Decimal) -> str:
        return str(value) if value.is_finite() else f'"{value}"'

    def date_text(self, value: date) -> str:
        if isinstance(value, datetime) and self.zone is not None and value.utcoffset():
            value = value.astimezone(self.zone)
        return '"' + iso_text(value) + '"'

    def time_text(self, value: time) -> str:
        return '"' + iso_text(value) + '"'

    def bytes_text(self, value: bytes) -> str:
        return '"' + base64.b64encode(value).decode("ascii") + '"'


_WITHOUT_ZONE = _JsonWriter(None)


def json_text(value: Any, zone: tzinfo | None = None) -> str:
    """The compact JSON text of an Ion value; ``zone`` (Jackson's context time zone) moves
    date-times with a non-UTC offset into it (instants stay UTC)."""
    writer = _WITHOUT_ZONE if zone is None else _JsonWriter(zone)
    return writer.text(value)


def iso_text(value: datetime | date | time) -> str:
    """Java's ISO text of a date, time or date-time (``Z`` for UTC, millisecond groups)."""
    if isinstance(value, datetime | time):
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

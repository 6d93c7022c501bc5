"""Ion values as the text of a cell, as Kestra's ``AbstractTextWriter`` writes them (IonToCsv).

* ``None`` stays ``None`` (an empty cell); strings as they are; booleans ``true``/``false``;
  numbers as Java prints them (``1.0E10`` for a large double, ``12.30`` for a decimal).
* Dates use ``dateFormat``, times ``timeFormat``, date-times ``dateTimeFormat`` (Java patterns):
  an instant (a UTC timestamp) is printed in UTC, a timestamp with an offset in ``timeZoneId``,
  a local date-time as it is (as UTC), a local time without its optional offset section.
* Bytes are base64; lists and structs are compact JSON (Kestra prints Java's ``toString``).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from legato.expressions.filters._support import java_double
from legato.expressions.filters.dateformats import formatter
from legato.sdk.run_context import TaskError

DEFAULT_DATE = "yyyy-MM-dd"
DEFAULT_TIME = "HH:mm:ss[XXX]"
DEFAULT_DATE_TIME = "yyyy-MM-dd'T'HH:mm:ss.SSS[XXX]"
_OPTIONAL_OFFSET = re.compile(r"\[[XxZO]+\]")


@dataclass(frozen=True)
class TextFormats:
    """Compiled date/time formats of a text writer."""

    date: Callable[[datetime], str]
    time: Callable[[datetime], str]
    date_time: Callable[[datetime], str]
    zone: tzinfo
    local_time: Callable[[datetime], str]


def text_formats(
    date_format: str, time_format: str, date_time_format: str, zone: str
) -> TextFormats:
    """Compile the formats; a bad pattern or zone fails the task with the property's name."""
    compiled = []
    for name, pattern in (
        ("dateFormat", date_format),
        ("timeFormat", time_format),
        ("dateTimeFormat", date_time_format),
    ):
        try:
            compiled.append(_FAST.get(pattern) or formatter(pattern))
        except ValueError as error:
            raise TaskError(f"Invalid {name} '{pattern}': {error}", retryable=False) from None
    local_time = formatter(_OPTIONAL_OFFSET.sub("", time_format))
    return TextFormats(compiled[0], compiled[1], compiled[2], zone_of(zone), local_time)


def _offset(moment: datetime) -> str:
    """Java's ``XXX``: ``Z`` for UTC, else ``+HH:MM``."""
    offset = moment.utcoffset() or timedelta(0)
    if not offset:
        return "Z"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _default_date_time(moment: datetime) -> str:
    millis = moment.microsecond // 1000
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis:03d}{_offset(moment)}"


#: the default patterns, formatted without the generic Java-pattern machinery (same text)
_FAST: dict[str, Callable[[datetime], str]] = {
    DEFAULT_DATE: lambda moment: f"{moment:%Y-%m-%d}",
    DEFAULT_DATE_TIME: _default_date_time,
}


def zone_of(name: str) -> tzinfo:
    """The zone ``name`` (an IANA id such as Europe/Paris, or UTC)."""
    if name in ("UTC", "Z", ""):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TaskError(
            f"Unknown timeZoneId '{name}': use an IANA zone such as Europe/Paris or UTC",
            retryable=False,
        ) from None


def cell_text(value: Any, formats: TextFormats) -> str | None:
    """The text of one cell."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, datetime):
        return _date_time(value, formats)
    if isinstance(value, date):
        return formats.date(datetime.combine(value, time(), UTC))
    if isinstance(value, time):
        offset = value.utcoffset()
        moment = datetime.combine(date(1970, 1, 1), value.replace(tzinfo=None), UTC)
        if offset is None:  # a LocalTime has no offset to print
            return formats.local_time(moment)
        return formats.time(moment.replace(tzinfo=timezone(offset)))
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))


def _date_time(value: datetime, formats: TextFormats) -> str:
    if value.tzinfo is None:  # a LocalDateTime: its own fields, no zone conversion
        return formats.date_time(value.replace(tzinfo=UTC))
    if value.utcoffset() == timedelta(0):  # an Instant: printed in UTC
        return formats.date_time(value.astimezone(UTC))
    return formats.date_time(value.astimezone(formats.zone))


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value

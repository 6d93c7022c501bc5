"""Database values as Kestra's JDBC tasks return them, for task outputs and for Ion files.

Drivers hand back Python values; ``normalize`` brings them to the shapes Kestra's cell
converters give, then ``to_output`` makes them JSON values for ``row``/``rows``, while the Ion
writer keeps the richer types (Ion timestamps, decimals, blobs).

Invariants (``normalize``):

* A time-zone-aware datetime (``timestamptz``) is moved to the task's zone (``timeZoneId``, else
  UTC); a naive one (``timestamp``) stays local. A time with a zone (``timetz``) becomes the
  local time of that instant in the task's zone.
* An interval (``timedelta``) becomes Kestra's ISO text ``P0Y0M1DT2H3M4S``; a UUID its text;
  ``memoryview``/``bytearray`` become ``bytes``; lists, tuples and maps are normalized item by
  item (an array stays a list, a JSON value stays what the driver parsed).
* Anything else the JSON world does not know (``inet``, ``money``…) becomes its text.

Invariants (``to_output``): datetimes become ISO-8601 text (offset ``Z`` for UTC, fraction
digits only as needed, as Java prints them), dates and times ISO text, decimals numbers (an
integral value an int), bytes their base64 text (as Jackson writes ``byte[]``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any
from uuid import UUID

_PLAIN = (str, bool, int, float, Decimal, bytes, type(None))


def normalize(value: Any, zone: tzinfo = UTC) -> Any:
    """``value`` in Kestra's shape (see the module invariants)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, datetime):
        return value.astimezone(zone) if value.tzinfo is not None else value
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return _local_time(value, zone)
    if isinstance(value, timedelta):
        return iso_interval(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    if isinstance(value, Mapping):
        return {str(k): normalize(v, zone) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(item, zone) for item in value]
    return str(value)


def _local_time(value: time, zone: tzinfo) -> time:
    if value.tzinfo is None:
        return value
    instant = datetime.combine(date(1970, 1, 1), value)
    return instant.astimezone(zone).time()


def iso_interval(value: timedelta) -> str:
    """Kestra's text of a PostgreSQL interval: ``P{y}Y{m}M{d}DT{h}H{m}M{s}S`` (whole seconds)."""
    seconds = int(value.total_seconds())
    sign = -1 if seconds < 0 else 1
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = (sign * days, sign * hours, sign * minutes, sign * secs)
    return "P0Y0M{}DT{}H{}M{}S".format(*parts)


def to_output(value: Any) -> Any:
    """A normalized value as a JSON value of the task outputs."""
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, datetime):
        return _iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _trim_fraction(value.isoformat())
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {k: to_output(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_output(item) for item in value]
    return str(value)


def _number(value: Decimal) -> int | float:
    if value.is_finite() and value == value.to_integral_value():
        return int(value)
    return float(value)


def _iso_datetime(value: datetime) -> str:
    text = _trim_fraction(value.replace(tzinfo=None).isoformat())
    if value.tzinfo is None:
        return text
    offset = value.utcoffset()
    if not offset:
        return text + "Z"
    return text + value.isoformat()[-6:]


def _trim_fraction(text: str) -> str:
    if "." not in text:
        return text
    return text.rstrip("0").rstrip(".")

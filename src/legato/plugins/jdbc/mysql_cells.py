"""MySQL values as Kestra's MySQL tasks return them (Connector/J's types, then Kestra's converter).

PyMySQL hands back Python values by wire type; ``row_converter`` fixes, per column of a result
(from ``cursor.description``), the ones where Connector/J and Kestra differ, before the shared
``cells.normalize``/``cells.to_output`` run:

* ``TIMESTAMP`` is an instant: the session's wall time (the session ``time_zone`` is the fixed
  offset ``session_zone``) becomes an aware datetime, so it comes out in ``timeZoneId`` (else
  UTC, ``…Z`` as Kestra prints its ``Instant``). ``DATETIME`` stays a local date-time.
* ``TINYINT(1)``/``BOOLEAN`` and ``BIT(1)`` are booleans (Connector/J's ``tinyInt1isBit``);
  a wider ``BIT(n)`` stays bytes (base64 in outputs).
* ``TIME`` within a day is a time of day (``10:30:00``); outside it (MySQL allows
  ``-838:59:59``…``838:59:59``) its MySQL text (``-01:02:03``, ``25:00:00``).
* ``YEAR`` is the date of its first of January (Connector/J's ``yearIsDateType``).
* ``DECIMAL`` stays a decimal (a number in outputs), ``JSON`` its text, ``BLOB``/``BINARY``
  bytes. Zero dates (``0000-00-00``) stay the text PyMySQL gives.

Invariant: ``None`` stays ``None`` in every column; columns needing nothing are not touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

# MySQL protocol column types (``FIELD_TYPE`` in the MySQL client headers)
TINY = 1
TIMESTAMP = 7
TIME = 11
YEAR = 13
BIT = 16

Cell = Callable[[Any], Any]


def row_converter(
    description: Sequence[Sequence[Any]], session_zone: tzinfo
) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """A function bringing one row of a result with ``description`` to Kestra's cell types."""
    cells: list[tuple[int, Cell]] = []
    for index, column in enumerate(description):
        cell = _cell(int(column[1]), int(column[3] or 0), session_zone)
        if cell is not None:
            cells.append((index, cell))
    if not cells:
        return lambda row: row

    def convert(row: Sequence[Any]) -> Sequence[Any]:
        out = list(row)
        for index, cell in cells:
            if out[index] is not None:
                out[index] = cell(out[index])
        return out

    return convert


def _cell(type_code: int, length: int, session_zone: tzinfo) -> Cell | None:
    if type_code == TIMESTAMP:
        return lambda value: _instant(value, session_zone)
    if type_code == TINY and length == 1:
        return bool
    if type_code == BIT and length == 1:
        return _bit
    if type_code == TIME:
        return time_of_day
    if type_code == YEAR:
        return lambda value: date(value, 1, 1) if isinstance(value, int) and value > 0 else value
    return None


def _bit(value: Any) -> Any:
    return int.from_bytes(value, "big") != 0 if isinstance(value, bytes) else value


def _instant(value: Any, session_zone: tzinfo) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=session_zone)
    return value


def time_of_day(value: Any) -> Any:
    """A ``TIME`` (PyMySQL's ``timedelta``) as a time of day, or MySQL's text outside a day."""
    if not isinstance(value, timedelta):
        return value
    if timedelta(0) <= value < timedelta(days=1):
        return (datetime.min + value).time()
    seconds = round(abs(value.total_seconds()), 6)
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{'-' if value < timedelta(0) else ''}{hours:02d}:{minutes:02d}:{secs:02d}"
    fraction = round((seconds - whole) * 1_000_000)
    return text + (f".{fraction:06d}".rstrip("0") if fraction else "")

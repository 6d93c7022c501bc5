"""Kestra's date helper functions: ``dayOfWeek``, ``dayOfMonth``, ``monthOfYear``, ``hourOfDay``,
``isWeekend``, ``isDateBefore``, ``isDateAfter``, ``isDateBetween``.

A date argument is an ISO-8601 date or date-time string, or a date/datetime value. Calendar
fields come from the local date and time as written (no conversion to UTC); comparisons use
instants, a value without an offset being read as UTC. Holiday and working-day helpers
(``isPublicHoliday``, ``isLastWorkingDay``, ``isDayWeekInMonth``) are not provided.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import fail
from legato.expressions.filters.dateformats import parse_iso
from legato.expressions.filters.javatime_parse import Parsed, combine

TABLE = Callables()
_DAY_NAMES = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _parsed(name: str, args: Mapping[str, Any], key: str) -> Parsed:
    value = args.get(key)
    if value is None:
        fail(name, f"argument '{key}' is required (an ISO-8601 date or date-time)")
    if isinstance(value, datetime):
        return Parsed(value.date(), value.timetz().replace(tzinfo=None), value.tzinfo)
    if isinstance(value, date):
        return Parsed(value, None, None)
    try:
        return parse_iso(str(value))
    except ValueError as error:
        fail(name, f"could not parse argument '{key}': {error}")


def _instant(name: str, args: Mapping[str, Any], key: str) -> datetime:
    return combine(_parsed(name, args, key), UTC)


@TABLE.function("dayOfWeek", "date")
def day_of_week(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """The day name in upper case, e.g. ``MONDAY``."""
    return _DAY_NAMES[_parsed("dayOfWeek", args, "date").day.weekday()]


@TABLE.function("dayOfMonth", "date")
def day_of_month(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _parsed("dayOfMonth", args, "date").day.day


@TABLE.function("monthOfYear", "date")
def month_of_year(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _parsed("monthOfYear", args, "date").day.month


@TABLE.function("hourOfDay", "date")
def hour_of_day(args: Mapping[str, Any], ctx: CallContext) -> Any:
    clock = _parsed("hourOfDay", args, "date").clock
    if clock is None:
        fail("hourOfDay", "argument 'date' must be a date-time, not a plain date")
    return clock.hour


@TABLE.function("isWeekend", "date")
def is_weekend(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _parsed("isWeekend", args, "date").day.weekday() >= 5


@TABLE.function("isDateBefore", "date", "reference")
def is_date_before(args: Mapping[str, Any], ctx: CallContext) -> Any:
    name = "isDateBefore"
    return _instant(name, args, "date") < _instant(name, args, "reference")


@TABLE.function("isDateAfter", "date", "reference")
def is_date_after(args: Mapping[str, Any], ctx: CallContext) -> Any:
    name = "isDateAfter"
    return _instant(name, args, "date") > _instant(name, args, "reference")


@TABLE.function("isDateBetween", "date", "after", "before")
def is_date_between(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """True when ``date`` is strictly after ``after`` and strictly before ``before``."""
    name = "isDateBetween"
    moment = _instant(name, args, "date")
    return _instant(name, args, "after") < moment < _instant(name, args, "before")

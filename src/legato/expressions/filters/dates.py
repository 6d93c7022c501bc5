"""Date filters: ``date``, ``dateAdd``, ``timestamp``, ``timestampMilli/Micro/Nano``.

Semantics follow Kestra's ``AbstractDate``: the input is a ``datetime`` (naive ones are read in
``timeZone``), a ``date`` (noon in ``timeZone``), an integer epoch timestamp (seconds,
milliseconds, microseconds or nanoseconds, told by its size: ``epoch_parts``), or a string
parsed with ``existingFormat`` (a Kestra format name or Java pattern) or, without one, as ISO-8601
zoned, local date-time or local date. The output is always expressed in ``timeZone``, which
defaults to UTC (Kestra uses the server's zone, normally UTC). ``null`` input gives ``null``.
Only English locales are available.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import UTC as UTC_FIXED
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters import dateformats
from legato.expressions.filters._support import arg_int, arg_str, fail, type_name
from legato.expressions.filters.javatime_parse import combine, parse_offset

TABLE = Callables()
DATE_ARGS = ("format", "timeZone", "existingFormat", "locale")
UTC = ZoneInfo("UTC")

_TIME_UNITS = {
    "MICROS": timedelta(microseconds=1),
    "MILLIS": timedelta(milliseconds=1),
    "SECONDS": timedelta(seconds=1),
    "MINUTES": timedelta(minutes=1),
    "HOURS": timedelta(hours=1),
    "HALF_DAYS": timedelta(hours=12),
}
_DAY_UNITS = {"DAYS": 1, "WEEKS": 7}
_MONTH_UNITS = {"MONTHS": 1, "YEARS": 12, "DECADES": 120, "CENTURIES": 1200, "MILLENNIA": 12000}


def zone_arg(name: str, args: Mapping[str, Any]) -> tzinfo:
    """The ``timeZone`` argument as a zone (IANA name or offset), UTC when absent."""
    text = arg_str(name, args, "timeZone", None)
    if text is None:
        return UTC
    if text == "Z" or text[:1] in "+-" or text.startswith(("UTC+", "UTC-", "GMT+", "GMT-")):
        try:
            return parse_offset(text[3:] if text[:1].isalpha() else text)
        except (ValueError, IndexError):
            fail(name, f"argument 'timeZone' '{text}' is not a valid offset such as '+02:00'")
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        fail(name, f"argument 'timeZone' '{text}' is not a known time zone (e.g. 'Europe/Paris')")


def check_locale(name: str, args: Mapping[str, Any]) -> None:
    """Reject locales other than English, the only one whose names Legato knows."""
    locale = arg_str(name, args, "locale", None)
    if locale is not None and locale.replace("-", "_").split("_")[0].lower() != "en":
        fail(name, f"argument 'locale' '{locale}' is not supported; only English locales are")


def epoch_parts(value: int) -> tuple[int, int]:
    """Epoch seconds and microseconds of an integer timestamp, its unit told by its size, as
    Kestra's ``date`` reads them (DateFilterTest.timestampDateFormat): seconds below 10^11,
    milliseconds below 10^14, microseconds below 10^17, nanoseconds above; nanoseconds whose
    sub-second part is below 10^6 are the output of Kestra's old ``timestampMicro`` (epoch
    seconds * 10^9 + microseconds) and read as such."""
    magnitude = abs(value)
    if magnitude < 10**11:
        return value, 0
    if magnitude < 10**14:
        seconds, millis = divmod(value, 1000)
        return seconds, millis * 1000
    if magnitude < 10**17:
        return divmod(value, 10**6)
    seconds, nanos = divmod(value, 10**9)
    return seconds, nanos if nanos < 10**6 else nanos // 1000


def to_datetime(name: str, value: Any, zone: tzinfo, existing_format: str | None) -> datetime:
    """Convert a filter input to an aware ``datetime`` as Kestra's ``AbstractDate.convert``."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 12, tzinfo=zone)
    if isinstance(value, int) and not isinstance(value, bool):
        seconds, micros = epoch_parts(value)
        try:
            moment = datetime.fromtimestamp(seconds, UTC_FIXED) + timedelta(microseconds=micros)
            return moment.astimezone(zone)
        except (OverflowError, OSError, ValueError):
            fail(name, f"epoch timestamp {value} is out of range")
    if not isinstance(value, str):
        fail(
            name,
            f"cannot read a date from a {type_name(value)}; give a string or an epoch timestamp",
        )
    try:
        if existing_format is None:
            parsed = dateformats.parse_iso(value)
        else:
            parsed = dateformats.parse_named(value, existing_format)
        return combine(parsed, zone)
    except ValueError as error:
        hint = f"argument 'existingFormat' '{existing_format}'" if existing_format else "ISO-8601"
        fail(name, f"cannot parse '{value}' as a date with {hint}: {error}")


def format_datetime(name: str, moment: datetime, args: Mapping[str, Any]) -> str:
    """Format ``moment`` with the ``format``/``timeZone``/``locale`` arguments (default ``iso``)."""
    pattern = arg_str(name, args, "format", "iso")
    check_locale(name, args)
    try:
        render = dateformats.formatter(pattern)
    except ValueError as error:
        fail(name, f"argument 'format' '{pattern}' is not a valid date format: {error}")
    return render(moment.astimezone(zone_arg(name, args)))


def _input(name: str, value: Any, args: Mapping[str, Any]) -> datetime:
    existing = arg_str(name, args, "existingFormat", None)
    return to_datetime(name, value, zone_arg(name, args), existing)


@TABLE.filter("date", *DATE_ARGS)
def date_filter(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    return format_datetime("date", _input("date", value, args), args)


def add(name: str, moment: datetime, amount: int, unit: str) -> datetime:
    """``ZonedDateTime.plus(amount, ChronoUnit.valueOf(unit))``."""
    try:
        if unit == "NANOS":  # Python datetimes stop at microseconds
            amount, unit = amount // 1000, "MICROS"
        if unit in _TIME_UNITS:
            utc = moment.astimezone(UTC_FIXED) + _TIME_UNITS[unit] * amount
            return utc.astimezone(moment.tzinfo)
        local = moment.replace(tzinfo=None)
        if unit in _DAY_UNITS:
            local += timedelta(days=_DAY_UNITS[unit] * amount)
        elif unit in _MONTH_UNITS:
            local = _add_months(local, _MONTH_UNITS[unit] * amount)
        else:
            units = ", ".join(["NANOS", *_TIME_UNITS, *_DAY_UNITS, *_MONTH_UNITS])
            fail(name, f"argument 'unit' '{unit}' is not a supported ChronoUnit ({units})")
    except OverflowError:
        fail(name, f"adding {amount} {unit} leaves the supported date range")
    return _relocate(local, moment)


def _add_months(local: datetime, months: int) -> datetime:
    index = local.year * 12 + local.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError
    last = calendar.monthrange(year, month + 1)[1]
    return local.replace(year=year, month=month + 1, day=min(local.day, last))


def _relocate(local: datetime, original: datetime) -> datetime:
    """Attach the original zone, keeping its offset in an overlap and skipping a gap forwards."""
    zone = original.tzinfo
    valid = [
        candidate
        for candidate in (local.replace(tzinfo=zone, fold=fold) for fold in (0, 1))
        if candidate.astimezone(UTC_FIXED).astimezone(zone).replace(tzinfo=None) == local
    ]
    for candidate in valid:
        if candidate.utcoffset() == original.utcoffset():
            return candidate
    if valid:
        return valid[0]
    return local.replace(tzinfo=zone).astimezone(UTC_FIXED).astimezone(zone)


@TABLE.filter("dateAdd", "amount", "unit", *DATE_ARGS)
def date_add(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    amount = arg_int("dateAdd", args, "amount")
    unit = arg_str("dateAdd", args, "unit")
    moment = add("dateAdd", _input("dateAdd", value, args), amount, unit)
    return format_datetime("dateAdd", moment, args)


def _epoch_micros(name: str, value: Any, args: Mapping[str, Any]) -> int:
    moment = _input(name, value, args)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC_FIXED)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@TABLE.filter("timestamp", "timeZone", "existingFormat")
def timestamp(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return None if value is None else _epoch_micros("timestamp", value, args) // 1_000_000


@TABLE.filter("timestampMilli", "timeZone", "existingFormat")
def timestamp_milli(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return None if value is None else _epoch_micros("timestampMilli", value, args) // 1000


@TABLE.filter("timestampMicro", "timeZone", "existingFormat")
def timestamp_micro(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    # microseconds: Kestra's current docs and DateFilterTest.instantMicro (1378653552123456); its
    # older versions returned epoch seconds in nanoseconds plus the microseconds, a fixed bug
    return None if value is None else str(_epoch_micros("timestampMicro", value, args))


@TABLE.filter("timestampNano", "timeZone", "existingFormat")
def timestamp_nano(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return None if value is None else str(_epoch_micros("timestampNano", value, args) * 1000)

"""Kestra's named date formats and the ISO parser used when no ``existingFormat`` is given.

Named formats are Kestra's ``AbstractDate`` table (``iso``, ``sql``, ``iso_date_time``, ...) and
the localized styles ``short``/``medium``/``long``/``full`` rendered as JDK 21 does for en-US
(a narrow no-break space before AM/PM). Any other name is a Java pattern. Every formatter takes an
aware ``datetime`` already moved to the output zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

from legato.expressions.filters.javatime import (
    compile_pattern,
    format_items,
    format_offset,
    zone_id,
)
from legato.expressions.filters.javatime_parse import Parsed, parse_offset, parse_pattern

Formatter = Callable[[datetime], str]

_PATTERNS = {
    "iso": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
    "iso_milli": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    "iso_sec": "yyyy-MM-dd'T'HH:mm:ssXXX",
    "sql": "yyyy-MM-dd HH:mm:ss.SSSSSS",
    "sql_milli": "yyyy-MM-dd HH:mm:ss.SSS",
    "sql_sec": "yyyy-MM-dd HH:mm:ss",
    "sql_seq": "yyyy-MM-dd HH:mm:ss",
    "short": "M/d/yy, h:mm\u202fa",
    "medium": "MMM d, y, h:mm:ss\u202fa",
    "long": "MMMM d, y 'at' h:mm:ss\u202fa z",
    "full": "EEEE, MMMM d, y 'at' h:mm:ss\u202fa zzzz",
    "iso_local_date": "yyyy-MM-dd",
    "iso_ordinal_date": "yyyy-DDDXXXXX",
}


def _fraction(moment: datetime) -> str:
    return f".{moment.microsecond:06d}".rstrip("0") if moment.microsecond else ""


def _offset(moment: datetime) -> str:
    seconds = int((moment.utcoffset() or timedelta(0)).total_seconds())
    return format_offset("X", 5, seconds)


def _local_time(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S") + _fraction(moment)


def _local_date_time(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}T{_local_time(moment)}"


def _region(moment: datetime) -> str:
    zone = zone_id(moment)
    return "" if zone[0] in "Z+-" else f"[{zone}]"


def _iso_instant(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    micro = utc.microsecond
    fraction = f".{micro:06d}" if micro % 1000 else f".{micro // 1000:03d}"
    fraction = fraction if micro else ""
    return f"{utc:%Y-%m-%dT%H:%M:%S}{fraction}Z"


def _iso_week_date(moment: datetime) -> str:
    year, week, weekday = moment.isocalendar()
    return f"{year:04d}-W{week:02d}-{weekday}{_offset(moment)}"


def _rfc_1123(moment: datetime) -> str:
    seconds = int((moment.utcoffset() or timedelta(0)).total_seconds())
    zone = "GMT" if seconds == 0 else format_offset("x", 2, seconds)
    return format_items(compile_pattern("EEE, d MMM yyyy HH:mm:ss "), moment) + zone


_BUILT_IN: dict[str, Formatter] = {
    "iso_date_time": lambda m: _local_date_time(m) + _offset(m) + _region(m),
    "iso_zoned_date_time": lambda m: _local_date_time(m) + _offset(m) + _region(m),
    "iso_date": lambda m: f"{m:%Y-%m-%d}{_offset(m)}",
    "iso_time": lambda m: _local_time(m) + _offset(m),
    "iso_instant": _iso_instant,
    "iso_local_date_time": _local_date_time,
    "iso_local_time": _local_time,
    "iso_offset_time": lambda m: _local_time(m) + _offset(m),
    "iso_week_date": _iso_week_date,
    "rfc_1123_date_time": _rfc_1123,
}

NAMED_FORMATS = frozenset(_PATTERNS) | frozenset(_BUILT_IN)


def formatter(name: str) -> Formatter:
    """The formatter for a Kestra format name or a Java pattern; ``ValueError`` if invalid."""
    built_in = _BUILT_IN.get(name)
    if built_in is not None:
        return built_in
    items = compile_pattern(_PATTERNS.get(name, name))
    return lambda moment: format_items(items, moment)


_ISO = re.compile(
    r"(?P<date>[+-]?\d{4,}-\d{2}-\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)"
    r"(?P<offset>Z|[+-]\d{2}(?::\d{2}(?::\d{2})?)?)?(?:\[(?P<zone>[^\]]+)\])?)?\Z"
)
_RFC_1123 = re.compile(
    r"(?:[A-Z][a-z]{2}, )?(?P<rest>\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})?) "
    r"(?P<offset>GMT|[+-]\d{4})\Z"
)


def parse_iso(text: str) -> Parsed:
    """Java's ``ZonedDateTime``/``LocalDateTime``/``LocalDate`` ISO forms."""
    match = _ISO.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not an ISO-8601 date or date-time")
    pattern = "yyyy-MM-dd"
    source = match["date"]
    if match["time"]:
        clock, _, fraction = match["time"].partition(".")
        pattern += "'T'HH:mm" + ("" if len(clock) == 5 else ":ss")
        pattern += "." + "S" * len(fraction) if fraction else ""
        source += "T" + match["time"]
    parsed = parse_pattern(source, pattern)
    zone: tzinfo | None = None
    if match["zone"]:
        zone = parse_pattern(f"2000-01-01 {match['zone']}", "yyyy-MM-dd VV").zone
    elif match["offset"]:
        zone = parse_offset(match["offset"])
    return Parsed(parsed.day, parsed.clock, zone if parsed.clock else None)


def parse_named(text: str, name: str) -> Parsed:
    """Parse ``text`` with a Kestra format name or a Java pattern."""
    if name == "rfc_1123_date_time":
        match = _RFC_1123.match(text)
        if match is None:
            raise ValueError(f"'{text}' is not an RFC 1123 date-time")
        rest = match["rest"]
        parsed = parse_pattern(rest, "d MMM yyyy HH:mm" + (":ss" if rest.count(":") == 2 else ""))
        return Parsed(parsed.day, parsed.clock, parse_offset(match["offset"]))
    if name in _BUILT_IN:
        return parse_iso(text)
    return parse_pattern(text, _PATTERNS.get(name, name))

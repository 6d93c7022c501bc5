"""Parsing text with a compiled Java ``DateTimeFormatter`` pattern (English locale).

The pattern becomes one anchored regular expression with a named group per field; the matched
fields then resolve like Java's SMART resolver into a date, an optional time of day and an
optional zone. ``ValueError`` explains a mismatch. Resolution mirrors Kestra's fallback chain:
the caller decides what to do when the text carries no time or no zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from legato.expressions.filters.javatime import (
    DAYS,
    MONTHS,
    QUARTERS,
    Field,
    Item,
    Optional,
    compile_pattern,
)

_OFFSET = r"Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?"
_GMT = r"GMT(?:[+-]\d{1,2}(?::\d{2}(?::\d{2})?)?)?"


@dataclass(frozen=True)
class Parsed:
    """What a text held: a date, maybe a time of day, maybe a zone."""

    day: date
    clock: time | None
    zone: tzinfo | None


def _names(full: list[str] | tuple[str, ...], count: int) -> str:
    if count == 4:
        names = full
    elif count == 5:
        names = [n[0] for n in full]
    else:
        names = [n[:3] for n in full]
    return "|".join(sorted(set(names), key=len, reverse=True))


def _digits(letter: str, count: int) -> str:
    widest = {"d": 2, "M": 2, "L": 2, "H": 2, "h": 2, "K": 2, "k": 2, "m": 2, "s": 2, "D": 3}
    if letter in "yuY" and count != 2:
        return r"[+-]?\d{" + str(max(count, 1)) + ",}"
    if count >= 2 or letter == "S":
        return r"\d{" + str(count) + "}"
    return r"\d{1," + str(widest.get(letter, 19)) + "}"


def _field_regex(field: Field) -> str:
    letter, count = field.letter, field.count
    text_forms = {
        "M": MONTHS, "L": MONTHS, "E": DAYS, "e": DAYS, "c": DAYS,
    }  # fmt: skip
    if letter in text_forms and (count >= 3 or letter == "E"):
        return _names(text_forms[letter], max(count, 3))
    if letter in "Qq" and count in (3, 4):
        return _names([f"Q{q}" for q in range(1, 5)], 3) if count == 3 else "|".join(QUARTERS)
    special = {
        "G": "AD|Anno Domini|A",
        "a": "AM|PM|am|pm",
        "V": r"[A-Za-z][A-Za-z0-9_/+\-]*|Z|[+-]\d{2}:\d{2}",
        "z": r"[A-Za-z][A-Za-z ]*[A-Za-z]|Z",
        "O": _GMT,
        "X": _OFFSET,
        "x": _OFFSET,
        "Z": _OFFSET + "|" + _GMT,
    }
    return special.get(letter) or _digits(letter, count)


def _regex(items: tuple[Item, ...], fields: list[Field]) -> str:
    parts: list[str] = []
    for item in items:
        if isinstance(item, str):
            parts.append(re.escape(item))
        elif isinstance(item, Optional):
            parts.append(f"(?:{_regex(item.items, fields)})?")
        else:
            parts.append(f"(?P<f{len(fields)}>{_field_regex(item)})")
            fields.append(item)
    return "".join(parts)


@lru_cache(maxsize=256)
def _matcher(pattern: str) -> tuple[re.Pattern[str], tuple[Field, ...]]:
    fields: list[Field] = []
    regex = _regex(compile_pattern(pattern), fields)
    return re.compile(regex + r"\Z"), tuple(fields)


def parse_pattern(text: str, pattern: str) -> Parsed:
    """Parse ``text`` with Java ``pattern``; ``ValueError`` when it does not match or resolve."""
    regex, fields = _matcher(pattern)
    match = regex.match(text)
    if match is None:
        raise ValueError(f"'{text}' does not match the pattern '{pattern}'")
    values: dict[str, str] = {}
    counts: dict[str, int] = {}
    for index, field in enumerate(fields):
        found = match.group(f"f{index}")
        if found is not None:
            values[field.letter] = found
            counts[field.letter] = field.count
    return Parsed(_resolve_date(values), _resolve_time(values, counts), _resolve_zone(values))


def _number_or_name(raw: str, names: list[str]) -> int:
    if raw.isdigit():
        return int(raw)
    for index, name in enumerate(names):
        if name.startswith(raw):
            return index + 1
    raise ValueError(f"unknown name '{raw}'")  # pragma: no cover - the regex only admits names


def _resolve_date(values: dict[str, str]) -> date:
    raw_year = values.get("y") or values.get("u")
    if raw_year is None:
        raise ValueError("the text holds no year")
    year = int(raw_year)
    if len(raw_year) == 2:
        year += 2000
    if "D" in values and "M" not in values and "L" not in values:
        return date(year, 1, 1) + timedelta(days=int(values["D"]) - 1)
    month_text = values.get("M") or values.get("L")
    if month_text is None:
        raise ValueError("the text holds no month")
    month = _number_or_name(month_text, MONTHS)
    return date(year, month, int(values.get("d", "1")))


def _resolve_time(values: dict[str, str], counts: dict[str, int]) -> time | None:
    if "H" in values:
        hour = int(values["H"])
    elif "k" in values:
        hour = int(values["k"]) % 24
    elif "h" in values or "K" in values:
        hour = int(values.get("h") or values["K"]) % 12
        if values.get("a", "AM").upper() == "PM":
            hour += 12
    else:
        return None
    micro = 0
    if "S" in values:
        micro = int(values["S"].ljust(6, "0")[:6])
    elif "n" in values:
        micro = int(values["n"]) // 1000
    return time(hour, int(values.get("m", "0")), int(values.get("s", "0")), micro)


def parse_offset(raw: str) -> timezone:
    """``Z``, ``+01``, ``+0130``, ``+01:30``, ``GMT+1`` or ``GMT+01:00`` as a fixed zone."""
    text = raw[3:] if raw.startswith("GMT") else raw
    if text in ("", "Z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    body = text[1:]
    if ":" in body:
        numbers = [int(p) for p in body.split(":")]
    else:
        numbers = [int(body[i : i + 2]) for i in range(0, len(body), 2)]
    hours, minutes, seconds = [*numbers, 0, 0][:3]
    return timezone(sign * timedelta(hours=hours, minutes=minutes, seconds=seconds))


def _resolve_zone(values: dict[str, str]) -> tzinfo | None:
    for letter in "XxZO":
        if letter in values:
            return parse_offset(values[letter])
    name = values.get("V") or values.get("z")
    if name is None:
        return None
    if name in ("Z", "UTC", "GMT") or name[0] in "+-":
        return parse_offset("Z" if name in ("UTC", "GMT") else name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{name}'") from None


def combine(parsed: Parsed, default_zone: tzinfo) -> datetime:
    """Kestra's chain: zoned date-time, else local date-time in ``default_zone``, else midnight."""
    if parsed.clock is None:
        return datetime.combine(parsed.day, time(0), default_zone)
    return datetime.combine(parsed.day, parsed.clock, parsed.zone or default_zone)

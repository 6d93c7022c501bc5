"""Java ``DateTimeFormatter.ofPattern`` patterns: compiling and formatting (English locale).

A pattern compiles once (cached) into literal and field items; ``[...]`` optional sections are
kept as nested items. Formatting a timezone-aware ``datetime`` prints every field, optional
sections included, as Java does for a ``ZonedDateTime``. Week-based fields (``Y``, ``w``, ``W``,
``e``, ``c``) follow the en-US week definition (weeks start on Sunday, week 1 holds 1 January),
which is what Kestra uses with its default locale. Python datetimes hold microseconds, so
nanosecond fields are microseconds times 1000. Unsupported letters raise ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
MONTHS += ["September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
QUARTERS = ("1st quarter", "2nd quarter", "3rd quarter", "4th quarter")
ZONE_NAMES = {
    "UTC": "Coordinated Universal Time",
    "GMT": "Greenwich Mean Time",
    "CET": "Central European Standard Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Standard Time",
    "EEST": "Eastern European Summer Time",
    "BST": "British Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
}
# letter -> largest count Java accepts (None: any count)
MAX_COUNT: dict[str, int | None] = {
    "G": 5, "u": None, "y": None, "Y": None, "Q": 5, "q": 5, "M": 5, "L": 5, "w": 2, "W": 1,
    "d": 2, "D": 3, "E": 5, "e": 5, "c": 5, "a": 1, "h": 2, "K": 2, "k": 2, "H": 2, "m": 2,
    "s": 2, "S": 9, "A": 19, "n": 19, "N": 19, "V": 2, "z": 4, "O": 4, "X": 5, "x": 5, "Z": 5,
}  # fmt: skip


@dataclass(frozen=True)
class Field:
    """A pattern letter repeated ``count`` times."""

    letter: str
    count: int


@dataclass(frozen=True)
class Optional:
    """A ``[...]`` optional section."""

    items: tuple[Item, ...]


Item = str | Field | Optional


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> tuple[Item, ...]:
    """Compile a Java pattern; ``ValueError`` names the first problem."""
    stack: list[list[Item]] = [[]]
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "'":
            i = _quoted(pattern, i, stack[-1])
            continue
        if char == "[":
            stack.append([])
        elif char == "]":
            if len(stack) == 1:
                raise ValueError("pattern has ']' without a matching '['")
            section = Optional(tuple(stack.pop()))
            stack[-1].append(section)
        elif char.isascii() and char.isalpha():
            count = _run_length(pattern, i)
            stack[-1].append(_field(char, count))
            i += count
            continue
        elif char in "{}#":
            raise ValueError(f"pattern character '{char}' is reserved")
        else:
            stack[-1].append(char)
        i += 1
    while len(stack) > 1:  # Java closes open optional sections at the end
        section = Optional(tuple(stack.pop()))
        stack[-1].append(section)
    return tuple(stack[0])


def _run_length(pattern: str, start: int) -> int:
    end = start
    while end < len(pattern) and pattern[end] == pattern[start]:
        end += 1
    return end - start


def _quoted(pattern: str, start: int, out: list[Item]) -> int:
    """Append the literal starting at quote ``start``; return the index after it."""
    if pattern.startswith("''", start):
        out.append("'")
        return start + 2
    text: list[str] = []
    i = start + 1
    while i < len(pattern):
        if pattern.startswith("''", i):
            text.append("'")
            i += 2
        elif pattern[i] == "'":
            out.append("".join(text))
            return i + 1
        else:
            text.append(pattern[i])
            i += 1
    raise ValueError("pattern has an unterminated quote (')")


def _field(letter: str, count: int) -> Field:
    if letter not in MAX_COUNT:
        raise ValueError(f"unknown or unsupported pattern letter '{letter}'")
    limit = MAX_COUNT[letter]
    if (limit is not None and count > limit) or (letter == "V" and count != 2):
        raise ValueError(f"too many pattern letters: {letter * count}")
    return Field(letter, count)


def format_items(items: tuple[Item, ...], moment: datetime) -> str:
    """Format an aware ``moment`` with compiled ``items``."""
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Optional):
            out.append(format_items(item.items, moment))
        else:
            out.append(format_field(item, moment))
    return "".join(out)


def _num(value: int, width: int) -> str:
    text = str(abs(value)).zfill(width)
    return "-" + text if value < 0 else text


def _text(full: str, count: int, numeric: int | None = None) -> str:
    if numeric is not None and count <= 2:
        return _num(numeric, count)
    if count == 4:
        return full
    return full[0] if count == 5 else full[:3]


def format_field(field: Field, moment: datetime) -> str:
    """Format one pattern field of an aware ``moment``."""
    letter, count = field.letter, field.count
    if letter in "GyuYQqMLEecaw":
        return _format_date_text(letter, count, moment)
    return _format_time(letter, count, moment)


def _format_year(year: int, count: int) -> str:
    return _num(year % 100, 2) if count == 2 else _num(year, count)


def _format_date_text(letter: str, count: int, moment: datetime) -> str:
    day = moment.date()
    if letter == "G":
        return "Anno Domini" if count == 4 else ("A" if count == 5 else "AD")
    if letter in "yu":
        return _format_year(moment.year, count)
    if letter == "Y":
        return _format_year(us_week(day)[0], count)
    if letter == "w":
        return _num(us_week(day)[1], count)
    if letter in "Qq":
        quarter = (moment.month - 1) // 3 + 1
        forms = {3: f"Q{quarter}", 4: QUARTERS[quarter - 1], 5: str(quarter)}
        return forms.get(count) or _num(quarter, count)
    if letter in "ML":
        return _text(MONTHS[moment.month - 1], count, moment.month)
    if letter == "a":
        return "AM" if moment.hour < 12 else "PM"
    if letter == "E":
        return _text(DAYS[moment.weekday()], max(count, 3))
    # e / c: localized day-of-week, Sunday = 1
    numeric = moment.isoweekday() % 7 + 1
    return _text(DAYS[moment.weekday()], count, numeric)


def _format_time(letter: str, count: int, moment: datetime) -> str:
    if letter in "dDWhKkHmsAnN":
        return _num(_time_number(letter, moment), count)
    if letter == "S":
        return f"{moment.microsecond:06d}000"[:count]
    offset = moment.utcoffset() or timedelta(0)
    seconds = int(offset.total_seconds())
    if letter == "V":
        return zone_id(moment)
    if letter == "z":
        short = moment.tzname() or zone_id(moment)
        return ZONE_NAMES.get(short, short) if count == 4 else short
    if letter == "O":
        return localized_offset(seconds, full=count == 4)
    return format_offset(letter, count, seconds)


def _time_number(letter: str, moment: datetime) -> int:
    micro_of_day = ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000
    micro_of_day += moment.microsecond
    values = {
        "d": moment.day,
        "D": moment.timetuple().tm_yday,
        "W": us_week_of_month(moment.date()),
        "h": (moment.hour % 12) or 12,
        "K": moment.hour % 12,
        "k": moment.hour or 24,
        "H": moment.hour,
        "m": moment.minute,
        "s": moment.second,
        "A": micro_of_day // 1000,
        "n": moment.microsecond * 1000,
        "N": micro_of_day * 1000,
    }
    return values[letter]


def zone_id(moment: datetime) -> str:
    """The region id (``Europe/Paris``) or offset id (``Z``, ``+01:00``) of ``moment``."""
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment.tzinfo.key
    seconds = int((moment.utcoffset() or timedelta(0)).total_seconds())
    return format_offset("X", 5, seconds)


def _split_offset(seconds: int) -> tuple[str, int, int, int]:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return sign, hours, minutes, secs


def format_offset(letter: str, count: int, seconds: int) -> str:
    """Java's ``X``, ``x`` and ``Z`` offset forms."""
    if letter == "Z":
        if count == 4:
            return localized_offset(seconds, full=True)
        letter, count = ("X", 5) if count == 5 else ("x", 2)
    if seconds == 0 and letter == "X":
        return "Z"
    sign, hours, minutes, secs = _split_offset(seconds)
    colon = ":" if count in (3, 5) else ""
    text = f"{sign}{hours:02d}"
    if count > 1 or minutes:
        text += f"{colon}{minutes:02d}"
    if count >= 4 and secs:
        text += f"{colon}{secs:02d}"
    return text


def localized_offset(seconds: int, *, full: bool) -> str:
    """Java's ``O`` forms: ``GMT``, ``GMT+1``, ``GMT+05:30`` (full)."""
    if seconds == 0:
        return "GMT"
    sign, hours, minutes, secs = _split_offset(seconds)
    if full:
        return f"GMT{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
    return f"GMT{sign}{hours}" + (f":{minutes:02d}" if minutes or secs else "")


def us_week(day: date) -> tuple[int, int]:
    """(week-based year, week of year) with weeks starting Sunday and week 1 holding 1 Jan."""
    start = day - timedelta(days=day.isoweekday() % 7)
    if (start + timedelta(days=6)).year > day.year:
        return day.year + 1, 1
    jan1 = date(day.year, 1, 1)
    first = jan1 - timedelta(days=jan1.isoweekday() % 7)
    return day.year, (start - first).days // 7 + 1


def us_week_of_month(day: date) -> int:
    """Week of month with weeks starting Sunday and week 1 holding the 1st."""
    first = day.replace(day=1)
    return (day.day - 1 + first.isoweekday() % 7) // 7 + 1

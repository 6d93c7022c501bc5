"""Core date conditions, mostly used on schedules: the tested ``date`` defaults to the
expression ``{{ trigger.date }}`` (rendered when the condition is evaluated).

Invariants: ``DayWeek.dayOfWeek`` and ``DayWeekInMonth.dayOfWeek`` / ``dayInMonth`` are required
and take Java's upper-case names (MONDAY…, FIRST/SECOND/THIRD/FOURTH/LAST).
"""

from __future__ import annotations

from typing import Literal

from legato.model.property import Dyn
from legato.plugins.core.conditions.legacy import aliases_of, type_of
from legato.sdk import Condition, plugin

TRIGGER_DATE = "{{ trigger.date }}"

DayOfWeek = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
DayInMonth = Literal["FIRST", "LAST", "SECOND", "THIRD", "FOURTH"]


@plugin(
    type_of("DateTimeBetween"),
    aliases=aliases_of("DateTimeBetween"),
    title="True when the date is between two date-times.",
)
class DateTimeBetween(Condition):
    """True when ``date`` is after ``after`` and before ``before`` (each optional)."""

    date: str = TRIGGER_DATE
    after: str | None = None
    before: str | None = None


@plugin(type_of("DayWeek"), aliases=aliases_of("DayWeek"), title="True on a day of the week.")
class DayWeek(Condition):
    """True when ``date`` falls on ``dayOfWeek``."""

    date: str = TRIGGER_DATE
    dayOfWeek: Dyn[DayOfWeek]


@plugin(
    type_of("DayWeekInMonth"),
    aliases=aliases_of("DayWeekInMonth"),
    title="True on the first, second, third, fourth or last given weekday of the month.",
)
class DayWeekInMonth(Condition):
    """True when ``date`` is the ``dayInMonth`` ``dayOfWeek`` of its month."""

    date: str = TRIGGER_DATE
    dayOfWeek: Dyn[DayOfWeek]
    dayInMonth: Dyn[DayInMonth]


@plugin(type_of("Weekend"), aliases=aliases_of("Weekend"), title="True on Saturdays and Sundays.")
class Weekend(Condition):
    """True when ``date`` falls on a Saturday or a Sunday."""

    date: str = TRIGGER_DATE


@plugin(
    type_of("PublicHoliday"),
    aliases=aliases_of("PublicHoliday"),
    title="True on public holidays of a country.",
)
class PublicHoliday(Condition):
    """True when ``date`` is a public holiday of ``country`` (ISO 3166-1 alpha-2)."""

    date: str = TRIGGER_DATE
    country: str | None = None
    subDivision: str | None = None


@plugin(
    type_of("TimeBetween"),
    aliases=aliases_of("TimeBetween"),
    title="True when the time of day is between two times.",
)
class TimeBetween(Condition):
    """True when the time of ``date`` is after ``after`` and before ``before``."""

    date: str = TRIGGER_DATE
    after: str | None = None
    before: str | None = None

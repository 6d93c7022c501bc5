"""Kestra's date helper functions (dayOfWeek, isWeekend, isDateBetween, ...)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from conftest_callables import render, typed

from legato.errors import ExpressionEvaluationError


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ dayOfWeek('2025-01-06') }}", "MONDAY"),
        ("{{ dayOfWeek('2025-01-06T00:30:00+02:00') }}", "MONDAY"),
        ("{{ dayOfWeek('2025-01-05T23:00:00') }}", "SUNDAY"),
        ("{{ dayOfMonth('2025-01-31') }}", 31),
        ("{{ monthOfYear('2025-07-14T10:00:00Z') }}", 7),
        ("{{ hourOfDay('2025-01-06T14:30:00+02:00') }}", 14),
        ("{{ hourOfDay('2025-01-06T14:30:00') }}", 14),
        ("{{ isWeekend('2025-01-04') }}", True),
        ("{{ isWeekend('2025-01-05T12:00:00Z') }}", True),
        ("{{ isWeekend('2025-01-06') }}", False),
        ("{{ isDateBefore('2025-01-01', '2025-01-02') }}", True),
        ("{{ isDateBefore('2025-01-01T10:00:00+02:00', '2025-01-01T09:00:00Z') }}", True),
        ("{{ isDateAfter('2025-01-01T10:00:00+02:00', '2025-01-01T09:00:00Z') }}", False),
        ("{{ isDateAfter('2025-01-02', '2025-01-01T23:59:59') }}", True),
        (
            "{{ isDateBetween('2026-03-01T00:00:00Z', '2025-12-31T23:59Z', '2026-06-30') }}",
            True,
        ),
        (
            "{{ isDateBetween('2025-12-31T23:59:00Z', '2025-12-31T23:59Z', '2026-06-30') }}",
            False,
        ),
    ],
)
def test_calendar_helpers(source: str, expected: object) -> None:
    assert typed(source) == expected


def test_date_values_are_accepted() -> None:
    moment = datetime(2025, 1, 4, 22, 0, tzinfo=UTC)
    assert typed("{{ isWeekend(d) }}", d=moment) is True
    assert typed("{{ hourOfDay(d) }}", d=moment) == 22
    assert typed("{{ dayOfWeek(d) }}", d=date(2025, 1, 6)) == "MONDAY"
    assert typed("{{ isDateBefore(a, b) }}", a=date(2025, 1, 1), b=moment) is True


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ dayOfWeek() }}", "dayOfWeek: argument 'date' is required"),
        ("{{ dayOfWeek('yesterday') }}", "dayOfWeek: could not parse argument 'date'"),
        ("{{ hourOfDay('2025-01-06') }}", "hourOfDay: argument 'date' must be a date-time"),
        ("{{ isDateBefore('2025-01-01') }}", "isDateBefore: argument 'reference' is required"),
        ("{{ isDateBetween('2025-01-01', '2024-01-01') }}", "argument 'before' is required"),
    ],
)
def test_calendar_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)

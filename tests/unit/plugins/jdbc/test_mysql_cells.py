"""MySQL cells brought to Kestra's types, per column of a PyMySQL ``cursor.description``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from legato.plugins.jdbc.mysql_cells import BIT, TIME, TIMESTAMP, TINY, YEAR, row_converter
from legato.plugins.jdbc.mysql_connect import utc_offset
from legato.plugins.jdbc.mysql_session import fixed_zone

DATETIME, LONG, NEWDECIMAL = 12, 3, 246


def column(type_code: int, length: int) -> tuple[object, ...]:
    return ("c", type_code, None, length, length, 0, True)


def test_each_type_is_converted_by_its_column() -> None:
    description = [
        column(TIMESTAMP, 19),
        column(DATETIME, 19),
        column(TINY, 1),
        column(TINY, 4),
        column(BIT, 1),
        column(BIT, 6),
        column(TIME, 10),
        column(YEAR, 4),
        column(NEWDECIMAL, 7),
        column(LONG, 1),
    ]
    plus_two = timezone(timedelta(hours=2))
    convert = row_converter(description, plus_two)
    moment = datetime(2024, 1, 2, 3, 4, 5)
    row = [moment, moment, 1, 1, b"\x01", b"\x05", timedelta(hours=4, seconds=5), 2025]
    row += [Decimal("1.50"), 1]
    assert convert(row) == [
        moment.replace(tzinfo=plus_two),
        moment,
        True,
        1,
        True,
        b"\x05",
        time(4, 0, 5),
        date(2025, 1, 1),
        Decimal("1.50"),
        1,
    ]


def test_nulls_stay_null_and_plain_results_are_untouched() -> None:
    convert = row_converter([column(TINY, 1), column(TIMESTAMP, 19)], UTC)
    assert convert([None, None]) == [None, None]
    plain = (1, "x")
    assert row_converter([column(LONG, 11), column(253, 10)], UTC)(plain) is plain


def test_times_outside_a_day_keep_mysql_text() -> None:
    convert = row_converter([column(TIME, 10)], UTC)
    assert convert([timedelta(hours=-1, minutes=-2, seconds=-3)]) == ["-01:02:03"]
    assert convert([timedelta(hours=25, microseconds=500000)]) == ["25:00:00.5"]
    assert convert([timedelta(0)]) == [time(0)]


def test_zero_dates_and_zero_years_stay_as_given() -> None:
    convert = row_converter([column(TIMESTAMP, 19), column(YEAR, 4)], UTC)
    assert convert(["0000-00-00 00:00:00", 0]) == ["0000-00-00 00:00:00", 0]


def test_session_offsets_as_mysql_writes_them() -> None:
    assert utc_offset(UTC) == "+00:00"
    assert utc_offset(timezone(timedelta(hours=-3, minutes=-30))) == "-03:30"
    assert utc_offset(timezone(timedelta(hours=5, minutes=45))) == "+05:45"
    assert fixed_zone(UTC) is UTC
    assert fixed_zone(timezone(timedelta(hours=9))) == timezone(timedelta(hours=9))

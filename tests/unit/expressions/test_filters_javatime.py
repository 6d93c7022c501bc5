"""Java DateTimeFormatter patterns: every supported letter against Java's documented output."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from legato.expressions.filters.javatime import (
    compile_pattern,
    format_items,
    localized_offset,
    us_week,
    us_week_of_month,
    zone_id,
)
from legato.expressions.filters.javatime_parse import combine, parse_offset, parse_pattern

PARIS = ZoneInfo("Europe/Paris")
# Tuesday 2 January 2024, 15:04:05.123456 in Paris (winter, +01:00)
MOMENT = datetime(2024, 1, 2, 15, 4, 5, 123456, tzinfo=PARIS)


def fmt(pattern: str, moment: datetime = MOMENT) -> str:
    return format_items(compile_pattern(pattern), moment)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-01-02T15:04:05.123+01:00"),
        ("yyyy", "2024"),
        ("yy", "24"),
        ("y", "2024"),
        ("yyyyy", "02024"),
        ("uuuu", "2024"),
        ("YYYY", "2024"),
        ("G GGGG GGGGG", "AD Anno Domini A"),
        ("M MM MMM MMMM MMMMM", "1 01 Jan January J"),
        ("L LL LLL LLLL", "1 01 Jan January"),
        ("Q QQ QQQ QQQQ QQQQQ", "1 01 Q1 1st quarter 1"),
        ("q", "1"),
        ("d dd", "2 02"),
        ("D DD DDD", "2 02 002"),
        ("E EE EEE EEEE EEEEE", "Tue Tue Tue Tuesday T"),
        ("e ee eee eeee eeeee", "3 03 Tue Tuesday T"),
        ("c", "3"),
        ("w ww W", "1 01 1"),
        ("a", "PM"),
        ("h hh K KK k kk H HH", "3 03 3 03 15 15 15 15"),
        ("m mm s ss", "4 04 5 05"),
        ("S SS SSS SSSSSS SSSSSSSSS", "1 12 123 123456 123456000"),
        ("A", "54245123"),
        ("n", "123456000"),
        ("N", "54245123456000"),
        ("VV", "Europe/Paris"),
        ("z zzzz", "CET Central European Standard Time"),
        ("O OOOO", "GMT+1 GMT+01:00"),
        ("X XX XXX XXXX XXXXX", "+01 +0100 +01:00 +0100 +01:00"),
        ("x xx xxx", "+01 +0100 +01:00"),
        ("Z ZZ ZZZ ZZZZ ZZZZZ", "+0100 +0100 +0100 GMT+01:00 +01:00"),
        ("'at' h 'o''clock'", "at 3 o'clock"),
        ("''yy''", "'24'"),
        ("yyyy[-MM[-dd]]", "2024-01-02"),
        ("yyyy[-MM", "2024-01"),
        ("dd/MM/yyyy HH:mm", "02/01/2024 15:04"),
        ("EEE, d MMM yyyy", "Tue, 2 Jan 2024"),
    ],
)
def test_pattern_letters_format_like_java(pattern: str, expected: str) -> None:
    assert fmt(pattern) == expected


def test_utc_offsets_print_z_only_for_x_and_five_letter_z() -> None:
    moment = datetime(2024, 7, 1, 0, 0, tzinfo=UTC)
    assert fmt("X|XXX|x|xxx|Z|ZZZZ|ZZZZZ|O", moment) == "Z|Z|+00|+00:00|+0000|GMT|Z|GMT"


def test_odd_offsets_show_minutes_and_seconds() -> None:
    india = datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert fmt("X XX O", india) == "+0530 +0530 GMT+5:30"
    negative = datetime(2024, 1, 1, tzinfo=timezone(-timedelta(hours=3, minutes=30, seconds=15)))
    assert fmt("XXXX XXXXX", negative) == "-033015 -03:30:15"
    assert localized_offset(-(3 * 3600 + 1800 + 15), full=True) == "GMT-03:30:15"


def test_summer_time_changes_names_and_offsets() -> None:
    summer = datetime(2024, 7, 14, 9, 0, tzinfo=PARIS)
    assert fmt("z zzzz XXX", summer) == "CEST Central European Summer Time +02:00"


def test_midnight_and_noon_on_twelve_hour_clocks() -> None:
    midnight = datetime(2024, 1, 1, 0, 30, tzinfo=UTC)
    noon = datetime(2024, 1, 1, 12, 30, tzinfo=UTC)
    assert fmt("h K k a", midnight) == "12 0 24 AM"
    assert fmt("h K k a", noon) == "12 0 12 PM"


def test_zone_id_of_fixed_offsets_and_unknown_names() -> None:
    assert zone_id(datetime(2024, 1, 1, tzinfo=UTC)) == "Z"
    assert zone_id(datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=2)))) == "+02:00"
    unnamed = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=2), "custom"))
    assert fmt("z", unnamed) == "custom"


def test_us_weeks_start_on_sunday_and_week_one_holds_january_first() -> None:
    assert us_week(date(2024, 1, 1)) == (2024, 1)
    assert us_week(date(2024, 1, 7)) == (2024, 2)  # a Sunday opens week 2
    assert us_week(date(2024, 12, 29)) == (2025, 1)  # the week holding 1 Jan 2025
    assert us_week(date(2023, 12, 30)) == (2023, 52)
    assert us_week_of_month(date(2024, 6, 1)) == 1  # a Saturday
    assert us_week_of_month(date(2024, 6, 2)) == 2


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("yyyy-bb", "unknown or unsupported pattern letter 'b'"),
        ("ddd", "too many pattern letters: ddd"),
        ("V", "too many pattern letters: V"),
        ("HH]", "without a matching"),
        ("'open", "unterminated quote"),
        ("yyyy{", "reserved"),
    ],
)
def test_invalid_patterns_are_rejected(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compile_pattern(pattern)


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("2024-01-02 03:04:05", "yyyy-MM-dd HH:mm:ss", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("02/01/2024", "dd/MM/yyyy", datetime(2024, 1, 2, tzinfo=UTC)),
        ("20240102", "yyyyMMdd", datetime(2024, 1, 2, tzinfo=UTC)),
        ("2024-032", "yyyy-DDD", datetime(2024, 2, 1, tzinfo=UTC)),
        ("24-1-2 7", "yy-M-d H", datetime(2024, 1, 2, 7, tzinfo=UTC)),
        ("January 2, 2024", "MMMM d, yyyy", datetime(2024, 1, 2, tzinfo=UTC)),
        (
            "Tue, 2 Jan 2024 3:04 PM +0100",
            "EEE, d MMM yyyy h:mm a Z",
            datetime(2024, 1, 2, 15, 4, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("12:15 AM 2024-01-02", "hh:mm a yyyy-MM-dd", datetime(2024, 1, 2, 0, 15, tzinfo=UTC)),
        ("2024-01-02 11 PM", "yyyy-MM-dd K a", datetime(2024, 1, 2, 23, tzinfo=UTC)),
        ("2024-01-02 24:00", "yyyy-MM-dd kk:mm", datetime(2024, 1, 2, 0, tzinfo=UTC)),
        (
            "20240102T030405.123Z",
            "yyyyMMdd'T'HHmmss.SSSX",
            datetime(2024, 1, 2, 3, 4, 5, 123000, tzinfo=UTC),
        ),
        (
            "2024-01-02 03:04:05.123456789",
            "yyyy-MM-dd HH:mm:ss.n",
            datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        ),
        (
            "2024-05-06T07:08 Europe/Paris",
            "yyyy-MM-dd'T'HH:mm VV",
            datetime(2024, 5, 6, 7, 8, tzinfo=PARIS),
        ),
        ("2024-05-06T07:08 UTC", "yyyy-MM-dd'T'HH:mm z", datetime(2024, 5, 6, 7, 8, tzinfo=UTC)),
        (
            "2024-05-06T07:08 GMT+2",
            "yyyy-MM-dd'T'HH:mm O",
            datetime(2024, 5, 6, 7, 8, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2024-05-06", "uuuu-MM-dd[ HH:mm]", datetime(2024, 5, 6, tzinfo=UTC)),
    ],
)
def test_parsing_resolves_like_kestra(text: str, pattern: str, expected: datetime) -> None:
    assert combine(parse_pattern(text, pattern), UTC) == expected


def test_a_date_without_time_is_midnight_in_the_default_zone_even_with_an_offset() -> None:
    parsed = parse_pattern("2024-01-02+05:00", "yyyy-MM-ddXXX")
    assert combine(parsed, PARIS) == datetime(2024, 1, 2, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("text", "pattern", "message"),
    [
        ("2024/01/02", "yyyy-MM-dd", "does not match"),
        ("01-02", "MM-dd", "no year"),
        ("2024 15", "yyyy HH", "no month"),
        ("2024-01-02 Mars/Base", "yyyy-MM-dd VV", "unknown time zone 'Mars/Base'"),
    ],
)
def test_parsing_errors_explain_the_problem(text: str, pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_pattern(text, pattern)


@pytest.mark.parametrize(
    ("raw", "hours"),
    [("Z", 0), ("GMT", 0), ("+01", 1), ("-0130", -1.5), ("+05:30", 5.5), ("GMT+2", 2)],
)
def test_offsets_parse_in_every_java_form(raw: str, hours: float) -> None:
    assert parse_offset(raw).utcoffset(None) == timedelta(hours=hours)


def test_text_fields_parse_in_short_full_and_narrow_forms() -> None:
    assert parse_pattern("Q1 2024-01-02", "QQQ yyyy-MM-dd").day == date(2024, 1, 2)
    assert parse_pattern("1st quarter 2024-01-02", "QQQQ yyyy-MM-dd").day == date(2024, 1, 2)
    assert parse_pattern("M/2/2024", "MMMMM/d/yyyy").day == date(2024, 3, 2)
    assert parse_pattern("Tuesday 2 Jan 2024", "EEEE d MMM yyyy").day == date(2024, 1, 2)

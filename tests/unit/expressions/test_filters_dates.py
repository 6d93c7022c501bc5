"""The date filters through the engine: Kestra's ``date``, ``dateAdd`` and ``timestamp*``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.filters import dates
from legato.expressions.filters.dateformats import parse_iso, parse_named

STAMP = "2024-01-02T15:04:05.120Z"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("iso", "2024-01-02T15:04:05.120000Z"),
        ("iso_sec", "2024-01-02T15:04:05Z"),
        ("sql", "2024-01-02 15:04:05.120000"),
        ("sql_seq", "2024-01-02 15:04:05"),
        ("iso_date_time", "2024-01-02T15:04:05.12Z[UTC]"),
        ("iso_zoned_date_time", "2024-01-02T15:04:05.12Z[UTC]"),
        ("iso_date", "2024-01-02Z"),
        ("iso_time", "15:04:05.12Z"),
        ("iso_local_date", "2024-01-02"),
        ("iso_local_date_time", "2024-01-02T15:04:05.12"),
        ("iso_local_time", "15:04:05.12"),
        ("iso_offset_time", "15:04:05.12Z"),
        ("iso_instant", "2024-01-02T15:04:05.120Z"),
        ("iso_ordinal_date", "2024-002Z"),
        ("iso_week_date", "2024-W01-2Z"),
        ("rfc_1123_date_time", "Tue, 2 Jan 2024 15:04:05 GMT"),
        ("short", "1/2/24, 3:04\u202fPM"),
        ("medium", "Jan 2, 2024, 3:04:05\u202fPM"),
        ("long", "January 2, 2024 at 3:04:05\u202fPM UTC"),
        ("full", "Tuesday, January 2, 2024 at 3:04:05\u202fPM Coordinated Universal Time"),
        ("yyyy-MM-dd", "2024-01-02"),
        ("EEEE d MMMM yyyy 'at' h a", "Tuesday 2 January 2024 at 3 PM"),
    ],
)
def test_named_formats_and_patterns(fmt: str, expected: str) -> None:
    assert render("{{ d | date(f) }}", d=STAMP, f=fmt) == expected


def test_default_format_is_iso_with_microseconds_in_utc() -> None:
    assert render("{{ '2024-01-02T03:04:05+02:00' | date }}") == "2024-01-02T01:04:05.000000Z"


def test_output_is_expressed_in_the_time_zone_argument() -> None:
    source = "{{ '2024-07-01T10:00:00Z' | date('iso_date_time', timeZone='Europe/Paris') }}"
    assert render(source) == "2024-07-01T12:00:00+02:00[Europe/Paris]"
    assert render("{{ d | date('HH:mm XXX', 'America/New_York') }}", d=STAMP) == "10:04 -05:00"
    assert render("{{ d | date('HH:mm', timeZone='+05:30') }}", d=STAMP) == "20:34"
    assert render("{{ d | date('HH:mm', timeZone='UTC-03:00') }}", d=STAMP) == "12:04"
    assert render("{{ d | date('HH:mm VV', timeZone='Z') }}", d=STAMP) == "15:04 Z"


def test_existing_format_parses_non_iso_input() -> None:
    source = "{{ v | date('yyyy-MM-dd HH:mm', existingFormat='dd/MM/yyyy HH:mm') }}"
    assert render(source, v="02/01/2024 10:30") == "2024-01-02 10:30"
    named = "{{ v | date('iso', existingFormat='rfc_1123_date_time') }}"
    assert render(named, v="Tue, 2 Jan 2024 15:04:05 GMT") == "2024-01-02T15:04:05.000000Z"


def test_local_input_is_read_in_the_given_zone() -> None:
    source = "{{ '2024-01-02T10:00:00' | date('iso', timeZone='Europe/Paris') }}"
    assert render(source) == "2024-01-02T10:00:00.000000+01:00"
    assert render("{{ '2024-01-02' | date('iso') }}") == "2024-01-02T00:00:00.000000Z"


def test_native_values_and_epoch_seconds() -> None:
    assert render("{{ d | date('yyyy-MM-dd HH:mm') }}", d=date(2024, 3, 1)) == "2024-03-01 12:00"
    naive = datetime(2024, 3, 1, 8, 30)
    assert render("{{ d | date('HH:mm XXX', timeZone='Asia/Tokyo') }}", d=naive) == "08:30 +09:00"
    assert render("{{ 1704207845 | date('iso_sec') }}") == "2024-01-02T15:04:05Z"


def test_null_input_gives_null() -> None:
    assert typed("{{ null | date('yyyy') }}") is None
    assert typed("{{ null | dateAdd(1, 'DAYS') }}") is None
    assert typed("{{ null | timestamp }}") is None


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'x' | date }}", "date: cannot parse 'x' as a date with ISO-8601"),
        ("{{ '2024' | date(existingFormat='yyyy-MM') }}", "argument 'existingFormat' 'yyyy-MM'"),
        ("{{ d | date(timeZone='Mars/Base') }}", "'timeZone' 'Mars/Base' is not a known time"),
        ("{{ d | date(timeZone='+25:99x') }}", "is not a valid offset such as"),
        ("{{ d | date('yyyy-bb') }}", "argument 'format' 'yyyy-bb' is not a valid date format"),
        ("{{ d | date('yyyy', locale='fr_FR') }}", "'locale' 'fr_FR' is not supported"),
        ("{{ [1] | date }}", "cannot read a date from a list"),
        ("{{ 1.5 | date }}", "cannot read a date from a number"),
        ("{{ d | date(format=1) }}", "argument 'format' must be a string, got integer"),
        ("{{ d | dateAdd(1, 'FOREVER') }}", "'FOREVER' is not a supported ChronoUnit"),
        ("{{ d | dateAdd(1) }}", "dateAdd: argument 'unit' is required"),
        ("{{ d | dateAdd('a', 'DAYS') }}", "argument 'amount' must be an integer, got string"),
        ("{{ d | dateAdd(1.5, 'DAYS') }}", "argument 'amount' must be an integer, got 1.5"),
        ("{{ d | dateAdd(9000, 'YEARS') }}", "leaves the supported date range"),
        ("{{ d | dateAdd(999999999, 'DAYS') }}", "leaves the supported date range"),
    ],
)
def test_errors_name_the_filter_and_argument(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source, d=STAMP)


def test_english_locales_are_accepted() -> None:
    assert render("{{ d | date('MMMM', locale='en_US') }}", d=STAMP) == "January"
    assert render("{{ d | date('MMMM', locale='en-GB') }}", d=STAMP) == "January"


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (1, "DAYS", "2024-02-01T10:00:00.000000Z"),
        (-1, "DAYS", "2024-01-30T10:00:00.000000Z"),
        (2, "WEEKS", "2024-02-14T10:00:00.000000Z"),
        (1, "MONTHS", "2024-02-29T10:00:00.000000Z"),
        (13, "MONTHS", "2025-02-28T10:00:00.000000Z"),
        (1, "YEARS", "2025-01-31T10:00:00.000000Z"),
        (1, "DECADES", "2034-01-31T10:00:00.000000Z"),
        (1, "CENTURIES", "2124-01-31T10:00:00.000000Z"),
        (1, "MILLENNIA", "3024-01-31T10:00:00.000000Z"),
        (90, "MINUTES", "2024-01-31T11:30:00.000000Z"),
        (-3, "HOURS", "2024-01-31T07:00:00.000000Z"),
        (1, "HALF_DAYS", "2024-01-31T22:00:00.000000Z"),
        (30, "SECONDS", "2024-01-31T10:00:30.000000Z"),
        (5, "MILLIS", "2024-01-31T10:00:00.005000Z"),
        (7, "MICROS", "2024-01-31T10:00:00.000007Z"),
        (3000, "NANOS", "2024-01-31T10:00:00.000003Z"),
    ],
)
def test_date_add_with_chrono_units(amount: int, unit: str, expected: str) -> None:
    source = "{{ '2024-01-31T10:00:00Z' | dateAdd(amount, unit) }}"
    assert render(source, amount=amount, unit=unit) == expected


def test_date_add_formats_its_result() -> None:
    source = "{{ '2024-01-31' | dateAdd(1, 'DAYS', 'yyyy-MM-dd') }}"
    assert render(source) == "2024-02-01"


def test_date_add_follows_daylight_saving_like_zoned_date_time() -> None:
    # adding a day keeps the local time; in the spring gap the time moves forward by the gap
    into_gap = "{{ '2024-03-30T02:30:00' | dateAdd(1, 'DAYS', 'iso', timeZone='Europe/Paris') }}"
    assert render(into_gap) == "2024-03-31T03:30:00.000000+02:00"
    across = "{{ '2024-03-30T12:00:00' | dateAdd(1, 'DAYS', 'iso', timeZone='Europe/Paris') }}"
    assert render(across) == "2024-03-31T12:00:00.000000+02:00"
    hours = "{{ '2024-03-30T12:00:00' | dateAdd(24, 'HOURS', 'iso', timeZone='Europe/Paris') }}"
    assert render(hours) == "2024-03-31T13:00:00.000000+02:00"


def test_date_add_in_the_autumn_overlap_keeps_the_earlier_offset() -> None:
    paris = ZoneInfo("Europe/Paris")
    summer = datetime(2024, 10, 26, 2, 30, tzinfo=paris)
    later = dates.add("dateAdd", summer, 1, "DAYS")
    assert later.utcoffset() == timedelta(hours=2)
    winter = datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=paris)
    same = dates.add("dateAdd", winter, 0, "DAYS")
    assert same.utcoffset() == timedelta(hours=1)
    fixed = datetime(2024, 10, 27, 2, 30, tzinfo=timezone(timedelta(hours=5)))
    assert dates.add("dateAdd", fixed, 1, "DAYS") == fixed + timedelta(days=1)


def test_timestamps_in_every_precision() -> None:
    value = "2024-01-02T03:04:05.123456Z"
    assert typed("{{ v | timestamp }}", v=value) == 1704164645
    assert typed("{{ v | timestampMilli }}", v=value) == 1704164645123
    assert typed("{{ v | timestampMicro }}", v=value) == "1704164645123456"
    assert typed("{{ v | timestampNano }}", v=value) == "1704164645123456000"
    assert typed("{{ '1970-01-01T00:00:00Z' | timestamp }}") == 0
    assert typed("{{ '1969-12-31T23:59:59.5Z' | timestampMilli }}") == -500


def test_timestamp_reads_local_input_in_its_time_zone() -> None:
    source = "{{ '2024-01-02 01:00' | timestamp('Europe/Paris', 'yyyy-MM-dd HH:mm') }}"
    assert typed(source) == 1704153600


def test_iso_parser_accepts_kestra_forms_only() -> None:
    zoned = parse_iso("2024-01-02T03:04:05.5+01:00[Europe/Paris]")
    assert zoned.zone == ZoneInfo("Europe/Paris")
    assert parse_iso("2024-01-02T03:04").clock is not None
    assert parse_iso("2024-01-02").clock is None
    with pytest.raises(ValueError, match="not an ISO-8601"):
        parse_iso("2024-01-02 03:04")
    with pytest.raises(ValueError, match="not an RFC 1123"):
        parse_named("2 January 2024", "rfc_1123_date_time")
    rfc = parse_named("2 Jan 2024 10:00 +0100", "rfc_1123_date_time")
    assert rfc.zone is not None and rfc.zone.utcoffset(None) == timedelta(hours=1)
    assert parse_named("2024-01-02T10:00:00Z", "iso_instant").zone == UTC


def test_date_filter_can_be_called_directly() -> None:
    assert dates.date_filter(None, {}, FakeContext()) is None
    assert dates.timestamp_milli(None, {}, FakeContext()) is None
    assert dates.timestamp_micro(None, {}, FakeContext()) is None
    assert dates.timestamp_nano(None, {}, FakeContext()) is None


def test_documented_examples() -> None:
    # Kestra's "Temporal Filters" page
    source = "{{ 'July 24, 2001' | date('yyyy-MM-dd', existingFormat='MMMM dd, yyyy') }}"
    assert render(source) == "2001-07-24"
    source = "{{ v | date(existingFormat='yyyy-MMMM-d', format='yyyy/MMMM/d') }}"
    assert render(source, v="2024-March-5") == "2024/March/5"
    assert render("{{ now() | dateAdd(-1, 'DAYS') }}") == "2024-01-01T03:04:05.123456Z"
    source = "{{ now() | date(\"yyyy-MM-dd'T'HH:mm:ssX\", timeZone='UTC') }}"
    assert render(source) == "2024-01-02T03:04:05Z"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1378653552, (1378653552, 0)),
        (-1, (-1, 0)),
        (1378653552123, (1378653552, 123000)),
        (-1378653552123, (-1378653553, 877000)),
        (1378653552123456, (1378653552, 123456)),
        (1378653552123456000, (1378653552, 123456)),
        (1378653552000123456, (1378653552, 123456)),  # the old timestampMicro output
    ],
)
def test_integer_epochs_are_read_in_the_unit_their_size_tells(
    value: int, expected: tuple[int, int]
) -> None:
    assert dates.epoch_parts(value) == expected


def test_an_epoch_beyond_the_calendar_is_an_error() -> None:
    with pytest.raises(ExpressionEvaluationError, match=r"epoch timestamp 10+ is out of range"):
        render("{{ big | date }}", big=10**30)

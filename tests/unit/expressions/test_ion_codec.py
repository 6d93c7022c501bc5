"""The shared Ion codec: ``ion_text`` writes what Kestra's Ion mapper writes, ``parse_ion`` reads
Ion text back with the same types (also behind ``toIon``/``fromIon`` and Ion files)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from legato.expressions.filters.ion import from_ion, to_ion
from legato.expressions.ion_codec import (
    IncompleteIon,
    ion_text,
    ion_timestamp,
    ion_tokens,
    needs_more,
    parse_ion,
    token_values,
)


def test_the_filter_names_are_the_codec() -> None:
    assert to_ion is ion_text and from_ion is parse_ion


def test_reads_rows_of_structs_with_comments_and_version_marker() -> None:
    text = """$ion_1_0
    {name: "alpha", value: 1} // first row
    /* second */ {name: "bravo", value: 2}
    """
    assert parse_ion(text) == [{"name": "alpha", "value": 1}, {"name": "bravo", "value": 2}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("null", None),
        ("null.string", None),
        ("true", True),
        ("false", False),
        ("-12", -12),
        ("1_000", 1000),
        ("0x1F", 31),
        ("-0x1F", -31),
        ("0b101", 5),
        ("1.5e0", 1.5),
        ("-inf", -math.inf),
        ("+inf", math.inf),
        ("1.50", Decimal("1.50")),
        ("2d1", Decimal("2E+1")),
        ('"a\\"b\\n\\t\\u00e9\\x41\\U0001F600\\q"', 'a"b\n\té' + "A\U0001f600q"),
        ('"joined \\\nline"', "joined line"),
        ("'''joined \\\r\nline'''", "joined line"),
        ("'''long ''' '''string'''", "long string"),
        ("'quoted symbol'", "quoted symbol"),
        ("plain_symbol", "plain_symbol"),
        ("2007T", date(2007, 1, 1)),
        ("2007-02T", date(2007, 2, 1)),
        ("2024-01-02T", date(2024, 1, 2)),
        ("2024-01-02", date(2024, 1, 2)),
        ("2024-01-02T10:00:00Z", datetime(2024, 1, 2, 10, tzinfo=UTC)),
        ("2024-01-02T10:00:00-00:00", datetime(2024, 1, 2, 10, tzinfo=UTC)),
        ("2024-01-02T03:04:05.123456789Z", datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
        (
            "2024-01-02T10:00:00.5+01:00",
            datetime(2024, 1, 2, 10, 0, 0, 500000, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "2024-01-02T03:04-02:30",
            datetime(2024, 1, 2, 3, 4, tzinfo=timezone(-timedelta(hours=2.5))),
        ),
        ("[1, [2, 3], {a: 4}]", [1, [2, 3], {"a": 4}]),
        ("(+ 1 2)", ["+", 1, 2]),
        ("{'b c': 1, \"d\": 2, '''e''': 3}", {"b c": 1, "d": 2, "e": 3}),
        ("{k: ann::5, tags: a::b::[x], q: 'odd ann'::6}", {"k": 5, "tags": ["x"], "q": 6}),
        ("{a: 1, a: 2}", {"a": 2}),
        ("{}", {}),
    ],
)
def test_reads_each_value_kind(text: str, expected: object) -> None:
    [value] = parse_ion(text)
    assert value == expected and type(value) is type(expected)


def test_java_time_annotations_become_python_times() -> None:
    [row] = parse_ion(
        '{a:LocalDateTime::"2024-01-02T03:04:05",b:LocalTime::"10:15:30",'
        'c:OffsetTime::"10:15:30Z",d:ZonedDateTime::"2024-06-01T10:00+02:00[Europe/Paris]",'
        "e:other::\"kept\",f:LocalDate::'''2024-01-02''',"
        'g:ZonedDateTime::"2024-06-01T10:00+02:00[Nowhere/Land]",h:Instant::"2024-06-01T10:00Z"}'
    )
    assert row["a"] == datetime(2024, 1, 2, 3, 4, 5) and row["a"].tzinfo is None
    assert row["b"] == time(10, 15, 30)
    assert row["c"].utcoffset() == timedelta(0)
    assert str(row["d"].tzinfo) == "Europe/Paris" and row["d"].hour == 10
    assert row["e"] == "kept" and row["f"] == date(2024, 1, 2)
    assert row["g"].utcoffset() == timedelta(hours=2)  # an unknown region keeps the offset
    assert row["h"] == datetime(2024, 6, 1, 10, tzinfo=UTC)


def test_blobs_and_clobs_are_read_as_bytes() -> None:
    assert parse_ion("{a:{{ aGVs\n bG8= }}}") == [{"a": b"hello"}]
    assert parse_ion("{{\"clob\\x21\"}} {{ '''two ''' \"parts\" }}") == [b"clob!", b"two parts"]


def test_nan_is_read_as_a_float_nan() -> None:
    assert math.isnan(parse_ion("nan")[0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{a: 1", "unexpected end of Ion text"),
        ("[1, 2", "unexpected end of Ion text"),
        ("a::", "unexpected end of Ion text"),
        ('"open', "unterminated string, symbol, comment or lob"),
        ("1 /* open", "unterminated string, symbol, comment or lob"),
        ("{{ aGVs", "unterminated string, symbol, comment or lob"),
        ("{{ aGVsbG8 }}", "invalid base64 in a blob"),
        ('{{ "a" 1 }}', "a clob holds strings only, got '1'"),
        ('{{ "a" } ]', "a clob must end with '}}'"),
        ("{1: 2}", "expected a field name and ':' in a struct, got '1'"),
        ("{a 2}", "expected a field name and ':'"),
        ("{a: 1 b: 2}", "expected ',' or '}' in a struct, got 'b'"),
        ("[1 2]", "expected ',' or ']' in a list, got '2'"),
        ("\x00", "unexpected character"),
        ("{{aGk=}} \x00", "unexpected character"),
        ("[1, :]", "unexpected ':'"),
        (")", "unexpected '\\)'"),
        ("9999-99-99", "month must be in 1..12"),
    ],
)
def test_bad_ion_is_explained(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_ion(text)


def test_streaming_pieces_tell_incomplete_text() -> None:
    with pytest.raises(IncompleteIon):
        ion_tokens("{a:'''open")
    with pytest.raises(ValueError, match="unexpected end of the value"):
        token_values(ion_tokens("{a:[1,"))
    assert needs_more(ion_tokens("{a:[1,")) and not needs_more(ion_tokens("{a:[1]}"))
    assert needs_more(ion_tokens('{{ "clob"')) and needs_more(ion_tokens("x::"))
    with pytest.raises(ValueError, match="invalid timestamp '2024-1-2'"):
        ion_timestamp("2024-1-2")


def test_writes_jackson_ion_text() -> None:
    value = {"a": 1, "b c": [1.5, None, True, 'x"y'], "d": Decimal("1.50"), "null": 2}
    assert ion_text(value) == "{a:1,'b c':[1.5e0,null,true,\"x\\\"y\"],d:1.50,'null':2}"
    assert ion_text({"it's": "a\nb"}) == "{'it\\'s':\"a\\nb\"}"
    assert ion_text(Decimal("5")) + " " + ion_text(Decimal("1E+3")) == "5. 1d+3"
    assert ion_text(Decimal("NaN")) + ion_text(Decimal("-Infinity")) == "nan-inf"
    assert ion_text(1e20) + " " + ion_text(0.0) == "1.0e20 0.0e0"
    assert ion_text(math.nan) + ion_text(math.inf) + ion_text(-math.inf) == "nan+inf-inf"
    assert ion_text((1, False)) == "[1,false]"
    assert ion_text(timedelta(0)) == '"0:00:00"'


def test_writes_times_as_kestras_ion_mapper() -> None:
    assert ion_text(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    plus_two = datetime(2024, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=2)))
    assert ion_text(plus_two) == "2024-01-02T03:04:00+02:00"
    assert ion_text(datetime(2024, 1, 2, 3, 4)) == 'LocalDateTime::"2024-01-02T03:04:00"'
    assert ion_text(date(2024, 1, 2)) == "2024-01-02"
    assert ion_text(time(1, 2)) == 'LocalTime::"01:02:00"'
    assert ion_text(time(1, 2, tzinfo=UTC)) == 'OffsetTime::"01:02:00+00:00"'
    assert ion_text(b"\x00\xff") + ion_text(bytearray(b"\x01")) == "{{AP8=}}{{AQ==}}"


@pytest.mark.parametrize(
    "value",
    [
        Decimal("-0.001"),
        Decimal("1E+5"),
        Decimal("7"),
        1e300,
        -0.5,
        2**70,
        datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2024, 1, 2, 3, 4, 5, 6),
        date(2024, 1, 2),
        time(10, 15, 30, 5),
        time(10, 15, tzinfo=timezone(timedelta(hours=1))),
        b"\x01\x02\x03",
        {"nested": {"deep": [None, {"x": "ü"}]}, "when": date(2024, 1, 2)},
        'it\'s "quoted" \t tab',
    ],
)
def test_round_trip_keeps_value_and_type(value: Any) -> None:
    [back] = parse_ion(ion_text(value))
    assert back == value and type(back) is type(value)

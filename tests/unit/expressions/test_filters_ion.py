"""The Ion text reader behind ``fromIon``: the subset of Amazon Ion text data files use."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from legato.expressions.filters.ion import from_ion, to_ion


def test_reads_rows_of_structs_with_comments_and_version_marker() -> None:
    text = """$ion_1_0
    {name: "alpha", value: 1} // first row
    /* second */ {name: "bravo", value: 2}
    """
    assert from_ion(text) == [{"name": "alpha", "value": 1}, {"name": "bravo", "value": 2}]


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
        ("0b101", 5),
        ("1.5e0", 1.5),
        ("-inf", -math.inf),
        ("+inf", math.inf),
        ("1.50", Decimal("1.50")),
        ("2d1", Decimal("2E+1")),
        ('"a\\"b\\n\\t\\u00e9\\x41\\U0001F600"', 'a"b\n\té' + "A\U0001f600"),
        ('"joined \\\nline"', "joined line"),
        ("'''long ''' '''string'''", "long "),
        ("'quoted symbol'", "quoted symbol"),
        ("plain_symbol", "plain_symbol"),
        ("2024-01-02T", date(2024, 1, 2)),
        ("2024-01-02", date(2024, 1, 2)),
        ("2024-01-02T10:00:00Z", datetime(2024, 1, 2, 10, tzinfo=UTC)),
        (
            "2024-01-02T10:00:00.5+01:00",
            datetime(2024, 1, 2, 10, 0, 0, 500000, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("[1, [2, 3], {a: 4}]", [1, [2, 3], {"a": 4}]),
        ("(+ 1 2)", ["+", 1, 2]),
        ("{'b c': 1, \"d\": 2, '''e''': 3}", {"b c": 1, "d": 2, "e": 3}),
        ("{k: ann::5, tags: a::b::[x]}", {"k": 5, "tags": ["x"]}),
        ("{}", {}),
    ],
)
def test_reads_each_value_kind(text: str, expected: object) -> None:
    assert from_ion(text)[0] == expected


def test_blobs_are_read_as_bytes_and_written_back() -> None:
    assert from_ion("{a:{{ aGVs\n bG8= }}}") == [{"a": b"hello"}]
    assert to_ion({"b": b"\x00\xff"}) == "{b:{{AP8=}}}"
    assert from_ion(to_ion(b"\x01\x02\x03")) == [b"\x01\x02\x03"]


def test_nan_is_read_as_a_float_nan() -> None:
    assert math.isnan(from_ion("nan")[0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{a: 1", "unexpected end of Ion text"),
        ("[1, 2", "unexpected end of Ion text"),
        ('{{ "text" }}', "clobs are not supported"),
        ("{{ aGVsbG8 }}", "invalid blob"),
        ("{1: 2}", "expected a field name and ':' in a struct, got '1'"),
        ("{a 2}", "expected a field name and ':'"),
        ("\x00", "unexpected character"),
        (")", "unexpected '\\)'"),
    ],
)
def test_bad_ion_is_explained(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_ion(text)

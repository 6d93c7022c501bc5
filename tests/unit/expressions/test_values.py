"""Output rules: Kestra's stringification of every value type, JSON for maps and lists."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from pebble_support import r

from legato.expressions import values


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1.0"),
        (0.1, "0.1"),
        (100.0, "100.0"),
        (0.001, "0.001"),
        (9999999.0, "9999999.0"),
        (1e7, "1.0E7"),
        (1e10, "1.0E10"),
        (123456789.0, "1.23456789E8"),
        (1e-4, "1.0E-4"),
        (-2.5e-7, "-2.5E-7"),
        (1.5e300, "1.5E300"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
    ],
)
def test_doubles_render_as_java(value: float, text: str) -> None:
    assert values.java_double(value) == text
    assert r("{{ v }}", v=value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (42, "42"),
        (-7, "-7"),
        ("text", "text"),
        (Decimal("1.50"), "1.50"),
        ({"a": 1, "b": [1, 2]}, '{"a":1,"b":[1,2]}'),
        ([1, "x", None, True, 1.0, {"k": "é"}], '[1,"x",null,true,1.0,{"k":"é"}]'),
        ({"q": 'say "hi"\n'}, '{"q":"say \\"hi\\"\\n"}'),
        ((1, 2), "[1,2]"),
        ({1: "a"}, '{"1":"a"}'),
        (date(2024, 5, 1), "2024-05-01"),
        (datetime(2024, 5, 1, 10, 0, tzinfo=UTC), "2024-05-01T10:00:00Z"),
        (datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC), "2024-05-01T10:00:00.123Z"),
        (datetime(2024, 5, 1, 10, 0, 0, 123456), "2024-05-01T10:00:00.123456"),
        (
            datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2))),
            "2024-05-01T10:00:00+02:00",
        ),
        (time(10, 15), "10:15"),
        (time(10, 15, 30), "10:15:30"),
        (time(10, 15, 0, 500000), "10:15:00.500"),
        (timedelta(0), "PT0S"),
        (timedelta(hours=1, minutes=30), "PT1H30M"),
        (timedelta(seconds=1.5), "PT1.5S"),
        (timedelta(seconds=-30), "PT-30S"),
        (timedelta(days=1), "PT24H"),
        ({"when": date(2024, 1, 2), "d": Decimal("2.0")}, '{"when":"2024-01-02","d":2.0}'),
    ],
)
def test_stringify(value: object, text: str) -> None:
    assert values.stringify(value) == text
    assert r("{{ v }}", v=value) == text


def test_unknown_objects_are_named_not_inspected() -> None:
    class Secret:
        def __str__(self) -> str:
            raise AssertionError("never called")

    assert values.to_json([Secret()]) == '["Secret"]'
    assert values.type_name(Secret()) == "value"


def test_rendering_is_not_recursive() -> None:
    assert r("{{ v }}", v="{{ secret }}") == "{{ secret }}"


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "null"),
        (True, "boolean"),
        (1, "integer"),
        (1.5, "number"),
        (Decimal(1), "number"),
        ("", "string"),
        ({}, "map"),
        ([], "list"),
        (datetime(2024, 1, 1), "datetime"),
        (date(2024, 1, 1), "date"),
        (time(1, 0), "time"),
        (timedelta(1), "duration"),
    ],
)
def test_type_names(value: object, name: str) -> None:
    assert values.type_name(value) == name


@pytest.mark.parametrize(
    ("value", "truth"),
    [(None, False), (True, True), (0, False), (3, True), (float("nan"), False), ("", False)],
)
def test_truth(value: object, truth: bool) -> None:
    assert values.truth(value) is truth


def test_truth_rejects_collections() -> None:
    with pytest.raises(values.NotBoolean):
        values.truth([])

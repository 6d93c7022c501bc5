"""Serialization filters (toJson, json, toIon, yaml, jq) and the shared text conversions."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.filters import serialization
from legato.expressions.filters._support import arg_int, java_double, to_json, to_text, type_name
from legato.expressions.filters.ion import from_ion, to_ion
from legato.expressions.filters.yamltext import to_yaml


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ [1, 2, 3] | toJson }}", "[1,2,3]"),
        ("{{ true | toJson }}", "true"),
        ("{{ 'foo' | toJson }}", '"foo"'),
        ("{{ null | toJson }}", "null"),
        ("{{ {'a': 1, 'b': [1.5, 'é']} | toJson }}", '{"a":1,"b":[1.5,"é"]}'),
        ("{{ {'a': 1} | json }}", '{"a":1}'),
    ],
)
def test_to_json_is_compact_jackson_json(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "1.0"),
        (0.001, "0.001"),
        (1e-4, "1.0E-4"),
        (12345678.0, "1.2345678E7"),
        (1e7, "1.0E7"),
        (-1.5e-5, "-1.5E-5"),
        (1e20, "1.0E20"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
    ],
)
def test_floats_print_like_java_double_to_string(value: float, expected: str) -> None:
    assert java_double(value) == expected


def test_text_and_json_of_every_value_kind() -> None:
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert to_text(None) == "null"
    assert to_text(False) == "false"
    assert to_text(2.0) == "2.0"
    assert to_text(Decimal("1.50")) == "1.50"
    assert to_text(moment) == "2024-01-02T03:04:05Z"
    assert to_text(time(3, 4)) == "03:04"
    assert to_text(timedelta(seconds=90)) == "PT1M30S"
    assert to_json({"t": moment, "d": date(2024, 1, 2)}) == (
        '{"t":"2024-01-02T03:04:05Z","d":"2024-01-02"}'
    )
    assert to_json([timedelta(seconds=1.5), Decimal("2.5"), (1, 2)]) == '["PT1.5S",2.5,[1,2]]'


def test_type_names_in_messages() -> None:
    assert type_name(None) == "null"
    assert type_name(True) == "boolean"
    assert type_name(1.5) == "number"
    assert type_name({"a": 1}) == "map"
    assert type_name(object()) == "value"


def test_integer_arguments_accept_whole_floats() -> None:
    assert arg_int("f", {"n": 2.0}, "n") == 2


def test_to_ion_writes_jackson_ion_text() -> None:
    value = {"a": 1, "b c": [1.5, None, True, 'x"y'], "d": Decimal("1.50"), "null": 2}
    assert (
        render("{{ v | toIon }}", v=value)
        == "{a:1,'b c':[1.5e0,null,true,\"x\\\"y\"],d:1.50,'null':2}"
    )
    assert render("{{ null | toIon }}") == "null"
    assert to_ion(Decimal("5")) == "5."
    assert to_ion(Decimal("1E+3")) == "1d+3"
    assert to_ion(1e20) == "1.0e20"
    assert to_ion(math.nan) + to_ion(math.inf) + to_ion(-math.inf) == "nan+inf-inf"
    assert to_ion(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    assert to_ion(datetime(2024, 1, 2, 3, 4, 5)) == 'LocalDateTime::"2024-01-02T03:04:05"'
    assert to_ion(date(2024, 1, 2)) == "2024-01-02"
    assert to_ion((1, False)) == "[1,false]"
    assert to_ion(timedelta(0)) == '"0:00:00"'


def test_ion_round_trips_through_from_ion() -> None:
    value = {"a": [1, 2.5, None, "s"], "b": {"c": Decimal("1.25")}, "when": date(2024, 1, 2)}
    assert from_ion(to_ion(value)) == [value]


def test_yaml_filter_writes_block_yaml() -> None:
    assert render("{{ {'key': 'value'} | yaml }}") == "key: value\n"
    assert render("{{ null | yaml }}") == "null\n"
    nested = {"labels": {"env": "prod"}, "items": ["a", {"x": 1, "y": [1, 2]}, [3, 4]], "e": {}}
    # What Jackson 2.17 + SnakeYAML 2.2 write with Kestra's YamlFilter settings (INDENT_ARRAYS)
    assert to_yaml(nested) == (
        "labels:\n  env: prod\n"
        'items:\n - a\n -\n  x: 1\n  "y":\n   - 1\n   - 2\n -\n   - 3\n   - 4\n'
        "e: {}\n"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain text", "plain text\n"),
        ("foo: bar", '"foo: bar"\n'),
        ("", '""\n'),
        ("true", '"true"\n'),
        ("12", '"12"\n'),
        ("-dash", '"-dash"\n'),
        ("trailing ", '"trailing "\n'),
        ("a # b", '"a # b"\n'),
        ("tab\there", '"tab\\there"\n'),
        (1.5, "1.5\n"),
        (7, "7\n"),
        (False, "false\n"),
        (Decimal("2.50"), "2.50\n"),
        (date(2024, 1, 2), "2024-01-02\n"),
        ([], "[]\n"),
        ({}, "{}\n"),
        (("a",), " - a\n"),
        (b"x".decode(), "x\n"),
    ],
)
def test_yaml_scalars_are_quoted_only_when_needed(value: object, expected: str) -> None:
    assert to_yaml(value) == expected


def test_yaml_multiline_strings_are_literal_blocks() -> None:
    assert to_yaml({"m": "line1\nline2"}) == "m: |-\n  line1\n  line2\n"
    assert to_yaml({"m": "line1\n\nline3\n"}) == "m: |\n  line1\n\n  line3\n"
    assert to_yaml({"m": "kept\n\n"}) == "m: |+\n  kept\n\n"
    assert to_yaml(["a\nb"]) == " - |-\n  a\n  b\n"
    assert to_yaml("top\nlevel") == "|-\n  top\n  level\n"


def test_jq_always_returns_a_list() -> None:
    assert typed("{{ [1, 2, 3] | jq('.') }}") == [[1, 2, 3]]
    assert typed("{{ [1, 2, 3] | jq('.[0]') | first }}") == 1
    assert typed("{{ v | jq('.[] | .value * 2') }}", v=[{"value": 1}, {"value": 2}]) == [2, 4]
    assert typed("{{ '{\"a\": {\"b\": 1.5}}' | jq('.a.b') }}") == [1.5]
    assert typed("{{ {'a': 1} | jq('.missing') }}") == [None]
    assert typed("{{ null | jq('.') }}") is None


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ [1] | jq }}", "jq: argument 'expression' must be a jq program"),
        ("{{ [1] | jq('.[') }}", "jq: argument 'expression' '.\\[' is not a valid jq program"),
        ("{{ 'not json' | jq('.') }}", "jq: the input 'not json' is not JSON"),
        ("{{ 'abc' | jq('.') }}", "jq: the input 'abc' is not JSON"),
        ("{{ [1] | jq('.a') }}", "jq: '.a' failed on the input"),
    ],
)
def test_jq_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_serialisers_check_the_size_of_their_output() -> None:
    ctx = FakeContext(max_size=3)
    for name in ("toJson", "json", "toIon", "yaml"):
        with pytest.raises(ExpressionEvaluationError, match=f"{name} is too big"):
            serialization.TABLE.filters[name].fn([1, 2, 3], {}, ctx)
    with pytest.raises(ExpressionEvaluationError, match="jq is too big"):
        serialization.jq_filter([1, 2, 3, 4], {"expression": ".[]"}, ctx)

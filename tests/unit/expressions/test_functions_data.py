"""Parsing functions: fromJson (and deprecated json), yaml and fromIon."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.functions import data


def test_from_json_parses_any_json_value() -> None:
    assert typed("{{ fromJson(v) }}", v='{"a": [1, 2.5, null, true]}') == {
        "a": [1, 2.5, None, True]
    }
    assert typed("{{ fromJson('[1, 2]') | last }}") == 2
    assert typed("{{ fromJson(v).name }}", v='{"name": "alpha"}') == "alpha"
    assert typed("{{ json('\"text\"') }}") == "text"
    assert typed("{{ fromJson(null) }}") is None


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ fromJson() }}", "fromJson: argument 'json' is required"),
        ("{{ fromJson(1) }}", "fromJson: argument 'json' must be a string, got integer"),
        ("{{ fromJson('{') }}", "fromJson: argument 'json' is not valid JSON"),
        ("{{ json('NaN') }}", "json: argument 'json' is not valid JSON"),
        ("{{ fromJson('') }}", "is not valid JSON .*<empty>"),
    ],
)
def test_from_json_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_yaml_function_parses_yaml_text() -> None:
    text = "key: value\nitems:\n  - 1\n  - 2.5\n  - true\n  - null\nnested: {a: b}\n"
    expected = {"key": "value", "items": [1, 2.5, True, None], "nested": {"a": "b"}}
    assert typed("{{ yaml(v) }}", v=text) == expected
    assert typed("{{ yaml('foo: bar').foo }}") == "bar"
    assert typed("{{ yaml('- a') }}") == ["a"]
    assert typed("{{ yaml('2024-01-02') }}") is not None


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ yaml() }}", "yaml: argument 'yaml' is required"),
        ("{{ yaml(null) }}", "yaml: argument 'yaml' must be a string, got null"),
        ("{{ yaml('a: [1') }}", "yaml: argument 'yaml' is not valid YAML"),
    ],
)
def test_yaml_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_from_ion_returns_the_first_row_or_all_rows() -> None:
    rows = '{name: "a", price: 1.50} {name: "b", price: 2.00}'
    assert typed("{{ fromIon(v) }}", v=rows) == {"name": "a", "price": Decimal("1.50")}
    assert typed("{{ fromIon(v, allRows=true) | length }}", v=rows) == 2
    assert typed("{{ fromIon('') }}") is None
    assert typed("{{ fromIon(null) }}") is None
    with pytest.raises(ExpressionEvaluationError, match="fromIon: argument 'ion' is not valid"):
        render("{{ fromIon('{a: ') }}")
    with pytest.raises(ExpressionEvaluationError, match="fromIon is too big"):
        data.from_ion_function({"ion": "1 2 3", "allRows": True}, FakeContext(max_size=2))

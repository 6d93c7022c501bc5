"""Literal forms: numbers, strings (both quotes, escapes, interpolation), lists, maps, constants."""

from __future__ import annotations

import pytest
from pebble_support import ENV, r, t

from legato.errors import ExpressionEvaluationError, ExpressionSyntaxError


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("42", 42),
        ("4.25", 4.25),
        ("'single'", "single"),
        ('"double"', "double"),
        ("'it\\'s'", "it's"),
        ('"a \\"b\\""', 'a "b"'),
        ("'back\\\\slash'", "back\\slash"),
        ("'a\\nb'", "a\\nb"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("none", None),
        ("TRUE", True),
        ("FALSE", False),
        ("NULL", None),
        ("NONE", None),
        ("[]", []),
        ("[1, 'a', [true]]", [1, "a", [True]]),
        ("{}", {}),
        ("{'a': 1, \"b\": [2]}", {"a": 1, "b": [2]}),
        ("{1: 'one'}", {1: "one"}),
        ("{k: 1}", {"key": 1}),
        ("{'a': {'b': {'c': 1}}}.a.b.c", 1),
        ("[[1, 2], [3]][0][1]", 2),
    ],
)
def test_literals(source: str, expected: object) -> None:
    assert t("{{ " + source + " }}", k="key") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"Hello #{name}!"', "Hello Ann!"),
        ('"#{1 + 2} and #{ [1] } and #{ none }"', "3 and [1] and "),
        ('"nested #{ "inner #{name}" }"', "nested inner Ann"),
        ("\"a #{ {'k': name}.k } b\"", "a Ann b"),
        ("'no #{interpolation} in single quotes'", "no #{interpolation} in single quotes"),
        ('"hash # alone"', "hash # alone"),
        ('"esc \\"#{name}\\""', 'esc "Ann"'),
    ],
)
def test_interpolated_strings(source: str, expected: str) -> None:
    assert t("{{ " + source + " }}", name="Ann") == expected


def test_map_keys_cannot_be_collections() -> None:
    with pytest.raises(ExpressionEvaluationError, match="A map key cannot be a list"):
        r("{{ {[1]: 2} }}")


def test_double_arithmetic_keeps_doubles() -> None:
    assert t("{{ 2.5 - 1 }}") == 1.5
    assert t("{{ 2.5 * 2 }}") == 5.0


def test_a_string_token_in_the_wrong_place_is_named() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        ENV.parse('{{ a "#{b}" }}')
    assert caught.value.reason == "Expected '}}' but found a string"


def test_syntax_errors_from_a_nested_render_pass_through() -> None:
    with pytest.raises(ExpressionSyntaxError, match="Unexpected '}}'"):
        r("{{ render(bad) }}", bad="{{ }}")

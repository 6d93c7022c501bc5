"""Operators, through templates: Java arithmetic, comparisons, logic, concat, ranges, contains."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pebble_support import r, t

from legato.errors import ExpressionEvaluationError
from legato.expressions import operators


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("7 / 2", 3),
        ("-7 / 2", -3),
        ("7 / -2", -3),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ("7 % -3", 1),
        ("2 + 3 * 4", 14),
        ("(2 + 3) * 4", 20),
        ("10 - 4 - 3", 3),
        ("7 / 2.0", 3.5),
        ("1 + 0.5", 1.5),
        ("5.5 % 2", 1.5),
        ("-5.5 % 2", -1.5),
        ("9223372036854775807 + 1", -9223372036854775808),
        ("-(3)", -3),
        ("+4", 4),
        ("-2.5", -2.5),
        ("1.0 / 0", float("inf")),
        ("-1.0 / 0", float("-inf")),
    ],
)
def test_arithmetic(source: str, expected: object) -> None:
    result = t("{{ " + source + " }}")
    assert result == expected
    assert type(result) is type(expected)


def test_zero_over_zero_double_is_nan() -> None:
    assert r("{{ 0.0 / 0 }}") == "NaN"
    assert r("{{ 1.5 % 0 }}") == "NaN"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'a' + 1", "a1"),
        ("1 + 'a'", "1a"),
        ("'a' + 1.0", "a1.0"),
        ("'a' + null", "anull"),
        ("'a' + true", "atrue"),
        ("[1] + 2", [1, 2]),
        ("[1] + [2, 3]", [1, 2, 3]),
        ("[1, 2, 3, 2] - 2", [1, 3]),
        ("[1, 2, 3] - [1, 3]", [2]),
    ],
)
def test_plus_minus_on_strings_and_lists(source: str, expected: object) -> None:
    assert t("{{ " + source + " }}") == expected


def test_decimal_arithmetic() -> None:
    assert t("{{ d * 3 }}", d=Decimal("1.1")) == Decimal("3.3")
    assert t("{{ d / 3 }}", d=Decimal(1)) == Decimal("0.3333333333333333333333333333333333")
    assert t("{{ d % 2 }}", d=Decimal("5.5")) == Decimal("1.5")
    assert t("{{ d - 1 }}", d=Decimal("5.5")) == Decimal("4.5")
    assert t("{{ d + 1 }}", d=Decimal("5.5")) == Decimal("6.5")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("1 / 0", "Division by zero in '/'"),
        ("1 % 0", "Division by zero in '%'"),
        ("d / 0", "Division by zero in '/'"),
        ("{'a': 1} * 2", "Operator '*' needs numbers but got map and integer"),
        ("null + 1", "Operator '+' needs numbers but got null and integer"),
        ("-'a'", "Unary '-' needs a number but got string"),
        ("+[]", "Unary '+' needs a number but got list"),
        ("true - 1", "Operator '-' needs numbers but got boolean and integer"),
    ],
)
def test_arithmetic_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError) as caught:
        r("{{ " + source + " }}", d=Decimal(1))
    assert caught.value.reason == message
    assert caught.value.line == 1


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 == 1.0", True),
        ("1 equals 1", True),
        ("1 != 2", True),
        ("'a' == 'a'", True),
        ("'1' == 1", False),
        ("true == 1", False),
        ("true == true", True),
        ("null == null", True),
        ("[1, 2] == [1, 2.0]", True),
        ("[1, 2] == [1]", False),
        ("{'a': 1} == {'a': 1.0}", True),
        ("{'a': 1} == {'b': 1}", False),
        ("2 > 1", True),
        ("2 < 1.5", False),
        ("2 >= 2", True),
        ("2 <= 1", False),
        ("'b' > 'a'", True),
        ("'abc' < 'abd'", True),
        ("null < 1", False),
        ("1 > null", False),
    ],
)
def test_comparisons(source: str, expected: bool) -> None:
    assert t("{{ " + source + " }}") is expected


def test_decimal_nan_is_never_ordered() -> None:
    assert t("{{ d < 1 }}", d=Decimal("NaN")) is False


def test_comparing_unrelated_types_is_an_error() -> None:
    with pytest.raises(ExpressionEvaluationError, match="Cannot compare string and integer"):
        r("{{ 'a' < 1 }}")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("true and false", False),
        ("true and 1", True),
        ("false or 'x'", True),
        ("not true", False),
        ("not null", True),
        ("false and undefined_thing", False),
        ("true or undefined_thing", True),
    ],
)
def test_logic_short_circuits(source: str, expected: bool) -> None:
    assert t("{{ " + source + " }}") is expected


def test_logic_on_a_map_is_an_error() -> None:
    with pytest.raises(ExpressionEvaluationError, match="Expected a boolean but got map"):
        r("{{ {} and true }}")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[1, 2] contains 2", True),
        ("[1, 2] contains 2.0", True),
        ("[1, 2] contains [1, 2]", True),
        ("[1, 2] contains [1, 3]", False),
        ("{'a': 1} contains 'a'", True),
        ("{'a': 1} contains 1", False),
        ("{'a': 1} contains [1]", False),
        ("'hello' contains 'ell'", True),
        ("'a1' contains 1", True),
        ("null contains 1", False),
    ],
)
def test_contains(source: str, expected: bool) -> None:
    assert t("{{ " + source + " }}") is expected


def test_contains_on_a_number_is_an_error() -> None:
    with pytest.raises(ExpressionEvaluationError, match="'contains' needs a list, map or string"):
        r("{{ 1 contains 1 }}")


def test_ranges() -> None:
    assert t("{{ 1..4 }}") == [1, 2, 3, 4]
    assert t("{{ 3..1 }}") == []
    assert t("{{ 'a'..'c' }}") == ["a", "b", "c"]
    assert t("{{ -1..1 }}") == [-1, 0, 1]


def test_range_errors() -> None:
    with pytest.raises(ExpressionEvaluationError, match=r"Range '\.\.' needs integers"):
        r("{{ 1..'b' }}")
    with pytest.raises(ExpressionEvaluationError, match=r"Range '\.\.' needs integers"):
        r("{{ true..3 }}")
    with pytest.raises(ExpressionEvaluationError, match="more than the limit 100000"):
        r("{{ 1..100001 }}")


def test_concat_and_ternary() -> None:
    assert t("{{ 'a' ~ 1 ~ null ~ 2.0 ~ true ~ [1] }}") == "a12.0true[1]"
    assert t("{{ 1 > 0 ? 'yes' : 'no' }}") == "yes"
    assert t("{{ 0 ? 'yes' : 'no' }}") == "no"


def test_operator_helpers() -> None:
    assert operators.wrap(2**64 + 5) == 5
    assert operators.java_string({"a": None}) == '{"a":null}'
    assert operators.equals("a", 1) is False


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'a' in ['a', 'b']", True),
        ("'c' in ['a', 'b']", False),
        ("1 in ['1', '2']", True),
        ("'1.0' in [1.0]", True),
        ("'k' in {'k': 'v'}", True),
        ("'v' in {'k': 'v'}", True),
        ("'x' in {'k': 'v'}", False),
        ("'a' in 'abc'", False),
        ("null in [null]", False),
        ("'a' in null", False),
        ("'c' not in ['a', 'b']", True),
        ("'a' not in ['a']", False),
        ("'a' isIn ['a']", True),
        ("'a' isNotIn ['a']", False),
        ("'a' in ['a'] and 'b' not in ['a']", True),
    ],
)
def test_kestra_in_operators(source: str, expected: bool) -> None:
    assert t("{{ " + source + " }}") is expected


def test_in_operator_does_not_break_for_loops_or_names() -> None:
    assert r("{% for x in [1, 2] %}{{ x }}{% endfor %}") == "12"
    assert r("{{ not inputs }}", inputs=False) == "true"
    assert r("{{ index }}", index=3) == "3"

"""Number filters: Kestra's ``number``, Pebble's ``abs`` and ``numberformat``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.filters import numbers


@pytest.mark.parametrize(
    ("text", "kind", "expected", "java_class"),
    [
        ("12", "", 12, "java.lang.Integer"),
        ("-7", "", -7, "java.lang.Integer"),
        ("0x1F", "", 31, "java.lang.Integer"),
        ("99999999999", "", 99999999999, "java.lang.Long"),
        ("99999999999999999999", "", 99999999999999999999, "java.math.BigInteger"),
        ("12L", "", 12, "java.lang.Long"),
        ("12.3", "", 12.3, "java.lang.Float"),
        ("1e3", "", 1000.0, "java.lang.Float"),
        ("3.141592653589793", "", 3.141592653589793, "java.lang.Double"),
        ("1e39", "", 1e39, "java.lang.Double"),
        ("1e-50", "", 1e-50, "java.lang.Double"),
        ("0.0", "", 0.0, "java.lang.Float"),
        ("1e400", "", Decimal("1e400"), "java.math.BigDecimal"),
        ("1.5f", "", 1.5, "java.lang.Float"),
        ("2.5d", "", 2.5, "java.lang.Double"),
        ("42", "INT", 42, "java.lang.Integer"),
        ("#ff", "INT", 255, "java.lang.Integer"),
        ("010", "INT", 8, "java.lang.Integer"),
        ("9223372036854775807", "LONG", 9223372036854775807, "java.lang.Long"),
        ("99999999999999999999", "BIGINTEGER", 99999999999999999999, "java.math.BigInteger"),
        ("3.14", "FLOAT", 3.14, "java.lang.Float"),
        ("2.5d", "DOUBLE", 2.5, "java.lang.Double"),
        ("12.30", "BIGDECIMAL", Decimal("12.30"), "java.math.BigDecimal"),
    ],
)
def test_number_parses_like_commons_number_utils(
    text: str, kind: str, expected: object, java_class: str
) -> None:
    result = typed("{{ v | number(kind) }}", v=text, kind=kind)
    assert result == expected
    assert render("{{ v | number(kind) | className }}", v=text, kind=kind) == java_class


def test_documented_number_examples() -> None:
    # Kestra's "Numbers and Collections Filters" page
    assert render('{{ "12.3" | number | className }}') == "java.lang.Float"
    big = '{{ "9223372036854775807" | number("BIGDECIMAL") | className }}'
    assert render(big) == "java.math.BigDecimal"
    assert render('{{ 3.141592653 | numberFormat("#.##") }}') == "3.14"
    assert render("{{ -7 | abs }}") == "7"


def test_abs() -> None:
    assert typed("{{ -5 | abs }}") == 5
    assert typed("{{ -2.5 | abs }}") == 2.5


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 12 | number }}", "number: can only be applied to a string, got a integer"),
        ("{{ 'abc' | number }}", "number: 'abc' is not a valid number"),
        ("{{ '1.5' | number('INT') }}", "number: '1.5' is not a valid INT"),
        ("{{ '3000000000' | number('INT') }}", "'3000000000' is not a valid INT"),
        ("{{ 'x' | number('BIGDECIMAL') }}", "'x' is not a valid BIGDECIMAL"),
        ("{{ '1' | number('SHORT') }}", "argument 'type' 'SHORT' must be one of INT, LONG"),
        ("{{ 'a' | abs }}", "abs: can only be applied to a number, got a string"),
        ("{{ 'a' | numberformat }}", "numberformat: can only be applied to a number, got a str"),
        ("{{ 1 | numberformat('abc') }}", "argument 'format' is invalid: 'abc' is not a Decimal"),
        ("{{ 1 | numberformat('0.00E0') }}", "scientific notation"),
        ("{{ 1 | numberformat('0#.#') }}", "mixes '#' after '0'"),
    ],
)
def test_number_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


@pytest.mark.parametrize(
    ("value", "pattern", "expected"),
    [
        (3.14159, "#.##", "3.14"),
        (3.1, "0.00", "3.10"),
        (1234567, "#,###", "1,234,567"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (0.5, "#.##", ".5"),
        (0.5, "0.##", "0.5"),
        (0, "#", "0"),
        (7, "000", "007"),
        (0.256, "0.0%", "25.6%"),
        (1234.5, "$#,##0.00", "$1,234.50"),
        (1234.5, "'#'0", "#1234"),
        (12, "0 'items'", "12 items"),
        (-1.5, "#.##", "-1.5"),
        (2.5, "0", "2"),
        (3.5, "0", "4"),
        (1.005, "0.00", "1.00"),
        (Decimal("1.005"), "0.00", "1.00"),
        (1234.5678, None, "1,234.568"),
        (1e20, "#,##0", "100,000,000,000,000,000,000"),
        (5, "#;(#)", "5"),
        (float("nan"), "#", "NaN"),
        (float("inf"), "#", "∞"),
        (float("-inf"), "#", "-∞"),
    ],
)
def test_numberformat_follows_decimal_format(
    value: float, pattern: str | None, expected: str
) -> None:
    args = {} if pattern is None else {"format": pattern}
    assert numbers.numberformat(value, args, FakeContext()) == expected


def test_numberformat_through_the_engine() -> None:
    assert render("{{ 3.14159 | numberformat('#.##') }}") == "3.14"
    assert render("{{ 1234567 | numberformat }}") == "1,234,567"


def test_nulls_give_null() -> None:
    ctx = FakeContext()
    assert numbers.number(None, {}, ctx) is None
    assert numbers.abs_(None, {}, ctx) is None
    assert numbers.numberformat(None, {}, ctx) is None

"""Number filters: Kestra's ``number``, Pebble's ``abs`` and ``numberformat``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.filters import numbers


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ '12' | number }}", 12),
        ("{{ '12.5' | number }}", 12.5),
        ("{{ '1e3' | number }}", 1000.0),
        ("{{ '-7' | number }}", -7),
        ("{{ '0x1F' | number }}", 31),
        ("{{ '12L' | number }}", 12),
        ("{{ '1.5f' | number }}", 1.5),
        ("{{ '42' | number('INT') }}", 42),
        ("{{ '#ff' | number('INT') }}", 255),
        ("{{ '010' | number('INT') }}", 8),
        ("{{ '9223372036854775807' | number('LONG') }}", 9223372036854775807),
        ("{{ '99999999999999999999' | number('BIGINTEGER') }}", 99999999999999999999),
        ("{{ '3.14' | number('FLOAT') }}", 3.14),
        ("{{ '2.5d' | number('DOUBLE') }}", 2.5),
        ("{{ '12.30' | number('BIGDECIMAL') }}", Decimal("12.30")),
        ("{{ -5 | abs }}", 5),
        ("{{ -2.5 | abs }}", 2.5),
    ],
)
def test_number_and_abs(source: str, expected: object) -> None:
    result = typed(source)
    assert result == expected
    assert type(result) is type(expected)


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

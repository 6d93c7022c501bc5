"""The ``is`` tests: defined, null, empty, even, odd, iterable, map, json, with ``is not``."""

from __future__ import annotations

import pytest
from pebble_support import r, t

from legato.errors import ExpressionEvaluationError
from legato.expressions.tests import TESTS


def test_the_table_holds_the_documented_tests() -> None:
    names = {"defined", "null", "empty", "even", "odd", "iterable", "map", "json"}
    assert set(TESTS.tests) == names


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("null is null", True),
        ("0 is null", False),
        ("x is defined", True),
        ("null is empty", True),
        ("'' is empty", True),
        ("'  ' is empty", True),
        ("'a' is empty", False),
        ("[] is empty", True),
        ("[0] is empty", False),
        ("{} is empty", True),
        ("{'a': 1} is empty", False),
        ("0 is empty", False),
        ("4 is even", True),
        ("3 is even", False),
        ("-3 is odd", True),
        ("4 is odd", False),
        ("[1] is iterable", True),
        ("{} is iterable", False),
        ("'abc' is iterable", False),
        ("{} is map", True),
        ("[] is map", False),
        ("'{\"a\": 1}' is json", True),
        ("'[1, 2]' is json", True),
        ("'42' is json", True),
        ("'{a: 1}' is json", False),
        ("'NaN' is json", False),
        ("{'a': 1} is json", True),
        ("[1] is json", True),
        ("1 is json", False),
        ("null is json", False),
        ("4 is not even", False),
        ("null is not null", False),
        ("'x' is not empty", True),
        ("9 is divisibleBy(3)", True),
        ("9 is not divisibleBy(divisor=2)", True),
    ],
)
def test_tests(source: str, expected: bool) -> None:
    assert t("{{ " + source + " }}", x=1) is expected


@pytest.mark.parametrize("source", ["{{ null is even }}", "{{ 1.5 is odd }}", "{{ true is even }}"])
def test_even_and_odd_need_integers(source: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match="test needs an integer"):
        r(source)


def test_test_argument_errors() -> None:
    with pytest.raises(ExpressionEvaluationError, match="Test 'null' takes at most 0 argument"):
        r("{{ 1 is null(2) }}")
    with pytest.raises(ExpressionEvaluationError, match="Test 'divisibleBy' has no argument 'x'"):
        r("{{ 1 is divisibleBy(x=2) }}")


def test_is_binds_looser_than_arithmetic() -> None:
    assert r("{{ 1 + 1 is even }}") == "true"

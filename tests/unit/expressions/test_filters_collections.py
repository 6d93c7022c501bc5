"""Collection filters against Pebble's and Kestra's documented behaviour."""

from __future__ import annotations

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.filters import collections


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ {'a': 1, 'b': 2} | keys }}", ["a", "b"]),
        ("{{ ['x', 'y', 'z'] | keys }}", [0, 1, 2]),
        ("{{ {'a': 1, 'b': 2} | values }}", [1, 2]),
        ("{{ [1, 2, 3] | first }}", 1),
        ("{{ 'Kestra' | first }}", "K"),
        ("{{ [1, 2, 3] | last }}", 3),
        ("{{ 'Kestra' | last }}", "a"),
        ("{{ [1, 2, 3] | length }}", 3),
        ("{{ 'Kestra' | length }}", 6),
        ("{{ {'a': 1} | length }}", 1),
        ("{{ null | length }}", 0),
        ("{{ 12 | length }}", 0),
        ("{{ [1, 2, 3, 4, 5] | chunk(2) }}", [[1, 2], [3, 4], [5]]),
        ("{{ [1, 2, 2, 1, 3] | distinct }}", [1, 2, 3]),
        ("{{ [1, 1.0, true, '1', 1] | distinct }}", [1, 1.0, True, "1"]),
        ("{{ [{'a': 1}, {'a': 1}] | distinct }}", [{"a": 1}]),
        ("{{ [3, 1, 3] | uniq }}", [3, 1]),
        ("{{ 'abc' | uniq }}", "abc"),
        ("{{ [[1, 2], 3, [4, [5]]] | flatten }}", [1, 2, 3, 4, [5]]),
        ("{{ [1, 2] | merge([3]) }}", [1, 2, 3]),
        ("{{ {'a': 1, 'b': 1} | merge({'b': 2}) }}", {"a": 1, "b": 2}),
        ("{{ {'a': 1} | merge(['x']) }}", {"a": 1, "x": "x"}),
        ("{{ [1] | merge({'k': 'v'}) }}", [1, {"k": "v"}]),
        ("{{ [1, 2, 3, 4] | slice(1, 3) }}", [2, 3]),
        ("{{ [1, 2, 3, 4] | slice(2) }}", [3, 4]),
        ("{{ 'Kestra' | slice(0, 3) }}", "Kes"),
        ("{{ [3, 1, 2] | sort }}", [1, 2, 3]),
        ("{{ ['b', 'c', 'a'] | rsort }}", ["c", "b", "a"]),
        ("{{ [1, 2, 3] | reverse }}", [3, 2, 1]),
        ("{{ 'abc' | reverse }}", "cba"),
        ("{{ ['a', 'b'] | join }}", "ab"),
        (
            "{{ ['a', 1, true, null, [2], {'k': 1.5}] | join(', ') }}",
            'a, 1, true, null, [2], {"k":1.5}',
        ),
    ],
)
def test_collection_filters(source: str, expected: object) -> None:
    assert typed(source) == expected


@pytest.mark.parametrize("empty", [None, "", "   ", [], {}])
def test_default_replaces_empty_values(empty: object) -> None:
    assert typed("{{ v | default('fallback') }}", v=empty) == "fallback"


@pytest.mark.parametrize("kept", [0, False, "text", [0], {"a": None}])
def test_default_keeps_non_empty_values(kept: object) -> None:
    assert typed("{{ v | default('fallback') }}", v=kept) == kept


def test_default_also_covers_undefined_variables() -> None:
    assert render("{{ missing | default('fallback') }}") == "fallback"
    assert render("{{ inputs.nope | default('x') }}", inputs={}) == "x"


def test_null_inputs() -> None:
    ctx = FakeContext()
    for name in ("keys", "values", "first", "last", "join", "chunk", "flatten", "slice",
                 "sort", "rsort", "reverse"):  # fmt: skip
        assert collections.TABLE.filters[name].fn(None, {"size": 1}, ctx) is None, name
    assert collections.distinct(None, {}, ctx) == "null"
    assert collections.uniq(None, {}, ctx) is None
    assert collections.merge(None, {"items": [1]}, ctx) == [1]
    assert collections.merge([1], {"items": None}, ctx) == [1]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 1 | keys }}", "keys: can only be applied to a map or a list, got a integer"),
        ("{{ [1] | values }}", "values: can only be applied to a map, got a list"),
        ("{{ [] | first }}", "first: the list is empty"),
        ("{{ '' | last }}", "last: the string is empty"),
        ("{{ {'a': 1} | first }}", "first: can only be applied to a list or a string, got a map"),
        ("{{ 'ab' | join }}", "join: can only be applied to a list, got a string"),
        ("{{ [1] | chunk }}", "chunk: argument 'size' is required"),
        ("{{ [1] | chunk(0) }}", "chunk: argument 'size' must be greater than 0"),
        ("{{ 'ab' | chunk(1) }}", "chunk: can only be applied to a list, got a string"),
        ("{{ 'ab' | distinct }}", "distinct: can only be applied to a list, got a string"),
        ("{{ 'ab' | flatten }}", "flatten: can only be applied to a list, got a string"),
        ("{{ 1 | merge([1]) }}", "merge: can only be applied to a map or a list, got a integer"),
        ("{{ [1] | merge(2) }}", "merge: argument 'items' must be a map or a list, got a integer"),
        ("{{ {'a': 1} | merge('x') }}", "argument 'items' must be a map or a list, got a string"),
        ("{{ 1 | slice(0) }}", "slice: can only be applied to a string or a list, got a integer"),
        ("{{ [1, 2] | slice(-1) }}", "slice: argument 'fromIndex' must be zero or more"),
        ("{{ [1, 2] | slice(0, 5) }}", "'toIndex' 5 must not exceed the input size 2"),
        ("{{ [1, 2] | slice(1, 1) }}", "'toIndex' 1 must be greater than 'fromIndex' 1"),
        ("{{ [1, 2] | slice('a') }}", "argument 'fromIndex' must be an integer, got string"),
        ("{{ [1, 'a'] | sort }}", "sort: cannot compare items of types integer, string"),
        ("{{ 'ab' | rsort }}", "rsort: can only be applied to a list, got a string"),
        ("{{ 1 | reverse }}", "reverse: can only be applied to a list or a string, got a integer"),
    ],
)
def test_collection_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_merging_two_nulls_is_an_error() -> None:
    with pytest.raises(ExpressionEvaluationError, match="merge: both the input and argument"):
        collections.merge(None, {}, FakeContext())


def test_join_and_merge_check_their_size() -> None:
    ctx = FakeContext(max_size=5)
    with pytest.raises(ExpressionEvaluationError, match="join is too big"):
        collections.join(["abc", "def"], {"separator": "-"}, ctx)
    with pytest.raises(ExpressionEvaluationError, match="merge is too big"):
        collections.merge([1, 2, 3], {"items": [4, 5, 6]}, ctx)


def test_tuples_behave_as_lists() -> None:
    ctx = FakeContext()
    assert collections.slice_((1, 2, 3), {"fromIndex": 1}, ctx) == [2, 3]
    assert collections.keys((5, 6), {}, ctx) == [0, 1]

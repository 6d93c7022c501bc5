"""Core functions: range, min, max, now, render, renderOnce, printContext, fetchContext, env."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.functions import FUNCTIONS, builtins


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ range(0, 3) }}", [0, 1, 2, 3]),
        ("{{ range(0, 10, 5) }}", [0, 5, 10]),
        ("{{ range(3, 0, -1) }}", [3, 2, 1, 0]),
        ("{{ range(5, 1) }}", []),
        ("{{ range('a', 'e', 2) }}", ["a", "c", "e"]),
        ("{{ range('c', 'a', -1) }}", ["c", "b", "a"]),
        ("{{ range(1.0, 2) }}", [1, 2]),
        ("{{ max(1, 5, 3) }}", 5),
        ("{{ min(4, 2, 8) }}", 2),
        ("{{ max('apple', 'pear') }}", "pear"),
        ("{{ min(2.5, 1) }}", 1),
        ("{{ max() }}", None),
    ],
)
def test_pebble_builtins(source: str, expected: object) -> None:
    assert typed(source) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ range(1, 'b') }}", "range: arguments 'start' and 'end' must both be integers or"),
        ("{{ range(1, 'bc') }}", "range: arguments 'start' and 'end' must be integers or one"),
        ("{{ range(1, 3, 0) }}", "range: argument 'increment' must not be 0"),
        ("{{ range(1, 3, 'x') }}", "range: argument 'increment' must be an integer, got string"),
        ("{{ max(1, 'a') }}", "max: cannot compare string with integer"),
        ("{{ range(0, 10000000) }}", "range"),
    ],
)
def test_builtin_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_range_checks_its_size_before_building_the_list() -> None:
    ctx = FakeContext(max_size=10)
    with pytest.raises(ExpressionEvaluationError, match="range is too big: 1000001"):
        builtins.range_({"start": 0, "end": 1_000_000}, ctx)


def test_min_and_max_take_many_positional_arguments() -> None:
    assert FUNCTIONS.functions["max"].arg_names[:3] == ("0", "1", "2")
    assert typed("{{ max(" + ", ".join(str(i) for i in range(40)) + ") }}") == 39


def test_now_formats_the_injected_clock() -> None:
    assert render("{{ now() }}") == "2024-01-02T03:04:05.123456Z"
    assert render("{{ now('yyyy-MM-dd') }}") == "2024-01-02"
    assert render("{{ now(timeZone='Europe/Paris') }}") == "2024-01-02T04:04:05.123456+01:00"
    ctx = FakeContext(at=datetime(2030, 6, 1, tzinfo=UTC))
    assert builtins.now({"format": "iso_local_date"}, ctx) == "2030-06-01"


def test_render_renders_a_string_again() -> None:
    source = "{{ render(template) }}"
    assert render(source, template="Hello {{ name }}", name="World") == "Hello World"
    assert render("{{ renderOnce(t) }}", t="{{ a }}", a="{{ b }}", b="deep") == "{{ b }}"
    assert render("{{ render(t) }}", t="{{ a }}", a="{{ b }}", b="deep") == "deep"
    assert render("{{ render(t, recursive=false) }}", t="{{ a }}", a="{{ b }}", b="x") == "{{ b }}"


def test_render_walks_maps_and_lists_and_keeps_other_values() -> None:
    ctx = FakeContext()
    value = {"k": ["a", 1, None], "n": True}
    assert builtins.render({"toRender": value}, ctx) == {"K": ["A", 1, None], "N": True}
    assert ctx.rendered == [("k", True), ("a", True), ("n", True)]
    assert builtins.render_once({"toRender": "x"}, ctx) == "X"
    assert ctx.rendered[-1] == ("x", False)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ render() }}", "render: argument 'toRender' is required"),
        ("{{ renderOnce() }}", "renderOnce: argument 'toRender' is required"),
        ("{{ render('x', recursive='yes') }}", "render: argument 'recursive' must be a boolean"),
    ],
)
def test_render_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_fetch_and_print_context_return_the_variables() -> None:
    assert typed("{{ fetchContext() }}", a=1, b=[2]) == {"a": 1, "b": [2]}
    assert typed("{{ printContext() }}", a=1, b=[2]) == {"a": 1, "b": [2]}
    assert render("{{ printContext() }}", a=1, b="x") == '{"a":1,"b":"x"}'


def test_env_reads_the_envs_variable_not_the_host() -> None:
    envs = {"foo": "bar", "empty": ""}
    assert render("{{ env('foo') }}", envs=envs) == "bar"
    assert render("{{ env('missing', 'dflt') }}", envs=envs) == "dflt"
    assert render("{{ env('empty', default='dflt') }}", envs=envs) == "dflt"
    assert typed("{{ env('PATH') }}") is None
    with pytest.raises(ExpressionEvaluationError, match="env: argument 'name' is required"):
        render("{{ env() }}")

"""Strict undefined, the lenient constructs (??, ???, is defined, default) and the sandbox."""

from __future__ import annotations

import pytest
from pebble_support import r, t

from legato.errors import ExpressionEvaluationError
from legato.expressions import UndefinedError

OUTPUTS = {"outputs": {"t": {"value": 1, "rows-count": 5, "items": [10, 20], "none": None}}}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ foo }}", "Variable 'foo' is not defined"),
        ("{{ outputs.x }}", "Attribute 'x' of 'outputs' does not exist (keys: t)"),
        ("{{ outputs.t.nope }}", "Attribute 'nope' of 'outputs.t' does not exist"),
        ("{{ outputs.t.items[2] }}", "Index 2 of 'outputs.t.items' is out of range (size 2)"),
        ("{{ outputs.t.items[-1] }}", "Index -1 of 'outputs.t.items' is out of range (size 2)"),
        ("{{ outputs.t.items['-3'] }}", "Index '-3' of 'outputs.t.items' is out of range"),
        ("{{ outputs.t.items['1-'] }}", "Attribute '1-' of 'outputs.t.items' does not exist"),
        ("{{ outputs.t.items['a'] }}", "Attribute 'a' of 'outputs.t.items' does not exist: a list"),
        ("{{ outputs.t.none.x }}", "Attribute 'x' of 'outputs.t.none' does not exist: "),
        ("{{ outputs.t.value.x }}", "Attribute 'x' of 'outputs.t.value' does not exist: a "),
        ("{{ {}['a'] }}", "Attribute 'a' of 'value' does not exist (keys: none)"),
        ("{{ {}[1.5] }}", "Attribute key of 'value' does not exist (keys: none)"),
        ("{{ {}[[1]] }}", "Attribute key of 'value' does not exist"),
    ],
)
def test_undefined_raises_naming_the_path(source: str, message: str) -> None:
    with pytest.raises(UndefinedError) as caught:
        r(source, **OUTPUTS)
    assert caught.value.reason.startswith(message)
    assert caught.value.line == 1
    assert isinstance(caught.value, ExpressionEvaluationError)


def test_attribute_access_forms() -> None:
    assert r("{{ outputs.t['rows-count'] }}", **OUTPUTS) == "5"
    assert r("{{ outputs['t'].value }}", **OUTPUTS) == "1"
    assert r("{{ outputs.t.items[1] }}", **OUTPUTS) == "20"
    assert r("{{ outputs.t.items.0 }}", **OUTPUTS) == "10"
    assert r("{{ outputs.t.items['1'] }}", **OUTPUTS) == "20"
    assert r("{{ m[1] }}", m={"1": "by string key"}) == "by string key"
    assert r("{{ m[1] }}", m={1: "by int key"}) == "by int key"
    assert r("{{ [5, 6][k] }}", k=1) == "6"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ foo ?? 'd' }}", "d"),
        ("{{ outputs.t.none ?? 'd' }}", "d"),
        ("{{ outputs.t.value ?? 'd' }}", "1"),
        ("{{ outputs.x.y.z ?? outputs.t.value }}", "1"),
        ("{{ foo ??? 'd' }}", "d"),
        ("{{ outputs.t.none ??? 'd' }}", ""),
        ("{{ foo ?? bar ?? 'last' }}", "last"),
        ("{{ foo is defined }}", "false"),
        ("{{ foo is not defined }}", "true"),
        ("{{ outputs.t.value is defined }}", "true"),
        ("{{ outputs.t.none is defined }}", "true"),
        ("{{ outputs.t.nope.deeper is defined }}", "false"),
        ("{{ foo | default('d') }}", "d"),
        ("{{ outputs.t.none | default('d') }}", "d"),
        ("{{ outputs.t.value | default('d') }}", "1"),
        ("{{ outputs.t.nope | default('d') | upper }}", "D"),
    ],
)
def test_lenient_constructs(source: str, expected: str) -> None:
    assert r(source, **OUTPUTS) == expected


def test_undefined_on_the_right_of_coalescing_still_raises() -> None:
    with pytest.raises(UndefinedError, match="Variable 'raise' is not defined"):
        r("{{ foo ?? raise }}")


def test_other_errors_are_not_swallowed_by_coalescing() -> None:
    with pytest.raises(ExpressionEvaluationError, match="Division by zero"):
        r("{{ (1 / 0) ?? 'd' }}")


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a'.__class__ }}",
        "{{ x.__dict__ }}",
        "{{ x.__class__.__mro__ }}",
        "{{ x['__class__'] }}",
        "{{ f.__globals__ }}",
        "{{ [].append }}",
        "{{ {}.items }}",
        "{{ 'abc'.upper }}",
        "{{ 'abc'[0] }}",
    ],
)
def test_sandbox_reaches_no_python_attribute(source: str) -> None:
    with pytest.raises(UndefinedError, match="does not exist"):
        r(source, x={"a": 1}, f={"__name__": "f"})


def test_dunder_keys_are_plain_map_keys() -> None:
    assert r("{{ x.__class__ }}", x={"__class__": "just data"}) == "just data"


def test_undefined_inside_typed_rendering() -> None:
    with pytest.raises(UndefinedError):
        t("{{ nope }}")

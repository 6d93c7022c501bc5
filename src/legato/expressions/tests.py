"""The built-in ``is`` tests: ``defined``, ``null``, ``empty``, ``even``, ``odd``, ``iterable``,
``map`` (Pebble) and ``json`` (Kestra), registered in ``TESTS``.

``defined`` needs the evaluator: ``x is defined`` evaluates ``x`` leniently and is false when it
is undefined, so the test function itself only ever sees defined values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from legato.errors import ExpressionEvaluationError
from legato.expressions.callables import Callables, CallContext
from legato.expressions.values import type_name

TESTS = Callables()


@TESTS.test("defined")
def defined(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    """Reached only for a defined value: the evaluator answers false for an undefined one."""
    return True


@TESTS.test("null")
def null(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    return value is None


@TESTS.test("empty")
def empty(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    """Null, a blank string, or an empty list or map."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


def _integer(value: Any, test: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpressionEvaluationError(
            f"The '{test}' test needs an integer but got {type_name(value)}"
        )
    return value


@TESTS.test("even")
def even(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    return _integer(value, "even") % 2 == 0


@TESTS.test("odd")
def odd(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    return _integer(value, "odd") % 2 == 1


@TESTS.test("iterable")
def iterable(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    """A list (a map is not iterable, as a Java ``Map`` is not an ``Iterable``)."""
    return isinstance(value, list | tuple)


@TESTS.test("map")
def is_map(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    return isinstance(value, dict)


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


@TESTS.test("json")
def is_json(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    """A map or list, or a string holding valid JSON."""
    if isinstance(value, dict | list | tuple):
        return True
    if not isinstance(value, str):
        return False
    try:
        json.loads(value, parse_constant=_reject_constant)
    except ValueError:
        return False
    return True

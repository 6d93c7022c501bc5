"""Argument checking and value conversion shared by the filters and functions.

Invariants: every error raised here is an ``ExpressionEvaluationError`` whose message starts with
the callable's name and names the offending argument; conversions to text and JSON are the
renderer's (``legato.expressions.values``), except that null gives ``null`` as Java's ``valueOf``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NoReturn

from legato.errors import ExpressionEvaluationError
from legato.expressions import values

_MISSING: Any = object()


def fail(name: str, message: str) -> NoReturn:
    """Raise the evaluation error of callable ``name``."""
    raise ExpressionEvaluationError(f"{name}: {message}")


#: the user-facing type name used in messages (one definition, in ``values``)
type_name = values.type_name


def arg_str(name: str, args: Mapping[str, Any], key: str, default: Any = _MISSING) -> Any:
    """The string argument ``key``; ``default`` when absent (required when no default)."""
    value = args.get(key, default)
    if value is _MISSING:
        fail(name, f"argument '{key}' is required")
    if value is not None and value is not default and not isinstance(value, str):
        fail(name, f"argument '{key}' must be a string, got {type_name(value)}")
    return value


def arg_int(name: str, args: Mapping[str, Any], key: str, default: Any = _MISSING) -> Any:
    """The integer argument ``key``; ``default`` when absent (required when no default)."""
    value = args.get(key, default)
    if value is _MISSING:
        fail(name, f"argument '{key}' is required")
    if value is default:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        fail(name, f"argument '{key}' must be an integer, got {type_name(value)}")
    if value != int(value):
        fail(name, f"argument '{key}' must be an integer, got {value}")
    return int(value)


def arg_bool(name: str, args: Mapping[str, Any], key: str, default: bool) -> bool:
    """The boolean argument ``key``, ``default`` when absent or null."""
    value = args.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        fail(name, f"argument '{key}' must be a boolean (true or false), got {type_name(value)}")
    return value


java_double = values.java_double
"""Java's ``Double.toString`` (shared with the renderer)."""

to_json = values.to_json
"""Compact Jackson-style JSON (shared with the renderer)."""


def to_text(value: Any) -> str:
    """``value`` as Java's ``String.valueOf`` gives it: the rendered text, ``null`` for null."""
    return "null" if value is None else values.stringify(value)

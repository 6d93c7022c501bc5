"""Argument checking and value conversion shared by the filters and functions.

Invariants: every error raised here is an ``ExpressionEvaluationError`` whose message starts with
the callable's name and names the offending argument; conversions to text follow Pebble's
``toString`` as Kestra renders it (maps and lists as compact JSON, ``true``/``false``, ``null``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NoReturn

from legato.errors import ExpressionEvaluationError

_MISSING: Any = object()


def fail(name: str, message: str) -> NoReturn:
    """Raise the evaluation error of callable ``name``."""
    raise ExpressionEvaluationError(f"{name}: {message}")


def type_name(value: Any) -> str:
    """The Pebble-facing type of ``value`` for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Mapping):
        return "map"
    return type(value).__name__


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


def java_double(value: float) -> str:
    """Java's ``Double.toString``: ``1.0``, ``0.001``, ``1.0E-4``, ``1.2345678E7``, ``NaN``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    mantissa = f"{text[0]}.{text[1:] or '0'}"
    return f"{'-' if sign else ''}{mantissa}E{len(text) - 1 + exponent}"


def to_text(value: Any) -> str:
    """Render ``value`` the way Kestra prints it inside a string."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, list | tuple | Mapping):
        return to_json(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def to_json(value: Any) -> str:
    """Compact JSON as Jackson writes it: no spaces, non-ASCII kept, Java number forms."""
    if value is None or isinstance(value, bool | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, Mapping):
        items = (f"{json.dumps(str(k), ensure_ascii=False)}:{to_json(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    if isinstance(value, datetime | date | time):
        return json.dumps(value.isoformat())
    if isinstance(value, timedelta):
        return java_double(value.total_seconds())
    return json.dumps(str(value), ensure_ascii=False)

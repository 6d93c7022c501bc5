"""Operators with Pebble's Java semantics (``OperatorUtils`` plus Kestra's overrides).

* Arithmetic: two ints stay a Java ``long`` (64-bit wrap-around, ``/`` truncates toward zero,
  ``%`` takes the dividend's sign, division by zero is an error); a float makes it a double
  (``x / 0.0`` is ``Infinity``); a ``Decimal`` makes it a ``BigDecimal`` (34 digits).
* ``+`` with a string on either side concatenates (``null`` is written ``null``, as
  ``String.valueOf``); list ``+`` appends (a list operand is appended item by item) and list ``-``
  removes; other non-numbers are an error.
* ``==`` compares numbers numerically and everything else by value; ``<``, ``>``… compare numbers
  and (Kestra) strings; a ``null`` operand makes a comparison false.
* ``in``/``not in`` (Kestra) compare texts: an element, map key or map value equal as text;
* ``contains`` tests list membership (all items for a list operand), map keys, or substrings.
* ``..`` is an inclusive integer (or single-character) range; an empty range when start > end.

Every failure raises ``OperatorError`` with a message; the evaluator adds the position.
"""

from __future__ import annotations

import math
from decimal import Context, Decimal, DivisionByZero, InvalidOperation
from typing import Any

from legato.expressions.values import scalar_text, to_json, type_name

_DECIMAL128 = Context(prec=34)
_LONG = 2**64
_HALF = 2**63


class OperatorError(Exception):
    """An operator got operands it cannot work with."""


def wrap(value: int) -> int:
    """Wrap ``value`` to a Java ``long`` (two's complement)."""
    if -_HALF <= value < _HALF:
        return value
    return (value + _HALF) % _LONG - _HALF


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def java_string(value: Any) -> str:
    """``String.valueOf(value)`` in Kestra's spirit: ``null`` for None, JSON for collections."""
    if value is None:
        return "null"
    text = scalar_text(value)
    return text if text is not None else to_json(value)


def _numbers(left: Any, right: Any, symbol: str) -> None:
    if not (is_number(left) and is_number(right)):
        raise OperatorError(
            f"Operator '{symbol}' needs numbers but got {type_name(left)} and {type_name(right)}"
        )


def _decimal(left: Any, right: Any, symbol: str) -> Decimal:
    a, b = Decimal(str(left)), Decimal(str(right))
    try:
        if symbol == "+":
            return _DECIMAL128.add(a, b)
        if symbol == "-":
            return _DECIMAL128.subtract(a, b)
        if symbol == "*":
            return _DECIMAL128.multiply(a, b)
        if symbol == "/":
            return _DECIMAL128.divide(a, b)
        return _DECIMAL128.remainder(a, b)
    except (DivisionByZero, InvalidOperation):
        raise OperatorError(f"Division by zero in '{symbol}'") from None


def _double(a: float, b: float, symbol: str) -> float:
    if symbol == "+":
        return a + b
    if symbol == "-":
        return a - b
    if symbol == "*":
        return a * b
    if symbol == "/":
        if b == 0:
            return (
                math.nan
                if a == 0 or a != a
                else math.copysign(math.inf, a) * (math.copysign(1.0, b))
            )
        return a / b
    if b == 0 or math.isinf(a):
        return math.nan
    return math.fmod(a, b)


def _long(a: int, b: int, symbol: str) -> int:
    if symbol == "+":
        return wrap(a + b)
    if symbol == "-":
        return wrap(a - b)
    if symbol == "*":
        return wrap(a * b)
    if b == 0:
        raise OperatorError(f"Division by zero in '{symbol}'")
    quotient = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        quotient = -quotient
    if symbol == "/":
        return wrap(quotient)
    return a - b * quotient


def arithmetic(symbol: str, left: Any, right: Any) -> Any:
    """Apply ``+ - * / %`` with Java's binary numeric promotion."""
    if symbol == "+":
        if isinstance(left, str) or isinstance(right, str):
            return java_string(left) + java_string(right)
        if isinstance(left, list):
            return left + right if isinstance(right, list) else [*left, right]
    if symbol == "-" and isinstance(left, list):
        removed = right if isinstance(right, list) else [right]
        return [item for item in left if not any(equals(item, r) for r in removed)]
    _numbers(left, right, symbol)
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        return _decimal(left, right, symbol)
    if isinstance(left, float) or isinstance(right, float):
        return _double(float(left), float(right), symbol)
    return _long(left, right, symbol)


def _unary(symbol: str, value: Any) -> Any:
    if not is_number(value):
        raise OperatorError(f"Unary '{symbol}' needs a number but got {type_name(value)}")
    return arithmetic("*", -1 if symbol == "-" else 1, value)


def negate(value: Any) -> Any:
    """Unary minus: ``-1 * value``."""
    return _unary("-", value)


def plus(value: Any) -> Any:
    """Unary plus: ``1 * value`` (so it still rejects non-numbers)."""
    return _unary("+", value)


def equals(left: Any, right: Any) -> bool:
    """Pebble's ``==``: numbers numerically, booleans only with booleans, else by value."""
    if is_number(left) and is_number(right):
        return bool(left == right)
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        if len(left) != len(right):
            return False
        return all(equals(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(equals(left[k], right[k]) for k in left)
    if is_number(left) or is_number(right):
        return False
    return bool(left == right)


def compare(symbol: str, left: Any, right: Any) -> bool:
    """``<``, ``>``, ``<=``, ``>=`` on numbers or strings; false when an operand is null."""
    if left is None or right is None:
        return False
    both_strings = isinstance(left, str) and isinstance(right, str)
    if not both_strings and not (is_number(left) and is_number(right)):
        raise OperatorError(
            f"Cannot compare {type_name(left)} and {type_name(right)} with '{symbol}'"
        )
    try:
        if symbol == "<":
            return bool(left < right)
        if symbol == ">":
            return bool(left > right)
        if symbol == "<=":
            return bool(left <= right)
        return bool(left >= right)
    except InvalidOperation:  # a Decimal NaN cannot be ordered
        return False


def contains(container: Any, item: Any) -> bool:
    """Pebble's ``contains``: list items, map keys, or substrings; null contains nothing."""
    if container is None:
        return False
    if isinstance(container, dict):
        return item in container if isinstance(item, str | int) else False
    if isinstance(container, list | tuple):
        wanted = item if isinstance(item, list | tuple) else [item]
        return all(any(equals(x, w) for x in container) for w in wanted)
    if isinstance(container, str):
        return java_string(item) in container
    raise OperatorError(f"'contains' needs a list, map or string but got {type_name(container)}")


def is_in(item: Any, container: Any) -> bool:
    """Kestra's ``in``: ``item``'s text equals the text of a list element, map key or map value.

    Null on either side is false; any other container is false.
    """
    if item is None or container is None:
        return False
    wanted = java_string(item)
    if isinstance(container, list | tuple):
        return any(java_string(x) == wanted for x in container)
    if isinstance(container, dict):
        return any(
            java_string(k) == wanted or java_string(v) == wanted for k, v in container.items()
        )
    return False


def range_of(start: Any, end: Any, limit: int) -> list[Any]:
    """``start..end`` inclusive, for integers or single characters, at most ``limit`` items."""
    if isinstance(start, str) and isinstance(end, str) and len(start) == len(end) == 1:
        return [chr(c) for c in range(ord(start), ord(end) + 1)]
    if (
        not (isinstance(start, int) and isinstance(end, int))
        or isinstance(start, bool)
        or (isinstance(end, bool))
    ):
        raise OperatorError(
            f"Range '..' needs integers but got {type_name(start)} and {type_name(end)}"
        )
    size = end - start + 1
    if size > limit:
        raise OperatorError(f"Range {start}..{end} has {size} items, more than the limit {limit}")
    return list(range(start, end + 1))

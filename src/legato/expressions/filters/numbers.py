"""Number filters: ``number``, ``abs`` and ``numberformat`` (Java ``DecimalFormat`` basics).

``number`` parses a string as Kestra does with Commons ``NumberUtils``: ``INT``/``LONG``/
``BIGINTEGER`` give integers (``0x``/``#`` hex and leading-zero octal accepted), ``FLOAT``/
``DOUBLE`` floats, ``BIGDECIMAL`` a ``Decimal``; with no type a decimal string gives a Float when
one holds it exactly, else a Double (else a BigDecimal), and an integer string an Integer, Long or
BigInteger by size (see ``javatypes`` for how ``className`` tells them apart).
``numberformat`` (also spelled ``numberFormat``) supports ``0``, ``#``, ``,``, ``.``, ``%``
and quoted or plain prefix/suffix text, rounding half-even on a float's exact binary value
as Java does; without a format it uses
the en-US default ``#,##0.###``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import arg_str, fail, type_name
from legato.expressions.filters.javatypes import (
    JavaBigInteger,
    JavaFloat,
    JavaInteger,
    fits_float32,
)

TABLE = Callables()
_INTEGER_TYPES = ("INT", "LONG", "BIGINTEGER")
_RANGES = {"INT": 2**31, "LONG": 2**63}


def _decode_integer(text: str) -> int:
    """Java's ``Integer.decode``: sign, then ``0x``/``0X``/``#`` hex, ``0`` octal or decimal."""
    match = re.fullmatch(r"([+-]?)(0[xX]|#|0(?=\d))?([0-9A-Fa-f]+)", text)
    if match is None:
        raise ValueError(text)
    sign, radix_mark, digits = match.groups()
    radix = 16 if radix_mark in ("0x", "0X", "#") else (8 if radix_mark else 10)
    number = int(digits, radix)
    return -number if sign == "-" else number


def _parse(text: str, kind: str) -> int | float | Decimal:
    if kind in _INTEGER_TYPES:
        number = _decode_integer(text)
        limit = _RANGES.get(kind)
        if limit is not None and not -limit <= number < limit:
            raise ValueError(text)
        if kind == "BIGINTEGER":
            return JavaBigInteger(number)
        return JavaInteger(number) if kind == "INT" else number
    if kind in ("FLOAT", "DOUBLE"):
        decimal = re.sub(r"[fFdD]\Z", "", text)
        return JavaFloat(decimal) if kind == "FLOAT" else float(decimal)
    if kind == "BIGDECIMAL":
        return Decimal(text)
    hexadecimal = text.lower().lstrip("+-").startswith(("0x", "#"))
    suffix = "" if hexadecimal else text[-1:].lower()  # Java's type suffixes: 1f, 1d, 1L
    if suffix in ("f", "d"):
        return JavaFloat(text[:-1]) if suffix == "f" else float(text[:-1])
    if suffix == "l":
        return _decode_integer(text[:-1])
    if not hexadecimal and re.search(r"[.eE]", text):
        return _create_decimal(text)
    number = _decode_integer(text)
    return JavaInteger(number) if -(2**31) <= number < 2**31 else number


def _create_decimal(text: str) -> float | Decimal:
    """``NumberUtils.createNumber`` for decimals: Float if exact enough, else Double, else
    BigDecimal."""
    value = float(text)
    if math.isinf(value):
        return Decimal(text)
    return JavaFloat(text) if fits_float32(value) else value


@TABLE.filter("number", "type")
def number(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if not isinstance(value, str):
        fail("number", f"can only be applied to a string, got a {type_name(value)}")
    kind = arg_str("number", args, "type", "") or ""
    known = ("", *_INTEGER_TYPES, "FLOAT", "DOUBLE", "BIGDECIMAL")
    if kind not in known:
        fail("number", f"argument 'type' '{kind}' must be one of {', '.join(known[1:])}")
    try:
        return _parse(value.strip() if kind == "" else value, kind)
    except (ValueError, InvalidOperation):
        fail("number", f"'{value}' is not a valid {kind or 'number'}")


@TABLE.filter("abs")
def abs_(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        fail("abs", f"can only be applied to a number, got a {type_name(value)}")
    return abs(value)


@dataclass(frozen=True)
class DecimalPattern:
    """The parts of a ``DecimalFormat`` pattern that matter for formatting positives."""

    prefix: str
    suffix: str
    min_integer: int
    grouping: int
    min_fraction: int
    max_fraction: int
    percent: bool


def _affix(text: str) -> str:
    return re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", text)


@lru_cache(maxsize=128)
def compile_decimal(pattern: str) -> DecimalPattern:
    """Parse the positive part of a ``DecimalFormat`` pattern; ``ValueError`` when invalid."""
    positive = pattern.split(";")[0]
    if re.search(r"E0", re.sub(r"'[^']*'", "", positive)):
        raise ValueError("scientific notation (E) is not supported")
    match = re.fullmatch(r"((?:'[^']*'|[^#0,.'])*)([#0,]*)(?:\.([0#]*))?((?:'[^']*'|[^#0,.'])*)",
                         positive)  # fmt: skip
    if match is None or not (match.group(2) or match.group(3)):
        raise ValueError(f"'{pattern}' is not a DecimalFormat pattern")
    prefix, integer, fraction, suffix = match.groups()
    fraction = fraction or ""
    if re.search("0#", fraction) or re.search("0[#,]*#", integer.replace(",", "")):
        raise ValueError(f"'{pattern}' mixes '#' after '0'")
    grouping = len(integer) - integer.rfind(",") - 1 if "," in integer else 0
    return DecimalPattern(
        prefix=_affix(prefix),
        suffix=_affix(suffix),
        min_integer=integer.count("0"),
        grouping=grouping,
        min_fraction=fraction.count("0"),
        max_fraction=len(fraction),
        percent="%" in prefix + suffix,
    )


def format_decimal(number: Decimal, spec: DecimalPattern) -> str:
    """Format ``number`` with ``spec``, rounding half-even."""
    if spec.percent:
        number *= 100
    rounded = number.quantize(Decimal(1).scaleb(-spec.max_fraction), rounding=ROUND_HALF_EVEN)
    negative = rounded < 0
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0").ljust(spec.min_fraction, "0")
    whole = whole.lstrip("0").rjust(spec.min_integer, "0")
    if spec.grouping:
        groups = [
            whole[max(i - spec.grouping, 0) : i] for i in range(len(whole), 0, -spec.grouping)
        ]
        whole = ",".join(reversed(groups))
    if not whole and not fraction:
        whole = "0"
    body = whole + ("." + fraction if fraction else "")
    return ("-" if negative else "") + spec.prefix + body + spec.suffix


@TABLE.filter("numberFormat", "format")  # the spelling Kestra's documentation uses
@TABLE.filter("numberformat", "format")
def numberformat(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        fail("numberformat", f"can only be applied to a number, got a {type_name(value)}")
    pattern = arg_str("numberformat", args, "format", None) or "#,##0.###"
    try:
        spec = compile_decimal(pattern)
    except ValueError as error:
        fail("numberformat", f"argument 'format' is invalid: {error}")
    number = Decimal(value)  # a float's exact binary value, as DecimalFormat rounds it
    if not number.is_finite():
        return "NaN" if number.is_nan() else ("-∞" if number < 0 else "∞")
    return format_decimal(number, spec)

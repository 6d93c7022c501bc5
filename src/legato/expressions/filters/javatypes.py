"""Java number types that Kestra's ``number`` filter can produce, and ``className``'s names.

Python has one ``int`` and one ``float``; Kestra's ``number`` returns ``Integer``, ``Long``,
``Float``, ``Double``, ``BigInteger`` or ``BigDecimal``, which ``className`` reports.
``JavaInteger``, ``JavaBigInteger`` and ``JavaFloat`` are plain ``int``/``float`` subclasses
carrying that distinction; arithmetic on them gives ordinary Python numbers, as Pebble's
arithmetic widens.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

LONG_RANGE = 2**63


class JavaInteger(int):
    """An ``int`` that Java holds as ``java.lang.Integer``."""


class JavaBigInteger(int):
    """An ``int`` that Java holds as ``java.math.BigInteger`` whatever its size
    (``number('BIGINTEGER')``)."""


class JavaFloat(float):
    """A ``float`` that Java holds as ``java.lang.Float`` (its decimal text kept exactly)."""


def fits_float32(value: float) -> bool:
    """Commons ``NumberUtils.createNumber``'s test: the ``Float`` prints as the ``Double`` does."""
    single = struct.unpack("f", struct.pack("f", value))[0]
    if math.isinf(single) or (single == 0.0 and value != 0.0):
        return False
    for digits in range(1, 10):
        shortest = float(f"{single:.{digits}g}")
        if struct.unpack("f", struct.pack("f", shortest))[0] == single:
            return Decimal(repr(shortest)) == Decimal(repr(value))
    return False  # pragma: no cover - nine digits always round-trip a float32


_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "java.lang.Boolean"),
    (JavaInteger, "java.lang.Integer"),
    (JavaBigInteger, "java.math.BigInteger"),
    (JavaFloat, "java.lang.Float"),
    (float, "java.lang.Double"),
    (Decimal, "java.math.BigDecimal"),
    (str, "java.lang.String"),
    (list, "java.util.ArrayList"),
    (tuple, "java.util.ArrayList"),
    (datetime, "java.time.ZonedDateTime"),
    (date, "java.time.LocalDate"),
)


def class_name(value: Any) -> str:
    """The Java class Kestra would report for ``value``."""
    if isinstance(value, Mapping):
        return "java.util.LinkedHashMap"
    if isinstance(value, int) and not isinstance(value, bool | JavaInteger | JavaBigInteger):
        return "java.lang.Long" if -LONG_RANGE <= value < LONG_RANGE else "java.math.BigInteger"
    for python_type, java_name in _NAMES:
        if isinstance(value, python_type):
            return java_name
    return "java.lang.Object"

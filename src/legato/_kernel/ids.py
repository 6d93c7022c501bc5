"""Kestra-style identifiers: 22-character base62 strings from 128 random bits.

Pure code never calls ``new_id`` directly; it receives an id source (``Callable[[], str]``) so
tests can make ids deterministic with ``sequential_ids``.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LENGTH = 22


def encode(number: int) -> str:
    """``number`` in base62, left-padded with '0' to 22 characters."""
    digits: list[str] = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits)).rjust(LENGTH, "0")


def new_id() -> str:
    """A fresh random id."""
    return encode(secrets.randbits(128))


def sequential_ids(prefix: str = "id") -> Callable[[], str]:
    """An id source yielding ``prefix0001``, ``prefix0002``… (for tests and replays)."""
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter):04d}"

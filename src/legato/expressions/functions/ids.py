"""Identifier and randomness functions: ``uuid`` (v7), ``id`` (base-62 v4), ``ksuid``,
``nanoId``, ``randomInt``, ``randomPort``.

Every random bit comes from ``CallContext.random_int`` (the environment's injected source) and
every timestamp from ``CallContext.now``, so renders are repeatable under test. ``randomPort``
draws from the ephemeral range 49152-65535 without checking that the port is free (Kestra binds
a socket to find one; expressions do no I/O).
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import arg_int, fail, type_name

TABLE = Callables()
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
NANOID_ALPHABET = BASE62 + "-_"
KSUID_EPOCH = 1_400_000_000
NANOID_MAX_LENGTH = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def random_bytes(ctx: CallContext, count: int) -> bytes:
    return bytes(ctx.random_int(0, 256) for _ in range(count))


def base62(number: int, width: int = 0) -> str:
    """``number`` in base 62 (digits, upper case, lower case), left-padded to ``width``."""
    digits: list[str] = []
    while number:
        number, digit = divmod(number, 62)
        digits.append(BASE62[digit])
    return "".join(reversed(digits)).rjust(width, "0") or "0"


def new_uuid(ctx: CallContext) -> uuid_lib.UUID:
    """A version-4 UUID from the injected random source."""
    return uuid_lib.UUID(bytes=random_bytes(ctx, 16), version=4)


def new_uuid7(ctx: CallContext) -> uuid_lib.UUID:
    """A version-7 UUID: 48 bits of Unix milliseconds, then random bits (RFC 9562)."""
    millis = (ctx.now() - EPOCH) // timedelta(milliseconds=1)
    value = (millis & (2**48 - 1)) << 80 | int.from_bytes(random_bytes(ctx, 10), "big")
    value = value & ~(0xF << 76) | (0x7 << 76)  # version 7
    value = value & ~(0x3 << 62) | (0x2 << 62)  # RFC 4122 variant
    return uuid_lib.UUID(int=value)


@TABLE.function("uuid")
def uuid(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Kestra's ``uuid()``: a time-ordered version-7 UUID (``Generators.timeBasedEpochRandom``)."""
    return str(new_uuid7(ctx))


@TABLE.function("id")
def id_(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Kestra's ``IdUtils.create`` (FriendlyId): a random v4 UUID in base 62 (up to 22 chars)."""
    return base62(new_uuid(ctx).int)


@TABLE.function("ksuid")
def ksuid(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """A K-Sortable Unique ID: 4 bytes of seconds since 2014-05-13 + 16 random bytes, base 62."""
    seconds = int(ctx.now().timestamp()) - KSUID_EPOCH
    payload = seconds.to_bytes(4, "big") + random_bytes(ctx, 16)
    return base62(int.from_bytes(payload, "big"), 27)


@TABLE.function("nanoId", "length", "alphabet")
def nano_id(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Kestra's ``nanoId``: each character is ``alphabet[random byte & (len(alphabet) - 1)]``."""
    length = args.get("length")
    length = length if isinstance(length, int) and not isinstance(length, bool) else 21
    if not 0 <= length <= NANOID_MAX_LENGTH:
        fail("nanoId", f"argument 'length' must be between 0 and {NANOID_MAX_LENGTH}, got {length}")
    alphabet = args.get("alphabet")
    alphabet = alphabet if isinstance(alphabet, str) and alphabet else NANOID_ALPHABET
    mask = len(alphabet) - 1
    return "".join(alphabet[byte & mask] for byte in random_bytes(ctx, length))


@TABLE.function("randomInt", "lower", "upper")
def random_int(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """An integer in ``[lower, upper)``; ``lower`` when both are equal."""
    for key in ("lower", "upper"):
        value = args.get(key)
        if key not in args or isinstance(value, bool) or not isinstance(value, int):
            fail("randomInt", f"argument '{key}' must be an integer, got {type_name(value)}")
    lower, upper = arg_int("randomInt", args, "lower"), arg_int("randomInt", args, "upper")
    if upper < lower:
        fail("randomInt", f"argument 'upper' {upper} is less than 'lower' {lower}")
    return lower if upper == lower else ctx.random_int(lower, upper)


@TABLE.function("randomPort")
def random_port(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return ctx.random_int(49152, 65536)

"""Hashing and encoding filters: ``sha1``, ``sha256``, ``sha512``, ``md5``, Base64 and URLs.

Hashes are lowercase hex digests of the UTF-8 text; Base64 is the standard alphabet with padding;
``urlencode``/``urldecode`` follow Java's ``URLEncoder``/``URLDecoder`` (form encoding: a space is
``+``, ``*`` is kept, ``~`` is escaped). ``null`` input gives ``null``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import fail, to_text

TABLE = Callables()


def _hash_filter(name: str, algorithm: str) -> None:
    def apply(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
        if value is None:
            return None
        return hashlib.new(algorithm, to_text(value).encode()).hexdigest()

    TABLE.filter(name)(apply)


_hash_filter("sha1", "sha1")
_hash_filter("sha256", "sha256")
_hash_filter("sha512", "sha512")
_hash_filter("md5", "md5")


@TABLE.filter("base64encode")
def base64encode(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    return base64.b64encode(to_text(value).encode()).decode("ascii")


@TABLE.filter("base64decode")
def base64decode(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    try:
        return base64.b64decode(to_text(value), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        fail("base64decode", f"the input is not valid Base64 of UTF-8 text ({error})")


@TABLE.filter("urlencode")
def urlencode(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    return quote_plus(to_text(value), safe="*").replace("~", "%7E")


@TABLE.filter("urldecode")
def urldecode(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    return unquote_plus(to_text(value), errors="strict")

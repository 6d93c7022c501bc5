"""String filters: case, trimming, substrings, prefixes, escaping, indentation, ``string``,
``condense``.

Semantics follow Pebble's core filters and Kestra's additions (Apache Commons ``StringUtils`` for
the ``substring*`` family). ``null`` input gives ``null`` unless stated; non-string input is
first rendered as text the way Kestra prints it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters import javatypes
from legato.expressions.filters._support import (
    arg_int,
    arg_str,
    fail,
    java_double,
    to_text,
    type_name,
)

TABLE = Callables()


def _text_filter(name: str, transform: Callable[[str], str]) -> None:
    def apply(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
        return None if value is None else transform(to_text(value))

    TABLE.filter(name)(apply)


def _java_trim(text: str) -> str:
    return text.strip("".join(chr(c) for c in range(33)))


def _title(text: str) -> str:
    out: list[str] = []
    start = True
    for char in text:
        out.append(char.title() if start and not char.isspace() else char)
        start = char.isspace()
    return "".join(out)


def _capitalize(text: str) -> str:
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    return text[:lead] + stripped[:1].title() + stripped[1:]


def slugify(text: str) -> str:
    """Kestra's ``Slugify.of``: ASCII word characters and single dashes, lower case."""
    dashed = re.sub(r"\s", "-", text)
    normalized = unicodedata.normalize("NFD", dashed)
    slug = re.sub(r"[^A-Za-z0-9_-]", "", normalized).replace("_", "-")
    slug = re.sub("-{2,}", "-", slug)
    slug = slug.removeprefix("-").removesuffix("-")
    return slug.lower()


_text_filter("upper", str.upper)
_text_filter("lower", str.lower)
_text_filter("title", _title)
_text_filter("capitalize", _capitalize)
_text_filter("trim", _java_trim)
_text_filter("slugify", slugify)


@TABLE.filter("abbreviate", "length")
def abbreviate(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    text = to_text(value)
    width = arg_int("abbreviate", args, "length")
    if width < 0:
        fail("abbreviate", f"argument 'length' must be zero or more, got {width}")
    if len(text) < width or len(text) <= 3:
        return text
    return text[:width] if width <= 3 else text[: width - 3] + "..."


def _separator(name: str, args: Mapping[str, Any]) -> str:
    return str(arg_str(name, args, "separator"))


@TABLE.filter("substringBefore", "separator")
def substring_before(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    text, sep = to_text(value), _separator("substringBefore", args)
    return text.partition(sep)[0] if sep else ""


@TABLE.filter("substringBeforeLast", "separator")
def substring_before_last(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    text, sep = to_text(value), _separator("substringBeforeLast", args)
    return text.rpartition(sep)[0] if sep and sep in text else text


@TABLE.filter("substringAfter", "separator")
def substring_after(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    text, sep = to_text(value), _separator("substringAfter", args)
    return text.partition(sep)[2] if text else text


@TABLE.filter("substringAfterLast", "separator")
def substring_after_last(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    text, sep = to_text(value), _separator("substringAfterLast", args)
    if not text:
        return text
    return text.rpartition(sep)[2] if sep and sep in text else ""


@TABLE.filter("startsWith", "value")
def starts_with(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    prefix = args.get("value")
    if prefix is None:
        fail("startsWith", "argument 'value' is required")
    return to_text(value).startswith(to_text(prefix))


@TABLE.filter("endsWith", "value")
def ends_with(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    suffix = args.get("value")
    if suffix is None:
        fail("endsWith", "argument 'value' is required")
    return to_text(value).endswith(to_text(suffix))


_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


@TABLE.filter("escape", "strategy")
def escape(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Pebble's ``escape`` with its default ``html`` strategy (Kestra never auto-escapes)."""
    if value is None:
        return None
    strategy = arg_str("escape", args, "strategy", "html")
    if strategy != "html":
        fail("escape", f"argument 'strategy' '{strategy}' is not supported; use 'html'")
    return "".join(_HTML.get(char, char) for char in to_text(value))


@TABLE.filter("raw")
def raw(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Pebble's ``raw``: the value unchanged (there is no auto-escaping to undo)."""
    return value


@TABLE.filter("nl2br")
def nl2br(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return None if value is None else to_text(value).replace("\n", "<br />")


_ESCAPES = {"single": ("'", "\\'"), "double": ('"', '\\"'), "shell": ("'", "'\\''")}


def deep(value: Any, transform: Callable[[str], str]) -> Any:
    """Apply ``transform`` to every leaf of maps and lists, leaves rendered as text."""
    if isinstance(value, Mapping):
        return {key: deep(item, transform) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [deep(item, transform) for item in value]
    return transform(to_text(value))


@TABLE.filter("escapeChar", "type")
def escape_char(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    kind = str(arg_str("escapeChar", args, "type")).lower()
    if kind not in _ESCAPES:
        fail("escapeChar", "argument 'type' must be 'single', 'double' or 'shell'")
    original, replacement = _ESCAPES[kind]
    return deep(value, lambda text: text.replace(original, replacement))


def _line_separator(text: str) -> str:
    for separator in ("\r\n", "\n\r", "\n", "\r"):
        if separator in text:
            return separator
    return "\n"


def _indent(name: str, value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    text = to_text(value)
    if not text:
        return text
    amount = arg_int(name, args, "amount")
    if amount < 0:
        fail(name, f"argument 'amount' must be zero or more, got {amount}")
    padding = str(arg_str(name, args, "prefix", " ")) * amount
    newline = _line_separator(text)
    if name == "nindent":
        text = newline + text
    ctx.check_size(len(text) + text.count(newline) * len(padding), name)
    return text.replace(newline, newline + padding)


@TABLE.filter("indent", "amount", "prefix")
def indent(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _indent("indent", value, args, ctx)


@TABLE.filter("nindent", "amount", "prefix")
def nindent(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _indent("nindent", value, args, ctx)


_JAVA_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


@TABLE.filter("string")
def string(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Kestra's ``string``: a number, or a numeric string normalised as ``BigDecimal``."""
    if value is None:
        return None
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        if not _JAVA_DECIMAL.fullmatch(value):
            fail("string", f"expects a number or a numeric string, got '{value}'")
        return str(Decimal(value))
    fail("string", f"expects a number or a numeric string, got a {type_name(value)}")


@TABLE.filter("condense")
def condense(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Kestra's ``condense``: the string without its line feeds; anything else is an error."""
    if not isinstance(value, str):
        fail("condense", f"can only be applied on strings, got a {type_name(value)}")
    return value.replace("\n", "")


@TABLE.filter("className")
def class_name(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """The Java class Kestra would report for ``value`` (maps are ``java.util.LinkedHashMap``)."""
    return None if value is None else javatypes.class_name(value)

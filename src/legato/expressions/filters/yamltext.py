"""YAML text for JSON-like values, shaped like Kestra's ``yaml`` filter (Jackson YAML).

Block style with two-space indentation and ``INDENT_ARRAYS`` as SnakeYAML writes it (below),
no document start marker, strings plain unless YAML would read them as something else
(``MINIMIZE_QUOTES``), then double-quoted; multi-line strings as literal blocks; dates as
Jackson writes them (``Z`` for UTC). Every document ends with a newline. Checked against
Jackson 2.17 + SnakeYAML 2.2 with Kestra's ``YamlFilter`` settings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from legato.expressions.filters._support import java_double
from legato.expressions.values import scalar_text

_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_NUMBER = re.compile(
    r"[-+]?(?:\.?\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.(?:inf|nan)|0x[0-9a-fA-F]+)"
)
_FIRST = set("-?:,[]{}#&*!|>'\"%@` \t")


def _needs_quotes(text: str) -> bool:
    return (
        not text
        or text.lower() in _RESERVED
        or _NUMBER.fullmatch(text.lower()) is not None
        or text[0] in _FIRST
        or text[-1] in " \t:"
        or ": " in text
        or " #" in text
        or any(ord(char) < 32 for char in text)
    )


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return _string(scalar_text(value) or "")
    return _string(str(value))


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) if _needs_quotes(text) else text


def _literal(text: str, indent: str) -> str:
    chomp = "-" if not text.endswith("\n") else ("+" if text.endswith("\n\n") else "")
    body = text[:-1] if text.endswith("\n") and chomp == "" else text
    lines = body.split("\n") if chomp != "+" else text[:-1].split("\n")
    return f"|{chomp}\n" + "\n".join(f"{indent}  {line}" if line else "" for line in lines)


def _is_block(value: Any) -> bool:
    return (isinstance(value, Mapping | list | tuple) and bool(value)) or (
        isinstance(value, str) and "\n" in value
    )


def _inline(value: Any, indent: str) -> str:
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    if isinstance(value, str) and "\n" in value:
        return _literal(value, indent)
    return _scalar(value)


def _lines(value: Any, indent: str) -> list[str]:
    """Block lines of a non-empty map or list whose emitter indentation is ``indent``.

    SnakeYAML with Jackson's ``INDENT_ARRAYS`` (indent 2, indicator indent 1): a ``-`` is
    written one space past its sequence's indentation; a sequence that is a map value keeps
    the map's indentation; a non-empty collection inside a sequence starts on the line after
    its ``-``, two spaces deeper.
    """
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            head = f"{indent}{_string(str(key))}:"
            if isinstance(item, Mapping) and item:
                lines.append(head)
                lines.extend(_lines(item, indent + "  "))
            elif isinstance(item, list | tuple) and item:
                lines.append(head)
                lines.extend(_lines(item, indent))
            else:
                lines.append(f"{head} {_inline(item, indent)}")
        return lines
    for item in value:
        if isinstance(item, Mapping | list | tuple) and item:
            lines.append(f"{indent} -")
            lines.extend(_lines(item, indent + "  "))
        else:
            lines.append(f"{indent} - {_inline(item, indent)}")
    return lines


def to_yaml(value: Any) -> str:
    """The YAML document of ``value``."""
    if not _is_block(value) or isinstance(value, str):
        return _inline(value, "") + "\n"
    return "\n".join(_lines(value, "")) + "\n"

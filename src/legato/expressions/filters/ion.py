"""Amazon Ion text for JSON-like values: writing (``toIon``) and reading (``fromIon``).

The writer emits the compact form Jackson's Ion mapper produces: structs ``{a:1,'b c':"x"}`` with
field names as symbols (quoted when not identifiers), floats with an exponent (``1.5e0``),
``Decimal`` as Ion decimals, datetimes as Ion timestamps, ``bytes`` as blobs (``{{base64}}``, as
Jackson writes ``byte[]``). The reader accepts the Ion text subset such data uses: null (typed
nulls too), booleans, ints (``_`` separators, hex, binary), decimals (``1.5``, ``1d2``), floats,
strings (short and long), symbols, timestamps, blobs (read as ``bytes``), lists, s-expressions,
structs, annotations (dropped) and comments. Clobs are refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from legato.expressions.filters._support import java_double
from legato.expressions.filters.dateformats import parse_iso

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_KEYWORDS = {"null", "true", "false", "nan"}


def _symbol(name: str) -> str:
    if _IDENTIFIER.fullmatch(name) and name not in _KEYWORDS:
        return name
    return "'" + json.dumps(name, ensure_ascii=False)[1:-1].replace("'", "\\'") + "'"


def _float(value: float) -> str:
    text = java_double(value)
    if text in ("NaN", "Infinity", "-Infinity"):
        return {"NaN": "nan", "Infinity": "+inf", "-Infinity": "-inf"}[text]
    text = text.replace("E", "e")
    return text if "e" in text else text + "e0"


def _timestamp(value: date) -> str:
    if not isinstance(value, datetime):
        return value.isoformat() + "T"
    text = value.isoformat()
    return text.replace("+00:00", "Z") if value.tzinfo else text + "-00:00"


def to_ion(value: Any) -> str:
    """Ion text of ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, Decimal):
        text = str(value).replace("E", "d")
        return text if "." in text or "d" in text else text + "."
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes):
        return "{{" + base64.b64encode(value).decode("ascii") + "}}"
    if isinstance(value, date):
        return _timestamp(value)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_symbol(str(k))}:{to_ion(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_ion(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


_TOKEN = re.compile(
    r"""
    (?P<space>(?:\s+|//[^\n]*|/\*.*?\*/)+)
  | (?P<blob>\{\{[A-Za-z0-9+/=\s]*\}\})
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<qsymbol>'(?:[^'\\]|\\.)*')
  | (?P<timestamp>\d{4}(?:-\d{2}(?:-\d{2})?)?T[0-9:.+\-Z]*|\d{4}-\d{2}-\d{2}(?![\d]))
  | (?P<number>[+-]inf|[+-]?(?:0[xX][0-9A-Fa-f_]+|0[bB][01_]+
       |\d[\d_]*(?:\.[\d_]*)?(?:[eEdD][+-]?\d+)?|\.\d+(?:[eEdD][+-]?\d+)?))
  | (?P<symbol>[A-Za-z_$][A-Za-z0-9_$.]*)
  | (?P<annotation>::)
  | (?P<punct>\{\{|[{}\[\](),:])
  | (?P<operator>[!#%&*+\-./;<=>?@^`|~]+)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ValueError(f"unexpected character {text[position]!r} at offset {position}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append((kind, match.group()))
        position = match.end()
    return tokens


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|\n|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "xuU" and len(code) > 1:
        return chr(int(code[1:], 16))
    if code == "\n":
        return ""
    return _SIMPLE.get(code, code)


def _unquote(body: str) -> str:
    return _ESCAPE.sub(_unescape, body)


def _number(text: str) -> int | float | Decimal:
    if text in ("+inf", "-inf"):
        return float(text)
    clean = text.replace("_", "")
    lowered = clean.lower()
    if lowered.lstrip("+-").startswith(("0x", "0b")):
        return int(clean, 0)
    if "e" in lowered:
        return float(clean)
    if "." in clean or "d" in lowered:
        return Decimal(lowered.replace("d", "e"))
    return int(clean)


def _blob(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text[2:-2].split()), validate=True)
    except binascii.Error as error:
        raise ValueError(f"invalid blob {text!r}: {error}") from None


def _atom(kind: str, text: str) -> Any:
    if kind == "blob":
        return _blob(text)
    if kind == "long":
        return _unquote(text[3:-3])
    if kind == "string":
        return _unquote(text[1:-1])
    if kind == "qsymbol":
        return _unquote(text[1:-1])
    if kind == "number":
        return _number(text)
    if kind == "timestamp":
        stamp = text.rstrip("T")
        if len(stamp) == 10:
            return date.fromisoformat(stamp)
        parsed = parse_iso(stamp.replace("-00:00", ""))
        return datetime.combine(parsed.day, parsed.clock or datetime.min.time(), parsed.zone)
    constants = {"null": None, "true": True, "false": False, "nan": float("nan")}
    if kind == "symbol" and text.split(".")[0] in constants:
        return constants[text.split(".")[0]]
    if kind in ("symbol", "operator"):
        return text
    raise ValueError(f"unexpected '{text}'")


class _Reader:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def more(self) -> bool:
        return self.index < len(self.tokens)

    def _next(self) -> tuple[str, str]:
        if not self.more():
            raise ValueError("unexpected end of Ion text")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _peek(self) -> str:
        return self.tokens[self.index][1] if self.more() else ""

    def value(self) -> Any:
        kind, text = self._next()
        while self._peek() == "::":  # annotation: drop it
            self.index += 1
            kind, text = self._next()
        if text == "{{":
            raise ValueError("clobs are not supported")
        if text in ("[", "("):
            return self._sequence("]" if text == "[" else ")", text == "[")
        if text == "{":
            return self._struct()
        return _atom(kind, text)

    def _sequence(self, close: str, commas: bool) -> list[Any]:
        items: list[Any] = []
        while self._peek() != close:
            items.append(self.value())
            if commas and self._peek() == ",":
                self.index += 1
        self.index += 1
        return items

    def _struct(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while self._peek() != "}":
            kind, name = self._next()
            if kind not in ("symbol", "qsymbol", "string", "long") or self._next()[1] != ":":
                raise ValueError(f"expected a field name and ':' in a struct, got '{name}'")
            result[str(_atom("symbol" if kind == "symbol" else kind, name))] = self.value()
            if self._peek() == ",":
                self.index += 1
        self.index += 1
        return result


def from_ion(text: str) -> list[Any]:
    """Every top-level value of Ion ``text``; ``ValueError`` explains bad input."""
    reader = _Reader(text)
    values: list[Any] = []
    while reader.more():
        value = reader.value()
        if value != "$ion_1_0":  # the version marker is not a value
            values.append(value)
    return values

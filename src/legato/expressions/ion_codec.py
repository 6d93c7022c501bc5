"""Amazon Ion text for JSON-like values: the one codec behind ``toIon``/``fromIon``, Ion files
(``legato.sdk.ion_files``) and the JSON writer of the serdes plugins.

Writing (``ion_text``) gives the compact text Kestra's Ion mapper writes: structs
``{a:1,'b c':"x"}`` with field names as symbols (quoted when not identifiers), floats as Java
prints them with an exponent (``1.5e0``, ``1.0e20``), ``Decimal`` as Ion decimals (``12.30``,
``1d+3``), an aware ``datetime`` as a timestamp (``Z`` for UTC), a ``date`` as a day timestamp,
a naive ``datetime`` as ``LocalDateTime::"…"``, a ``time`` as ``LocalTime::"…"``
(``OffsetTime`` when aware), bytes as a blob; any other object as the string of its ``str``.
``IonWriter`` holds one method a kind of leaf: JSON text is Ion text, so a JSON writer is an
``IonWriter`` that respells some leaves.

Reading (``parse_ion``) accepts Ion text, Ion → Python:

* ``null`` and every ``null.<type>`` → ``None``; ``bool`` → ``bool``; ``int`` (``_``, hex,
  binary) → ``int``; ``decimal`` (``1.50``, ``1d3``) → ``Decimal`` (exact, never a float);
  ``float`` (``1e0``, ``nan``, ``+inf``) → ``float``.
* ``timestamp``: day (or coarser) precision → ``date``; with a time of day → an aware
  ``datetime`` (UTC for ``Z`` and the unknown offset ``-00:00``); fractions beyond microseconds
  are truncated.
* strings annotated with a Java time type, as Kestra writes them: ``LocalDateTime::"…"`` →
  naive ``datetime``, ``LocalTime::"…"``/``OffsetTime::"…"`` → ``time``, ``LocalDate``,
  ``Instant``, ``OffsetDateTime``, ``ZonedDateTime`` likewise; other annotations are dropped.
* ``string`` and ``symbol`` → ``str`` (adjacent long strings joined); ``blob`` and ``clob`` →
  ``bytes``; ``list`` and ``sexp`` → ``list``; ``struct`` → ``dict`` (a repeated field keeps
  its last value); comments and the version marker ``$ion_1_0`` are skipped.

Streaming readers use the pieces: ``ion_tokens`` raises ``IncompleteIon`` while the text ends
inside a string or comment, ``needs_more`` tells an open bracket or a dangling annotation,
``token_values`` builds the values of complete tokens. Invariant: written text is one line
(newlines inside strings are escaped) and reads back as the same value and type.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from legato.expressions.values import java_double

# ---------------------------------------------------------------------------------------------
# Writing


_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_KEYWORDS = frozenset({"null", "true", "false", "nan"})
_JAVA_SPECIALS = {"NaN": "nan", "Infinity": "+inf", "-Infinity": "-inf"}


class IonWriter:
    """Compact text of JSON-like values, one method a kind of leaf (see the module doc)."""

    def text(self, value: Any) -> str:
        """The compact text of ``value``."""
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return self.float_text(value)
        if isinstance(value, Decimal):
            return self.decimal_text(value)
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, date):
            return self.date_text(value)
        if isinstance(value, bytes | bytearray | memoryview):
            return self.bytes_text(bytes(value))
        if isinstance(value, Mapping):
            fields = (f"{self.field_name(str(k))}:{self.text(v)}" for k, v in value.items())
            return "{" + ",".join(fields) + "}"
        if isinstance(value, list | tuple):
            return "[" + ",".join(self.text(item) for item in value) + "]"
        if isinstance(value, time):
            return self.time_text(value)
        return json.dumps(str(value), ensure_ascii=False)

    def field_name(self, name: str) -> str:
        """A struct field name: an identifier symbol, else a quoted one."""
        if _IDENTIFIER.fullmatch(name) and name not in _KEYWORDS:
            return name
        return "'" + json.dumps(name, ensure_ascii=False)[1:-1].replace("'", "\\'") + "'"

    def float_text(self, value: float) -> str:
        """Java's ``Double.toString`` with an Ion exponent; ``nan``, ``+inf``, ``-inf``."""
        text = java_double(value)
        if text in _JAVA_SPECIALS:
            return _JAVA_SPECIALS[text]
        text = text.replace("E", "e")
        return text if "e" in text else text + "e0"

    def decimal_text(self, value: Decimal) -> str:
        """An Ion decimal (``5.``, ``1d+3``); a non-finite one as a float (decimals have none)."""
        if not value.is_finite():
            return self.float_text(float(value))
        text = str(value).replace("E", "d")
        return text if "." in text or "d" in text else text + "."

    def date_text(self, value: date) -> str:
        """A timestamp (``Z`` for UTC), a naive date-time as ``LocalDateTime::"…"``."""
        text = value.isoformat()
        if not isinstance(value, datetime):
            return text
        if value.tzinfo is None:
            return 'LocalDateTime::"' + text + '"'
        return text[:-6] + "Z" if value.utcoffset() == timedelta(0) else text

    def time_text(self, value: time) -> str:
        """``LocalTime::"…"``, or ``OffsetTime::"…"`` when ``value`` has an offset."""
        kind = "LocalTime" if value.utcoffset() is None else "OffsetTime"
        return kind + '::"' + value.isoformat() + '"'

    def bytes_text(self, value: bytes) -> str:
        """A blob: ``{{base64}}``."""
        return "{{" + base64.b64encode(value).decode("ascii") + "}}"


ion_text = IonWriter().text


# ---------------------------------------------------------------------------------------------
# Tokens


Token = tuple[str, str]

_TOKEN = re.compile(
    r"""
    (?P<space>(?:\s+|//[^\n]*|/\*.*?\*/)+)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<qsymbol>'(?:[^'\\\n]|\\.)*')
  | (?P<timestamp>\d{4}T|\d{4}-\d{2}T|\d{4}-\d{2}-\d{2}(?:T(?:\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?
       (?:Z|[+-]\d{2}:\d{2}))?)?)
  | (?P<number>[+-]inf|-?(?:0[xX][0-9A-Fa-f_]+|0[bB][01_]+
       |\d[\d_]*(?:\.[\d_]*)?(?:[eEdD][+-]?\d+)?))
  | (?P<symbol>[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z]+)?)
  | (?P<annotation>::)
  | (?P<lob>\{\{)
  | (?P<open>[{\[(])
  | (?P<close>[}\])])
  | (?P<punct>[,:])
  | (?P<operator>[!#%&*+\-./;<=>?@^`|~]+)
  | (?P<error>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_UNFINISHED = ('"', "'", "/*")
_CLOB_START = re.compile(r"\s*(?:\"|\'\'\')")


class IncompleteIon(Exception):
    """The text ends inside a string, symbol, comment or lob: more text is needed."""


def ion_tokens(text: str) -> list[Token]:
    """The ``(kind, text)`` tokens of ``text`` (a blob's token is its base64 content).

    ``IncompleteIon`` when ``text`` ends inside a string, symbol, comment or lob; ``ValueError``
    for a character Ion text cannot hold.
    """
    if "{{" in text or "/*" in text:
        return _tokens_with_lobs_or_comments(text)
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):  # the fast path: every token is one regex match
        kind = match.lastgroup
        if kind == "error":
            _fail_at(text, match.start())
        if kind != "space":
            tokens.append((kind or "", match.group()))
    return tokens


def _fail_at(text: str, position: int) -> NoReturn:
    if text.startswith(_UNFINISHED, position):
        raise IncompleteIon
    raise ValueError(f"unexpected character {text[position]!r}")


def _tokens_with_lobs_or_comments(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup == "error":
            _fail_at(text, position)
        kind = match.lastgroup or ""
        if kind != "space" and text.startswith("/*", position):
            raise IncompleteIon  # a block comment not closed yet
        position = match.end()
        if kind == "lob" and not _CLOB_START.match(text, position):
            end = text.find("}}", position)
            if end < 0:
                raise IncompleteIon
            kind, position = "blob", end + 2
            tokens.append((kind, text[match.start() + 2 : end]))
        elif kind != "space":
            tokens.append((kind, match.group()))
    return tokens


def needs_more(tokens: list[Token]) -> bool:
    """True when ``tokens`` leave a bracket open or end with an annotation's ``::``."""
    depth = 0
    for kind, _ in tokens:
        if kind in ("open", "lob"):
            depth += 1 if kind == "open" else 2
        elif kind == "close":
            depth -= 1
    return depth > 0 or (bool(tokens) and tokens[-1][0] == "annotation")


# ---------------------------------------------------------------------------------------------
# Scalars


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|\r?\n|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "xuU" and len(code) > 1:
        return chr(int(code[1:], 16))
    if code in ("\n", "\r\n"):  # a line continuation
        return ""
    return _SIMPLE.get(code, code)


def unquote(body: str) -> str:
    """The text of a string or quoted symbol body: escapes decoded, line continuations joined."""
    return _ESCAPE.sub(_unescape, body)


def ion_number(text: str) -> int | float | Decimal:
    """The value of an Ion int (``_``, hex, binary), decimal (``1.50``, ``1d3``) or float."""
    if text in ("+inf", "-inf"):
        return float(text)
    clean = text.replace("_", "")
    lowered = clean.lower()
    if lowered.lstrip("-").startswith(("0x", "0b")):
        return int(clean, 0)
    if "e" in lowered:
        return float(clean)
    if "." in clean or "d" in lowered:
        return Decimal(lowered.replace("d", "e"))
    return int(clean)


_STAMP = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?T?"
    r"(?:(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d+))?)?(?P<z>Z|[+-]\d{2}:\d{2}))?"
)


def ion_timestamp(text: str) -> date:
    """An Ion timestamp: a ``date`` without a time of day, else an aware ``datetime``."""
    match = _STAMP.fullmatch(text)
    if match is None:
        raise ValueError(f"invalid timestamp '{text}'")
    day = date(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1))
    if match["H"] is None:
        return day
    micros = int((match["f"] or "0")[:6].ljust(6, "0"))
    clock = time(int(match["H"]), int(match["M"]), int(match["S"] or 0), micros)
    zone = match["z"]
    if zone in ("Z", "-00:00"):
        return datetime.combine(day, clock, UTC)
    sign = -1 if zone[0] == "-" else 1
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])) * sign
    return datetime.combine(day, clock, timezone(offset))


def _java_time(kind: str, text: str) -> Any:
    """A string Kestra annotated with its Java time type, as the Python value."""
    if kind in ("LocalTime", "OffsetTime"):
        return time.fromisoformat(text.replace("Z", "+00:00"))
    if kind == "LocalDate":
        return date.fromisoformat(text)
    zone_name = None
    if text.endswith("]"):
        text, _, zone_name = text[:-1].partition("[")
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if zone_name and moment.tzinfo is not None:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):  # else keep the offset
            moment = moment.astimezone(ZoneInfo(zone_name))
    return moment


_JAVA_TIMES = frozenset(
    {
        "Instant",
        "OffsetDateTime",
        "ZonedDateTime",
        "LocalDateTime",
        "LocalDate",
        "OffsetTime",
        "LocalTime",
    }
)
_CONSTANTS: dict[str, Any] = {"true": True, "false": False, "nan": float("nan")}


def _atom(kind: str, text: str) -> Any:
    if kind == "long":
        return unquote(text[3:-3])
    if kind in ("string", "qsymbol"):
        return unquote(text[1:-1])
    if kind == "number":
        return ion_number(text)
    if kind == "timestamp":
        return ion_timestamp(text)
    if kind == "symbol":
        if text == "null" or text.startswith("null."):
            return None
        return _CONSTANTS.get(text, text)
    if kind == "operator":
        return text
    raise ValueError(f"unexpected '{text}'")


def _blob(content: str) -> bytes:
    try:
        return base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("invalid base64 in a blob") from None


# ---------------------------------------------------------------------------------------------
# Values


_END: Token = ("end", "")


class _Parser:
    """Builds values from a complete token list."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = [*tokens, _END]  # the sentinel spares bounds checks
        self.index = 0

    def more(self) -> bool:
        return self.tokens[self.index] is not _END

    def _next(self) -> Token:
        token = self.tokens[self.index]
        if token is _END:
            raise ValueError("unexpected end of the value")
        self.index += 1
        return token

    def _peek(self) -> str:
        return self.tokens[self.index][1]

    def top_values(self) -> list[Any]:
        """Every top-level value; the version marker ``$ion_1_0`` is not one."""
        values: list[Any] = []
        while self.more():
            if self.tokens[self.index] == ("symbol", "$ion_1_0"):
                self.index += 1
                continue
            values.append(self.value())
        return values

    def value(self) -> Any:
        kind, text = self._next()
        annotation = None
        while self._peek() == "::":
            self.index += 1
            annotation = annotation or (text if kind != "qsymbol" else _atom(kind, text))
            kind, text = self._next()
        if annotation in _JAVA_TIMES and kind in ("string", "long"):
            return _java_time(annotation, _atom(kind, text))
        if kind == "blob":
            return _blob(text)
        if kind == "lob":
            return self._clob()
        if text in ("[", "("):
            return self._sequence("]" if text == "[" else ")", commas=text == "[")
        if text == "{":
            return self._struct()
        if kind == "long":
            return self._long_strings(text)
        return _atom(kind, text)  # a close, comma, colon or '::' here is an error

    def _long_strings(self, first: str) -> str:
        parts = [_atom("long", first)]
        while self.more() and self.tokens[self.index][0] == "long":
            parts.append(_atom("long", self._next()[1]))
        return "".join(parts)

    def _clob(self) -> bytes:
        parts: list[str] = []
        while self._peek() != "}":
            kind, text = self._next()
            if kind not in ("string", "long"):
                raise ValueError(f"a clob holds strings only, got '{text}'")
            parts.append(_atom(kind, text))
        self._next()
        if self._next()[1] != "}":
            raise ValueError("a clob must end with '}}'")
        return "".join(parts).encode("latin-1")

    def _sequence(self, close: str, commas: bool) -> list[Any]:
        items: list[Any] = []
        while self._peek() != close:
            items.append(self.value())
            if commas and self._peek() == ",":
                self.index += 1
            elif commas and self._peek() != close:
                raise ValueError(f"expected ',' or '{close}' in a list, got '{self._peek()}'")
        self.index += 1
        return items

    def _struct(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while self._peek() != "}":
            kind, name = self._next()
            if kind not in ("symbol", "qsymbol", "string", "long") or self._next()[1] != ":":
                raise ValueError(f"expected a field name and ':' in a struct, got '{name}'")
            key = name if kind == "symbol" else _atom(kind, name)
            result[str(key)] = self.value()
            if self._peek() == ",":
                self.index += 1
            elif self._peek() != "}":
                raise ValueError(f"expected ',' or '}}' in a struct, got '{self._peek()}'")
        self.index += 1
        return result


def token_values(tokens: list[Token]) -> list[Any]:
    """Every top-level value of ``tokens``; ``ValueError`` explains bad or incomplete ones."""
    return _Parser(tokens).top_values()


def parse_ion(text: str) -> list[Any]:
    """Every top-level value of the Ion ``text``; ``ValueError`` explains bad input."""
    try:
        tokens = ion_tokens(text)
    except IncompleteIon:
        raise ValueError("unterminated string, symbol, comment or lob") from None
    if needs_more(tokens):
        raise ValueError("unexpected end of Ion text")
    return token_values(tokens)

"""Ion text files in internal storage, streamed: rows written one value per line, values read
back one at a time without loading the file.

This is the shape of Kestra's ``.ion`` files (JDBC ``fetchType: STORE``, serdes conversions,
``FilterItems``…): Amazon Ion text, one top-level value per line. Reading accepts any Ion text:
values spanning lines, several values on a line, ``//`` and ``/* */`` comments, annotations
(dropped), the version marker ``$ion_1_0`` (skipped).

Type mapping (Ion → Python), as Kestra's Ion mapper reads and writes it:

* ``null`` and every ``null.<type>`` → ``None``; ``bool`` → ``bool``; ``int`` (``_``, hex,
  binary) → ``int``; ``decimal`` (``1.50``, ``1d3``) → ``Decimal`` (exact, never a float);
  ``float`` (``1e0``, ``nan``, ``+inf``) → ``float``.
* ``timestamp``: day (or coarser) precision → ``date``; with a time of day → an aware
  ``datetime`` (UTC for ``Z`` and the unknown offset ``-00:00``); fractions beyond microseconds
  are truncated.
* strings annotated with a Java time type, as Kestra writes them: ``LocalDateTime::"…"`` →
  naive ``datetime``, ``LocalTime::"…"``/``OffsetTime::"…"`` → ``time``, ``LocalDate``,
  ``Instant``, ``OffsetDateTime``, ``ZonedDateTime`` likewise; other annotations are dropped.
* ``string`` and ``symbol`` → ``str``; ``blob`` and ``clob`` → ``bytes``.
* ``list`` and ``sexp`` → ``list``; ``struct`` → ``dict`` (a repeated field keeps its last value).

Writing is the reverse: an aware ``datetime`` becomes a timestamp, a naive one
``LocalDateTime::"…"``, a ``time`` ``LocalTime::"…"`` (``OffsetTime`` when aware), ``bytes`` a
blob; any other object its string.

Invariants: memory holds one top-level value (plus one line of look-ahead) at a time; a reading
error is an ``IonFileError`` naming the file and the line where the faulty value starts.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from legato.errors import LegatoError


class IonFileError(LegatoError):
    """An Ion file could not be read."""


# ---------------------------------------------------------------------------------------------
# Writing


_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_KEYWORDS = frozenset({"null", "true", "false", "nan"})


def _symbol(name: str) -> str:
    if _IDENTIFIER.fullmatch(name) and name not in _KEYWORDS:
        return name
    return "'" + json.dumps(name, ensure_ascii=False)[1:-1].replace("'", "\\'") + "'"


def _float_text(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "+inf" if value > 0 else "-inf"
    text = repr(value)
    return text if "e" in text else text + "e0"


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():  # Ion decimals have no NaN or infinity
        return _float_text(float(value))
    text = str(value).replace("E", "d")
    return text if "." in text or "d" in text else text + "."


def _timestamp_text(value: date) -> str:
    if not isinstance(value, datetime):
        return value.isoformat()
    text = value.isoformat()
    if value.tzinfo is None:
        return 'LocalDateTime::"' + text + '"'
    return text[:-6] + "Z" if value.utcoffset() == timedelta(0) else text


def _time_text(value: time) -> str:
    kind = "LocalTime" if value.utcoffset() is None else "OffsetTime"
    return kind + '::"' + value.isoformat() + '"'


def ion_text(value: Any) -> str:
    """The compact Ion text of ``value`` (one line: newlines inside strings are escaped)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, date):
        return _timestamp_text(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "{{" + base64.b64encode(bytes(value)).decode("ascii") + "}}"
    if isinstance(value, Mapping):
        fields = (f"{_symbol(str(k))}:{ion_text(v)}" for k, v in value.items())
        return "{" + ",".join(fields) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(ion_text(item) for item in value) + "]"
    if isinstance(value, time):
        return _time_text(value)
    return json.dumps(value if isinstance(value, str) else str(value), ensure_ascii=False)


class IonRowWriter:
    """Writes values to a UTF-8 Ion file, one per line; ``count`` is how many were written."""

    def __init__(self, path: Path) -> None:
        self._out: IO[str] = path.open("w", encoding="utf-8", newline="\n", buffering=1 << 16)
        self.count = 0

    def write(self, value: Any) -> None:
        self._out.write(ion_text(value) + "\n")
        self.count += 1

    def write_all(self, values: Iterable[Any]) -> int:
        """Write every value; return how many."""
        for value in values:
            self.write(value)
        return self.count

    def close(self) -> None:
        self._out.close()

    def __enter__(self) -> IonRowWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def write_ion_file(path: Path, values: Iterable[Any]) -> int:
    """Write ``values`` to ``path``, one per line; return how many."""
    with IonRowWriter(path) as writer:
        return writer.write_all(values)


# ---------------------------------------------------------------------------------------------
# Tokens


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
Token = tuple[str, str]


class _Incomplete(Exception):
    """The text ends inside a value: more lines are needed."""


def _tokens(text: str) -> list[Token]:
    if "{{" in text or "/*" in text:
        return _tokens_with_lobs_or_comments(text)
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "error":
            _fail_at(text, match.start())
        if kind != "space":
            tokens.append((kind or "", match.group()))
    return tokens


def _fail_at(text: str, position: int) -> NoReturn:
    if text.startswith(_UNFINISHED, position):
        raise _Incomplete
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
            raise _Incomplete  # a block comment not closed yet
        position = match.end()
        if kind == "lob" and not _CLOB_START.match(text, position):
            end = text.find("}}", position)
            if end < 0:
                raise _Incomplete
            kind, position = "blob", end + 2
            tokens.append((kind, text[match.start() + 2 : end]))
        elif kind != "space":
            tokens.append((kind, match.group()))
    return tokens


def _needs_more(tokens: list[Token]) -> bool:
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
    if code in ("\n", "\r\n"):
        return ""
    return _SIMPLE.get(code, code)


def _unquote(body: str) -> str:
    return _ESCAPE.sub(_unescape, body)


def _number(text: str) -> int | float | Decimal:
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


def _timestamp(text: str) -> date:
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
        return _unquote(text[3:-3])
    if kind in ("string", "qsymbol"):
        return _unquote(text[1:-1])
    if kind == "number":
        return _number(text)
    if kind == "timestamp":
        return _timestamp(text)
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
        if kind in ("close", "punct", "annotation"):
            raise ValueError(f"unexpected '{text}'")
        return _atom(kind, text)

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


def parse_ion(text: str) -> list[Any]:
    """Every top-level value of the Ion ``text``; ``ValueError`` explains bad input."""
    try:
        tokens = _tokens(text)
    except _Incomplete:
        raise ValueError("unterminated string, symbol or comment") from None
    if _needs_more(tokens):
        raise ValueError("unexpected end of Ion text")
    return _Parser(tokens).top_values()


# ---------------------------------------------------------------------------------------------
# Streaming


def _continues(next_line: str) -> bool:
    """True when ``next_line`` continues the previous value (a long string or an annotation)."""
    head = next_line.lstrip()
    return head.startswith(("'''", "::"))


def iter_ion_values(path: Path, *, name: str | None = None) -> Iterator[Any]:
    """Yield the top-level values of the Ion file ``path`` in order, streaming.

    Lines are gathered until they hold complete values (balanced brackets, closed strings and
    comments, no dangling annotation) and the next line does not continue them. ``name`` is how
    errors call the file (default its path).
    """
    label = name or str(path)
    with path.open(encoding="utf-8", newline="") as reader:
        pending: list[str] = []
        tokens: list[Token] | None = None
        start = 0
        for number, line in enumerate(reader, start=1):
            if tokens is not None and not _continues(line):
                yield from _values(tokens, label, start)
                pending, tokens = [], None
            if not pending:
                if not line.strip():
                    continue
                flat = _flat_struct(line)
                if flat is not None:
                    yield flat
                    continue
                start = number
            pending.append(line)
            tokens = _complete_tokens("".join(pending), label, start)
        if pending:
            yield from _values(tokens or [], label, start, ended=tokens is None)


_FLAT_FIELD = re.compile(
    r"""\s*(?:(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)|'(?P<qname>(?:[^'\\\n]|\\.)*)')\s*:\s*
    (?:"(?P<string>(?:[^"\\\n]|\\.)*)"
      |(?P<timestamp>\d{4}-\d{2}-\d{2}(?:T(?:\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?
         (?:Z|[+-]\d{2}:\d{2}))?)?)
      |(?P<number>-?\d[\d_]*(?:\.[\d_]*)?(?:[eEdD][+-]?\d+)?)
      |(?P<word>null(?:\.[a-z]+)?|true|false))
    \s*(?P<end>[,}])""",
    re.VERBOSE,
)
_WORDS: dict[str, Any] = {"true": True, "false": False}


def _flat_struct(line: str) -> dict[str, Any] | None:
    """The struct on ``line`` when it is a flat one of plain scalars (the common row shape),
    parsed in one pass; None sends the line to the general parser."""
    text = line.strip()
    if not text.startswith("{") or "::" in text:
        return None
    if text == "{}":
        return {}
    row: dict[str, Any] = {}
    position, end = 1, len(text)
    while position < end:
        match = _FLAT_FIELD.match(text, position)
        if match is None:
            return None
        name = match["name"] or _unquote(match["qname"] or "")
        if match["string"] is not None:
            body = match["string"]
            row[name] = _unquote(body) if "\\" in body else body
        elif match["timestamp"] is not None:
            row[name] = _timestamp(match["timestamp"])
        elif match["number"] is not None:
            row[name] = _number(match["number"])
        else:
            row[name] = _WORDS.get(match["word"])
        position = match.end()
        if match["end"] == "}":
            return row if position == end else None
    return None


def _complete_tokens(text: str, label: str, line: int) -> list[Token] | None:
    """The tokens of ``text`` when it holds complete values, else None (more lines needed)."""
    try:
        tokens = _tokens(text)
    except _Incomplete:
        return None
    except ValueError as error:
        raise _file_error(label, line, error) from None
    return None if _needs_more(tokens) else tokens


def _values(tokens: list[Token], label: str, line: int, *, ended: bool = False) -> list[Any]:
    try:
        if ended:
            raise ValueError("the file ends inside a value (unclosed bracket, string or comment)")
        return _Parser(tokens).top_values()
    except (ValueError, ArithmeticError) as error:
        raise _file_error(label, line, error) from None


def _file_error(label: str, line: int, error: Exception) -> IonFileError:
    return IonFileError(
        f"Invalid Ion in '{label}' at line {line}: {error}. The file must hold Amazon Ion text "
        "(one value per line, as Kestra's .ion files): check the task that produced it"
    )

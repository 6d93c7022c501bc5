"""Ion text files in internal storage, streamed: rows written one value per line, values read
back one at a time without loading the file.

This is the shape of Kestra's ``.ion`` files (JDBC ``fetchType: STORE``, serdes conversions,
``FilterItems``…): Amazon Ion text, one top-level value per line. Reading accepts any Ion text:
values spanning lines, several values on a line, ``//`` and ``/* */`` comments, annotations
(dropped), the version marker ``$ion_1_0`` (skipped).

Values and their types are those of the shared Ion codec, ``legato.expressions.ion_codec``
(Kestra's Ion mapper: decimals stay ``Decimal``, timestamps become ``date``/aware ``datetime``,
Java-time annotated strings their Python times, blobs and clobs ``bytes``); this module adds the
files: line gathering, a one-pass fast path for flat rows of plain scalars (the common row
shape, same result as the codec), and errors naming the file and line.

Invariants: memory holds one top-level value (plus one line of look-ahead) at a time; a reading
error is an ``IonFileError`` naming the file and the line where the faulty value starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from legato.errors import LegatoError
from legato.expressions.ion_codec import (
    IncompleteIon,
    Token,
    ion_number,
    ion_text,
    ion_timestamp,
    ion_tokens,
    needs_more,
    token_values,
    unquote,
)


class IonFileError(LegatoError):
    """An Ion file could not be read."""


# ---------------------------------------------------------------------------------------------
# Writing


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
        name = match["name"] or unquote(match["qname"] or "")
        if match["string"] is not None:
            body = match["string"]
            row[name] = unquote(body) if "\\" in body else body
        elif match["timestamp"] is not None:
            row[name] = ion_timestamp(match["timestamp"])
        elif match["number"] is not None:
            row[name] = ion_number(match["number"])
        else:
            row[name] = _WORDS.get(match["word"])
        position = match.end()
        if match["end"] == "}":
            return row if position == end else None
    return None


def _complete_tokens(text: str, label: str, line: int) -> list[Token] | None:
    """The tokens of ``text`` when it holds complete values, else None (more lines needed)."""
    try:
        tokens = ion_tokens(text)
    except IncompleteIon:
        return None
    except ValueError as error:
        raise _file_error(label, line, error) from None
    return None if needs_more(tokens) else tokens


def _values(tokens: list[Token], label: str, line: int, *, ended: bool = False) -> list[Any]:
    try:
        if ended:
            raise ValueError("the file ends inside a value (unclosed bracket, string or comment)")
        return token_values(tokens)
    except (ValueError, ArithmeticError) as error:
        raise _file_error(label, line, error) from None


def _file_error(label: str, line: int, error: Exception) -> IonFileError:
    return IonFileError(
        f"Invalid Ion in '{label}' at line {line}: {error}. The file must hold Amazon Ion text "
        "(one value per line, as Kestra's .ion files): check the task that produced it"
    )

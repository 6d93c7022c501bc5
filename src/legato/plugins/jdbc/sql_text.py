"""SQL text seen as code, quoted text and comments: statement splitting and ``:name`` binding.

The scanner knows single-quoted strings (``''`` doubles a quote; ``E'…'`` strings also take
backslash escapes), double-quoted and backtick-quoted identifiers, dollar-quoted strings
(``$$…$$``, ``$tag$…$tag$``), ``--`` line comments and ``/* … */`` block comments (nested, as in
PostgreSQL). An unterminated quote or comment runs to the end of the text.

Invariants:

* ``split_statements`` splits only on ``;`` in code, trims each statement and drops those made
  of nothing but blanks and comments.
* ``bind_named`` replaces ``:name`` placeholders in code only, never inside quotes or comments,
  never a ``::`` cast or a ``:`` preceded by a word character (``arr[1:n]``, ``a:b``); each
  occurrence becomes one driver placeholder and one value, in order. A placeholder whose name is
  not in the parameters raises ``MissingParameterError`` with the name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["code", "quoted", "comment"]

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_PLACEHOLDER = re.compile(r"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)")


class MissingParameterError(KeyError):
    """The SQL has a ``:name`` placeholder that the parameters do not give (``args[0]``)."""


@dataclass(frozen=True)
class Piece:
    """A run of SQL text of one kind."""

    kind: Kind
    text: str


def scan(sql: str) -> Iterator[Piece]:
    """The pieces of ``sql``, in order; joined back they give ``sql`` unchanged."""
    start = code_start = 0
    length = len(sql)
    while start < length:
        end = _special_end(sql, start)
        if end is None:
            start += 1
            continue
        if code_start < start:
            yield Piece("code", sql[code_start:start])
        kind: Kind = "comment" if sql[start] in "-/" else "quoted"
        yield Piece(kind, sql[start:end])
        start = code_start = end
    if code_start < length:
        yield Piece("code", sql[code_start:])


def _special_end(sql: str, i: int) -> int | None:
    """Where the quote or comment starting at ``i`` ends; None when none starts there."""
    char = sql[i]
    pair = sql[i : i + 2]
    if pair == "--":
        newline = sql.find("\n", i)
        return len(sql) if newline < 0 else newline + 1
    if pair == "/*":
        return _block_comment_end(sql, i)
    if char == "'":
        escapes = i > 0 and sql[i - 1] in "eE" and (i < 2 or not _is_word(sql[i - 2]))
        return _quoted_end(sql, i, "'", backslash=escapes)
    if char in '"`':
        return _quoted_end(sql, i, char, backslash=False)
    if char == "$" and (i == 0 or not _is_word(sql[i - 1])):
        tag = _DOLLAR_TAG.match(sql, i)
        if tag:
            close = sql.find(tag.group(), tag.end())
            return len(sql) if close < 0 else close + len(tag.group())
    return None


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _quoted_end(sql: str, i: int, quote: str, *, backslash: bool) -> int:
    j = i + 1
    while j < len(sql):
        if backslash and sql[j] == "\\":
            j += 2
            continue
        if sql[j] == quote:
            if sql[j + 1 : j + 2] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return len(sql)


def _block_comment_end(sql: str, i: int) -> int:
    depth = 0
    j = i
    while j < len(sql):
        pair = sql[j : j + 2]
        if pair == "/*":
            depth += 1
            j += 2
        elif pair == "*/":
            depth -= 1
            j += 2
            if depth == 0:
                return j
        else:
            j += 1
    return len(sql)


def split_statements(sql: str) -> list[str]:
    """The ``;``-separated statements of ``sql`` (see the module invariants)."""
    statements: list[str] = []
    current: list[Piece] = []
    for piece in scan(sql):
        if piece.kind != "code" or ";" not in piece.text:
            current.append(piece)
            continue
        parts = piece.text.split(";")
        for part in parts[:-1]:
            current.append(Piece("code", part))
            _keep(statements, current)
            current = []
        current.append(Piece("code", parts[-1]))
    _keep(statements, current)
    return statements


def _keep(statements: list[str], pieces: list[Piece]) -> None:
    if any(p.kind == "quoted" or (p.kind == "code" and p.text.strip()) for p in pieces):
        statements.append("".join(p.text for p in pieces).strip())


def placeholder_names(sql: str) -> list[str]:
    """The ``:name`` placeholders of ``sql``, in order of appearance (repeats included)."""
    return [
        match.group(1)
        for piece in scan(sql)
        if piece.kind == "code"
        for match in _PLACEHOLDER.finditer(piece.text)
    ]


def bind_named(
    sql: str,
    parameters: Mapping[str, Any],
    placeholder: Callable[[int], str],
    *,
    escape_percent: bool = False,
) -> tuple[str, list[Any]]:
    """``sql`` with each ``:name`` replaced by ``placeholder(index)`` and the values to bind.

    ``escape_percent`` doubles every literal ``%`` (drivers using ``%s`` placeholders need it).
    """
    values: list[Any] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in parameters:
            raise MissingParameterError(name)
        values.append(parameters[name])
        return placeholder(len(values) - 1)

    out: list[str] = []
    for piece in scan(sql):
        text = piece.text.replace("%", "%%") if escape_percent else piece.text
        out.append(_PLACEHOLDER.sub(replace, text) if piece.kind == "code" else text)
    return "".join(out), values


def trimmed(statement: str, limit: int = 300) -> str:
    """``statement`` on one line (blanks collapsed), cut to ``limit`` characters, for messages."""
    flat = " ".join(statement.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

"""Lexer: turn Pebble template text into a flat list of tokens.

Responsibility: split text from markup (``{{ }}``, ``{% %}``, ``{# #}``), apply whitespace
control (``{{-`` trims the text before, ``-}}`` the text after), keep ``{% raw %}`` and
``{% verbatim %}`` blocks literal (the dashes of a ``raw`` block trim nothing: Kestra cuts those
blocks out before Pebble renders), and tokenize the expressions between delimiters as Pebble's
``LexerImpl`` does: operators first (longest first; word operators must not be followed by a
word character), then names, numbers, punctuation and strings.

Invariants:

* every token carries the 1-based line and column of its first character;
* a double-quoted string holding ``#{...}`` becomes one ``ISTRING`` token whose value is a list of
  parts, each a literal ``str`` or the token list of an interpolated expression (ending in EOF);
* string escapes are Pebble's: only ``\\'`` (``\\"`` in double quotes) and ``\\\\`` are unescaped;
* any malformed input raises ``ExpressionSyntaxError`` with the position of the problem.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from legato.errors import ExpressionSyntaxError

TEXT = "TEXT"
PRINT_START = "PRINT_START"
PRINT_END = "PRINT_END"
EXECUTE_START = "EXECUTE_START"
EXECUTE_END = "EXECUTE_END"
NAME = "NAME"
INT = "INT"
FLOAT = "FLOAT"
STRING = "STRING"
ISTRING = "ISTRING"
OPERATOR = "OPERATOR"
PUNCT = "PUNCT"
EOF = "EOF"

OPERATORS = (
    "???", "??", "is not", "not in", "isNotIn", "isIn", "in", "contains", "equals", "and", "or",
    "not", "is",
    "==", "!=", ">=", "<=", ">", "<", "+", "-", "*", "/", "%", "|", "~", "..",
)  # fmt: skip

_START = re.compile(r"\{\{|\{%|\{#")
_OPERATOR = re.compile(
    "|".join(
        re.escape(op) + (r"(?![\w$])" if op[-1].isalpha() else "")
        for op in sorted(OPERATORS, key=len, reverse=True)
    )
)
_NAME = re.compile(r"(?:[^\W\d]|\$)(?:\w|\$)*")
_NUMBER = re.compile(r"\d+(\.\d+)?")
_SINGLE = re.compile(r"'((?:[^'\\]|\\.)*)'", re.DOTALL)
_DOUBLE_PLAIN = re.compile(r'"((?:[^"\\#]|\\.|#(?!\{))*)"', re.DOTALL)
_RAW_START = re.compile(r"-?\s*(raw|verbatim)\s*(-?)%\}")
_WS = re.compile(r"\s*")
_PUNCTUATION = "()[]{}?:.,="
_PAIRS = {"(": ")", "[": "]", "{": "}"}
MAX_INTERPOLATION_DEPTH = 20


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (a module constant), value, and 1-based position."""

    kind: str
    value: Any
    line: int
    column: int


def unescape(body: str, quote: str) -> str:
    """Undo Pebble's string escapes: the quote character and the backslash."""
    return re.sub(r"\\([\\" + quote + "])", r"\1", body)


class Lexer:
    """Tokenizes one template source; create one per source and call ``tokenize``."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens: list[Token] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self._trim_next = False
        self._depth = 0

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of character ``offset``."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def error(self, message: str, offset: int) -> ExpressionSyntaxError:
        line, column = self.position(offset)
        return ExpressionSyntaxError(message, line=line, column=column, source=self.source)

    def _push(self, kind: str, value: Any, offset: int) -> None:
        line, column = self.position(offset)
        self.tokens.append(Token(kind, value, line, column))

    def tokenize(self) -> list[Token]:
        """Tokenize the whole source, ending with an EOF token."""
        pos, end = 0, len(self.source)
        while pos < end:
            pos = self._data(pos)
        self._push(EOF, None, end)
        return self.tokens

    def _text(self, text: str, offset: int, trim_right: bool) -> None:
        if self._trim_next:
            stripped = text.lstrip()
            offset += len(text) - len(stripped)
            text = stripped
            self._trim_next = False
        if trim_right:
            text = text.rstrip()
        if text:
            self._push(TEXT, text, offset)

    def _data(self, pos: int) -> int:
        source = self.source
        match = _START.search(source, pos)
        if match is None:
            self._text(source[pos:], pos, False)
            return len(source)
        start, after = match.start(), match.end()
        trim = source.startswith("-", after)
        delimiter = match.group()
        if delimiter == "{%":
            raw = _RAW_START.match(source, after)
            if raw is not None:
                # Kestra cuts {% raw %} blocks out before Pebble sees the template, so their
                # whitespace-control dashes trim nothing (PebbleVariableRendererTest.raw)
                self._text(source[pos:start], pos, trim and raw.group(1) != "raw")
                return self._raw(raw, start)
        self._text(source[pos:start], pos, trim)
        if trim:
            after += 1
        if delimiter == "{#":
            return self._comment(start, after)
        if delimiter == "{{":
            self._push(PRINT_START, "{{", start)
            return self._expression(after, "}}", PRINT_END, start)
        self._push(EXECUTE_START, "{%", start)
        return self._expression(after, "%}", EXECUTE_END, start)

    def _comment(self, start: int, after: int) -> int:
        close = self.source.find("#}", after)
        if close < 0:
            raise self.error("Unclosed comment: add '#}'", start)
        if close > after and self.source[close - 1] == "-":
            self._trim_next = True
        return close + 2

    def _raw(self, raw: re.Match[str], start: int) -> int:
        word = raw.group(1)
        end_re = re.compile(r"\{%(-?)\s*end" + word + r"\s*(-?)%\}")
        close = end_re.search(self.source, raw.end())
        if close is None:
            raise self.error(f"Unclosed '{word}' block: add '{{% end{word} %}}'", start)
        text = self.source[raw.end() : close.start()]
        trims = word != "raw"
        if trims and raw.group(2):
            text = text.lstrip()
        if trims and close.group(1):
            text = text.rstrip()
        if text:
            self._push(TEXT, text, raw.end())
        self._trim_next = trims and bool(close.group(2))
        return close.end()

    def _expression(self, pos: int, close: str, end_kind: str, opened: int) -> int:
        """Tokenize up to the closing delimiter ``close``; return the offset after it."""
        source = self.source
        brackets: list[tuple[str, int]] = []
        while True:
            pos = _WS.match(source, pos).end()  # type: ignore[union-attr]
            if pos >= len(source):
                if brackets:
                    bracket, where = brackets[-1]
                    raise self.error(f"Unclosed '{bracket}': add '{_PAIRS[bracket]}'", where)
                raise self.error(f"Unclosed tag: expected '{close}'", opened)
            if not brackets:
                if source.startswith(close, pos):
                    self._push(end_kind, close, pos)
                    return pos + len(close)
                if end_kind != EOF and source.startswith("-" + close, pos):
                    self._push(end_kind, close, pos)
                    self._trim_next = True
                    return pos + 1 + len(close)
            pos = self._token(pos, brackets)

    def _token(self, pos: int, brackets: list[tuple[str, int]]) -> int:
        source = self.source
        match = _OPERATOR.match(source, pos)
        if match is not None:
            self._push(OPERATOR, match.group(), pos)
            return match.end()
        match = _NAME.match(source, pos)
        if match is not None:
            self._push(NAME, match.group(), pos)
            return match.end()
        match = _NUMBER.match(source, pos)
        if match is not None:
            self._number(match, pos)
            return match.end()
        char = source[pos]
        if char in _PUNCTUATION:
            self._punctuation(char, pos, brackets)
            return pos + 1
        if char == "'":
            return self._single(pos)
        if char == '"':
            return self._double(pos)
        raise self.error(f"Unexpected character '{char}'", pos)

    def _number(self, match: re.Match[str], pos: int) -> None:
        if match.group(1):
            self._push(FLOAT, float(match.group()), pos)
            return
        value = int(match.group())
        if value > 2**63 - 1:
            raise self.error(f"Number {match.group()} is too large for a long", pos)
        self._push(INT, value, pos)

    def _punctuation(self, char: str, pos: int, brackets: list[tuple[str, int]]) -> None:
        if char in _PAIRS:
            brackets.append((char, pos))
        elif char in ")]}":
            if not brackets:
                raise self.error(f"Unexpected '{char}'", pos)
            opening, _ = brackets.pop()
            if _PAIRS[opening] != char:
                raise self.error(f"Unclosed '{opening}': expected '{_PAIRS[opening]}'", pos)
        self._push(PUNCT, char, pos)

    def _single(self, pos: int) -> int:
        match = _SINGLE.match(self.source, pos)
        if match is None:
            raise self.error("Unclosed string: add a closing '", pos)
        self._push(STRING, unescape(match.group(1), "'"), pos)
        return match.end()

    def _double(self, pos: int) -> int:
        match = _DOUBLE_PLAIN.match(self.source, pos)
        if match is not None:
            self._push(STRING, unescape(match.group(1), '"'), pos)
            return match.end()
        return self._interpolated(pos)

    def _interpolated(self, pos: int) -> int:
        """Lex ``"text #{expr} text"`` into an ISTRING token of literal and token-list parts."""
        source, start = self.source, pos
        parts: list[str | list[Token]] = []
        literal: list[str] = []
        pos += 1
        while True:
            if pos >= len(source):
                raise self.error('Unclosed string: add a closing "', start)
            char = source[pos]
            if char == "\\" and pos + 1 < len(source) and source[pos + 1] in '\\"':
                literal.append(source[pos + 1])
                pos += 2
            elif char == '"':
                break
            elif source.startswith("#{", pos):
                if literal:
                    parts.append("".join(literal))
                    literal = []
                tokens, pos = self._sub_expression(pos + 2, start)
                parts.append(tokens)
            else:
                literal.append(char)
                pos += 1
        if literal:
            parts.append("".join(literal))
        self._push(ISTRING, parts, start)
        return pos + 1

    def _sub_expression(self, pos: int, start: int) -> tuple[list[Token], int]:
        if self._depth >= MAX_INTERPOLATION_DEPTH:
            raise self.error("String interpolation is nested too deeply", start)
        saved, self.tokens = self.tokens, []
        self._depth += 1
        try:
            end = self._expression(pos, "}", EOF, start)
        finally:
            self._depth -= 1
            tokens, self.tokens = self.tokens, saved
        return tokens, end


def tokenize(source: str) -> list[Token]:
    """Tokenize ``source``; raises ``ExpressionSyntaxError`` on malformed markup."""
    return Lexer(source).tokenize()

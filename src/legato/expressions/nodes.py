"""AST nodes of a parsed Pebble template: plain frozen data, no behaviour.

Expression nodes (``Expr`` subclasses) compute a value; statement nodes (``Stmt`` subclasses) write
output. Every node carries the 1-based ``line`` and ``column`` where it starts, so evaluation
errors can point at it. The evaluator compiles these nodes into closures; the parser is the only
producer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Node:
    line: int
    column: int


class Expr(Node):
    """An expression."""

    __slots__ = ()


class Stmt(Node):
    """A statement: text, a print, or a tag."""

    __slots__ = ()


# --- expressions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    value: Any


@dataclass(frozen=True, slots=True)
class Interpolation(Expr):
    """A double-quoted string with ``#{expr}`` parts: literal strings and expressions."""

    parts: tuple[str | Expr, ...]


@dataclass(frozen=True, slots=True)
class ListLiteral(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class MapLiteral(Expr):
    entries: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True, slots=True)
class Name(Expr):
    name: str


@dataclass(frozen=True, slots=True)
class GetAttr(Expr):
    """``target.name`` or ``target[key]``; ``text`` is the source path used in messages."""

    target: Expr
    key: Expr
    text: str


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Ternary(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class Arguments:
    """Call arguments: positional expressions, then named ones."""

    positional: tuple[Expr, ...] = ()
    named: tuple[tuple[str, Expr], ...] = ()


@dataclass(frozen=True, slots=True)
class FilterCall(Expr):
    value: Expr
    name: str
    args: Arguments


@dataclass(frozen=True, slots=True)
class TestCall(Expr):
    value: Expr
    name: str
    args: Arguments
    negated: bool


@dataclass(frozen=True, slots=True)
class FunctionCall(Expr):
    """A function or macro call ``name(args)``."""

    name: str
    args: Arguments


# --- statements ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text(Stmt):
    text: str


@dataclass(frozen=True, slots=True)
class Print(Stmt):
    expr: Expr


@dataclass(frozen=True, slots=True)
class If(Stmt):
    branches: tuple[tuple[Expr, tuple[Stmt, ...]], ...]
    otherwise: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class For(Stmt):
    targets: tuple[str, ...]
    iterable: Expr
    body: tuple[Stmt, ...]
    otherwise: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class Set(Stmt):
    name: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class Macro(Stmt):
    """A macro definition; ``defaults`` maps optional parameter names to default expressions."""

    name: str
    params: tuple[str, ...]
    defaults: tuple[tuple[str, Expr], ...]
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class FilterBlock(Stmt):
    """``{% filter f | g(x) %}body{% endfilter %}``: ``filters`` apply in order to the body."""

    filters: tuple[tuple[str, Arguments], ...]
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class Block(Stmt):
    """``{% block name %}body{% endblock %}``: rendered in place (no template inheritance)."""

    name: str
    body: tuple[Stmt, ...]

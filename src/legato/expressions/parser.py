"""Parser: Pebble tokens → AST, by precedence climbing with Pebble's operator table.

Responsibility: build ``nodes`` from ``lexer`` tokens, exactly as Pebble's ``ExpressionParser``
groups operators (``or`` 10 < ``and`` 15 < ``is``/``is not``/``contains`` and Kestra's
``in``/``not in`` (alias ``isIn``/``isNotIn``) 20 < comparisons 30 < ``+ -`` 40 < ``* / %`` 60
< ``|`` 100 < ``~`` 110 < ``..``/``??``/``???`` 120; unary ``not + -`` 500; all
left-associative; the ternary ``? :`` binds loosest). Tags are parsed by ``statements``.

Invariants:

* unknown filters and tests are syntax errors at parse time (as in Pebble), suggesting close
  names; unknown functions are resolved at render time (they may be macros);
* nesting (parentheses, literals, tags, interpolations) deeper than ``max_depth`` is a syntax
  error, so no input can exhaust Python's stack;
* every error is an ``ExpressionSyntaxError`` pointing at the offending token.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

from legato.errors import ExpressionSyntaxError
from legato.expressions import lexer, nodes
from legato.expressions.lexer import Token

BINARY = {
    "or": 10, "and": 15, "is": 20, "is not": 20, "contains": 20,
    "in": 20, "not in": 20, "isIn": 20, "isNotIn": 20,
    "==": 30, "equals": 30, "!=": 30, ">": 30, "<": 30, ">=": 30, "<=": 30,
    "+": 40, "-": 40, "*": 60, "/": 60, "%": 60, "|": 100, "~": 110,
    "..": 120, "??": 120, "???": 120,
}  # fmt: skip
UNARY = {"not": 500, "+": 500, "-": 500}
CONSTANTS = {"true": True, "false": False, "null": None, "none": None}
CONSTANTS |= {name.upper(): value for name, value in CONSTANTS.items()}  # Pebble accepts TRUE…


def suggest(name: str, known: Collection[str]) -> str:
    """A ' Did you mean ...?' hint naming the closest known names, or ''."""
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def describe(expr: nodes.Expr) -> str:
    """The source-like path of a variable access (``outputs.t.x``), for messages."""
    if isinstance(expr, nodes.Name):
        return expr.name
    if isinstance(expr, nodes.GetAttr):
        return expr.text
    return "value"


class Parser:
    """Parses the tokens of one source. ``filters``/``tests`` of None skip name checks."""

    def __init__(
        self,
        tokens: list[Token],
        source: str,
        *,
        filters: Collection[str] | None = None,
        tests: Collection[str] | None = None,
        max_depth: int = 100,
        depth: int = 0,
    ) -> None:
        self.tokens = tokens
        self.source = source
        self.filters = filters
        self.tests = tests
        self.max_depth = max_depth
        self.depth = depth
        self.index = 0

    # --- token stream ----------------------------------------------------------------------

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def error(self, message: str, token: Token | None = None) -> ExpressionSyntaxError:
        token = token or self.current
        return ExpressionSyntaxError(
            message, line=token.line, column=token.column, source=self.source
        )

    def at(self, kind: str, value: object = None) -> bool:
        token = self.current
        return token.kind == kind and (value is None or token.value == value)

    def expect(self, kind: str, value: object = None, what: str = "") -> Token:
        if not self.at(kind, value):
            expected = what or repr(value if value is not None else kind)
            raise self.error(f"Expected {expected} but found {self.shown(self.current)}")
        return self.advance()

    @staticmethod
    def shown(token: Token) -> str:
        if token.kind == lexer.EOF:
            return "the end of the expression"
        if token.kind in (lexer.PRINT_END, lexer.EXECUTE_END):
            return f"'{token.value}'"
        if token.kind == lexer.ISTRING:
            return "a string"
        return repr(token.value)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise self.error(f"Template is nested too deeply (more than {self.max_depth} levels)")

    # --- expressions -----------------------------------------------------------------------

    def expression(self, min_precedence: int = 0) -> nodes.Expr:
        """Parse an expression whose binary operators bind at least ``min_precedence``."""
        self.enter()
        token = self.current
        expr: nodes.Expr
        if token.kind == lexer.OPERATOR and token.value in UNARY:
            self.advance()
            operand = self.expression(UNARY[token.value])
            expr = nodes.Unary(token.line, token.column, token.value, operand)
        elif self.at(lexer.PUNCT, "("):
            self.advance()
            expr = self.expression()
            self.expect(lexer.PUNCT, ")")
            expr = self.postfix(expr)
        else:
            expr = self.primary()
        expr = self.binary(expr, min_precedence)
        if min_precedence == 0 and self.at(lexer.PUNCT, "?"):
            self.advance()
            then = self.expression()
            self.expect(lexer.PUNCT, ":")
            otherwise = self.expression()
            expr = nodes.Ternary(expr.line, expr.column, expr, then, otherwise)
        self.depth -= 1
        return expr

    def binary(self, left: nodes.Expr, min_precedence: int) -> nodes.Expr:
        """Fold binary operators into ``left``; each fold deepens the tree, so it counts."""
        start = self.depth
        while True:
            token = self.current
            if token.kind != lexer.OPERATOR or token.value not in BINARY:
                break
            precedence = BINARY[token.value]
            if precedence < min_precedence:
                break
            self.enter()
            self.advance()
            if token.value == "|":
                left = self.filter_call(left)
            elif token.value in ("is", "is not"):
                left = self.test_call(left, negated=token.value == "is not")
            else:
                right = self.expression(precedence + 1)
                left = nodes.Binary(token.line, token.column, token.value, left, right)
        self.depth = start
        return left

    def filter_call(self, value: nodes.Expr) -> nodes.Expr:
        name, args = self.named_call(self.filters, "filter")
        return nodes.FilterCall(value.line, value.column, value, name, args)

    def test_call(self, value: nodes.Expr, *, negated: bool) -> nodes.Expr:
        name, args = self.named_call(self.tests, "test")
        return nodes.TestCall(value.line, value.column, value, name, args, negated)

    def named_call(self, known: Collection[str] | None, kind: str) -> tuple[str, nodes.Arguments]:
        token = self.expect(lexer.NAME, what=f"a {kind} name")
        if known is not None and token.value not in known:
            hint = suggest(token.value, known)
            raise self.error(f"Unknown {kind} '{token.value}'.{hint}", token)
        args = self.arguments() if self.at(lexer.PUNCT, "(") else nodes.Arguments()
        return token.value, args

    def arguments(self) -> nodes.Arguments:
        """Parse ``(a, b, name=c)``: positional arguments first, then named ones."""
        self.expect(lexer.PUNCT, "(")
        positional: list[nodes.Expr] = []
        named: list[tuple[str, nodes.Expr]] = []
        while not self.at(lexer.PUNCT, ")"):
            if positional or named:
                self.expect(lexer.PUNCT, ",")
            nxt = self.tokens[self.index + 1]
            if self.at(lexer.NAME) and nxt.kind == lexer.PUNCT and nxt.value == "=":
                name = self.advance().value
                self.advance()
                named.append((name, self.expression()))
            elif named:
                raise self.error("A positional argument cannot follow a named argument")
            else:
                positional.append(self.expression())
        self.advance()
        return nodes.Arguments(tuple(positional), tuple(named))

    def primary(self) -> nodes.Expr:
        token = self.advance()
        kind, line, column = token.kind, token.line, token.column
        expr: nodes.Expr
        if kind in (lexer.INT, lexer.FLOAT, lexer.STRING):
            expr = nodes.Literal(line, column, token.value)
        elif kind == lexer.ISTRING:
            expr = self.interpolation(token)
        elif kind == lexer.NAME:
            expr = self.name(token)
        elif kind == lexer.PUNCT and token.value == "[":
            expr = nodes.ListLiteral(line, column, tuple(self.sequence("]")))
        elif kind == lexer.PUNCT and token.value == "{":
            expr = self.map_literal(token)
        else:
            raise self.error(f"Unexpected {self.shown(token)}: expected an expression", token)
        return self.postfix(expr)

    def name(self, token: Token) -> nodes.Expr:
        if token.value in CONSTANTS:
            return nodes.Literal(token.line, token.column, CONSTANTS[token.value])
        if self.at(lexer.PUNCT, "("):
            return nodes.FunctionCall(token.line, token.column, token.value, self.arguments())
        return nodes.Name(token.line, token.column, token.value)

    def sequence(self, closing: str) -> list[nodes.Expr]:
        items: list[nodes.Expr] = []
        while not self.at(lexer.PUNCT, closing):
            if items:
                self.expect(lexer.PUNCT, ",")
            items.append(self.expression())
        self.advance()
        return items

    def map_literal(self, token: Token) -> nodes.Expr:
        entries: list[tuple[nodes.Expr, nodes.Expr]] = []
        while not self.at(lexer.PUNCT, "}"):
            if entries:
                self.expect(lexer.PUNCT, ",")
            key = self.expression()
            self.expect(lexer.PUNCT, ":")
            entries.append((key, self.expression()))
        self.advance()
        return nodes.MapLiteral(token.line, token.column, tuple(entries))

    def interpolation(self, token: Token) -> nodes.Expr:
        parts: list[str | nodes.Expr] = []
        for part in token.value:
            if isinstance(part, str):
                parts.append(part)
                continue
            sub = Parser(
                part,
                self.source,
                filters=self.filters,
                tests=self.tests,
                max_depth=self.max_depth,
                depth=self.depth,
            )
            parts.append(sub.expression())
            sub.expect(lexer.EOF, what="'}'")
        return nodes.Interpolation(token.line, token.column, tuple(parts))

    def postfix(self, expr: nodes.Expr) -> nodes.Expr:
        """Parse attribute and subscript accesses following ``expr`` (each one counts as depth)."""
        start = self.depth
        while True:
            if self.at(lexer.PUNCT, "."):
                self.advance()
                token = self.advance()
                if token.kind not in (lexer.NAME, lexer.INT):
                    raise self.error("Expected an attribute name after '.'", token)
                if self.at(lexer.PUNCT, "("):
                    raise self.error(f"Method calls are not supported: '{token.value}(...)'")
                key: nodes.Expr = nodes.Literal(token.line, token.column, token.value)
                text = f"{describe(expr)}.{token.value}"
            elif self.at(lexer.PUNCT, "["):
                self.advance()
                key = self.expression()
                self.expect(lexer.PUNCT, "]")
                text = f"{describe(expr)}[{describe_key(key)}]"
            else:
                self.depth = start
                return expr
            self.enter()
            expr = nodes.GetAttr(expr.line, expr.column, expr, key, text)


def describe_key(key: nodes.Expr) -> str:
    if isinstance(key, nodes.Literal) and isinstance(key.value, str):
        return repr(key.value)
    if isinstance(key, nodes.Literal):
        return str(key.value)
    return describe(key)

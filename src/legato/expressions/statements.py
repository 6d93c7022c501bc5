"""Tag parsing: the template level of the parser (text, ``{{ }}`` and ``{% %}`` tags).

Supported tags: ``if/elseif/else/endif``, ``for … in … [else] endfor`` (one or two loop
variables), ``set``, ``macro/endmacro``, ``filter/endfilter`` and ``block/endblock`` (rendered in
place: there is no template inheritance, so ``extends``/``parent`` are not supported).
``raw``/``verbatim`` are handled by the lexer.

Invariant: an unknown or unclosed tag is an ``ExpressionSyntaxError`` pointing at the tag,
suggesting the closest known tag names.
"""

from __future__ import annotations

from collections.abc import Callable

from legato.expressions import lexer, nodes
from legato.expressions.lexer import Token
from legato.expressions.parser import Parser, suggest

Body = tuple[nodes.Stmt, ...]
TAGS = ("if", "for", "set", "macro", "filter", "block")
ENDINGS = ("elseif", "else", "endif", "endfor", "endmacro", "endfilter", "endblock")


class TemplateParser(Parser):
    """Parses a whole template into a tuple of statements."""

    def template(self) -> Body:
        body, _ = self.body(())
        return body

    def body(self, stops: tuple[str, ...], opening: Token | None = None) -> tuple[Body, str]:
        """Parse statements until a ``{% stop %}`` tag; return them and the stop tag's name.

        The stream is left just after the stop tag's name.
        """
        statements: list[nodes.Stmt] = []
        while True:
            token = self.advance()
            if token.kind == lexer.TEXT:
                statements.append(nodes.Text(token.line, token.column, token.value))
            elif token.kind == lexer.PRINT_START:
                expr = self.expression()
                self.expect(lexer.PRINT_END, what="'}}'")
                statements.append(nodes.Print(token.line, token.column, expr))
            elif token.kind == lexer.EXECUTE_START:
                name = self.expect(lexer.NAME, what="a tag name")
                if name.value in stops:
                    return tuple(statements), name.value
                statements.append(self.tag(name))
            else:  # EOF: the lexer guarantees nothing else appears between statements
                if opening is not None:
                    raise self.error(
                        f"Unclosed '{opening.value}' tag: add {{% {stops[-1]} %}}", opening
                    )
                return tuple(statements), ""

    def tag(self, name: Token) -> nodes.Stmt:
        parse: Callable[[Token], nodes.Stmt] | None = {
            "if": self.if_tag,
            "for": self.for_tag,
            "set": self.set_tag,
            "macro": self.macro_tag,
            "filter": self.filter_tag,
            "block": self.block_tag,
        }.get(name.value)
        if parse is None:
            if name.value in ENDINGS:
                raise self.error(f"Unexpected '{name.value}' tag: nothing to close here", name)
            hint = suggest(name.value, TAGS)
            raise self.error(f"Unknown tag '{name.value}'.{hint}", name)
        self.enter()
        statement = parse(name)
        self.depth -= 1
        return statement

    def end_tag(self) -> None:
        self.expect(lexer.EXECUTE_END, what="'%}'")

    def if_tag(self, name: Token) -> nodes.Stmt:
        branches: list[tuple[nodes.Expr, Body]] = []
        condition = self.expression()
        while True:
            self.end_tag()
            body, stop = self.body(("elseif", "else", "endif"), name)
            branches.append((condition, body))
            if stop == "elseif":
                condition = self.expression()
                continue
            otherwise: Body = ()
            if stop == "else":
                self.end_tag()
                otherwise, _ = self.body(("endif",), name)
            self.end_tag()
            return nodes.If(name.line, name.column, tuple(branches), otherwise)

    def for_tag(self, name: Token) -> nodes.Stmt:
        targets = [self.expect(lexer.NAME, what="a loop variable name").value]
        if self.at(lexer.PUNCT, ","):
            self.advance()
            targets.append(self.expect(lexer.NAME, what="a second loop variable name").value)
        if not self.at(lexer.OPERATOR, "in"):  # ``in`` is also Kestra's membership operator
            self.expect(lexer.NAME, "in", what="'in'")
        self.advance()
        iterable = self.expression()
        self.end_tag()
        body, stop = self.body(("else", "endfor"), name)
        otherwise: Body = ()
        if stop == "else":
            self.end_tag()
            otherwise, _ = self.body(("endfor",), name)
        self.end_tag()
        return nodes.For(name.line, name.column, tuple(targets), iterable, body, otherwise)

    def set_tag(self, name: Token) -> nodes.Stmt:
        target = self.expect(lexer.NAME, what="a variable name").value
        self.expect(lexer.PUNCT, "=")
        expr = self.expression()
        self.end_tag()
        return nodes.Set(name.line, name.column, target, expr)

    def macro_tag(self, name: Token) -> nodes.Stmt:
        macro = self.expect(lexer.NAME, what="a macro name").value
        self.expect(lexer.PUNCT, "(")
        params: list[str] = []
        defaults: list[tuple[str, nodes.Expr]] = []
        while not self.at(lexer.PUNCT, ")"):
            if params:
                self.expect(lexer.PUNCT, ",")
            param = self.expect(lexer.NAME, what="a parameter name").value
            params.append(param)
            if self.at(lexer.PUNCT, "="):
                self.advance()
                defaults.append((param, self.expression()))
        self.advance()
        self.end_tag()
        body, _ = self.body(("endmacro",), name)
        self.end_tag()
        return nodes.Macro(name.line, name.column, macro, tuple(params), tuple(defaults), body)

    def filter_tag(self, name: Token) -> nodes.Stmt:
        filters = [self.named_call(self.filters, "filter")]
        while self.at(lexer.OPERATOR, "|"):
            self.advance()
            filters.append(self.named_call(self.filters, "filter"))
        self.end_tag()
        body, _ = self.body(("endfilter",), name)
        self.end_tag()
        return nodes.FilterBlock(name.line, name.column, tuple(filters), body)

    def block_tag(self, name: Token) -> nodes.Stmt:
        # a name or, as Pebble also accepts, a string: {% block "post" %}
        kind = lexer.STRING if self.at(lexer.STRING) else lexer.NAME
        block = self.expect(kind, what="a block name").value
        self.end_tag()
        body, _ = self.body(("endblock",), name)
        if self.at(lexer.NAME) or self.at(lexer.STRING):
            self.advance()
        self.end_tag()
        return nodes.Block(name.line, name.column, block, body)

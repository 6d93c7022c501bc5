"""Parser: Pebble's operator precedence and associativity, literals, calls, syntax errors."""

from __future__ import annotations

import pytest
from pebble_support import ENV

from legato.errors import ExpressionSyntaxError
from legato.expressions import nodes
from legato.expressions.lexer import tokenize
from legato.expressions.parser import Parser, describe, suggest


def expr(source: str) -> nodes.Expr:
    text = "{{ " + source + " }}"
    parser = Parser(tokenize(text), text, filters=ENV.callables.filters, tests=ENV.callables.tests)
    parser.advance()
    return parser.expression()


def shape(node: nodes.Expr) -> object:
    """A compact, readable tree: operators as tuples, names and literals as themselves."""
    if isinstance(node, nodes.Binary):
        return (node.op, shape(node.left), shape(node.right))
    if isinstance(node, nodes.Unary):
        return (node.op, shape(node.operand))
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Literal):
        return node.value
    if isinstance(node, nodes.FilterCall):
        return ("|", shape(node.value), node.name)
    if isinstance(node, nodes.TestCall):
        return ("is not" if node.negated else "is", shape(node.value), node.name)
    if isinstance(node, nodes.Ternary):
        return ("?:", shape(node.condition), shape(node.then), shape(node.otherwise))
    if isinstance(node, nodes.GetAttr):
        return node.text
    return type(node).__name__


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        ("a or b and c", ("or", "a", ("and", "b", "c"))),
        ("a and b or c", ("or", ("and", "a", "b"), "c")),
        ("a == b and c", ("and", ("==", "a", "b"), "c")),
        ("a + b * c", ("+", "a", ("*", "b", "c"))),
        ("a - b - c", ("-", ("-", "a", "b"), "c")),
        ("a / b % c", ("%", ("/", "a", "b"), "c")),
        ("a < b + c", ("<", "a", ("+", "b", "c"))),
        ("a contains b == c", ("contains", "a", ("==", "b", "c"))),
        ("a ~ b | upper", ("|", ("~", "a", "b"), "upper")),
        ("a + b | upper", ("+", "a", ("|", "b", "upper"))),
        ("a | upper ~ b", ("~", ("|", "a", "upper"), "b")),
        ("a ?? b ~ c", ("~", ("??", "a", "b"), "c")),
        ("a ~ b ?? c", ("~", "a", ("??", "b", "c"))),
        ("a ??? b", ("???", "a", "b")),
        ("1 .. n + 1", ("+", ("..", 1, "n"), 1)),
        ("not a == b", ("==", ("not", "a"), "b")),
        ("not (a == b)", ("not", ("==", "a", "b"))),
        ("-a * b", ("*", ("-", "a"), "b")),
        ("+a", ("+", "a")),
        ("a is defined and b", ("and", ("is", "a", "defined"), "b")),
        ("a is not null", ("is not", "a", "null")),
        ("a equals b", ("equals", "a", "b")),
        ("a ? b : c ? d : e", ("?:", "a", "b", ("?:", "c", "d", "e"))),
        ("a or b ? 1 : 2", ("?:", ("or", "a", "b"), 1, 2)),
        ("(a + b) * c", ("*", ("+", "a", "b"), "c")),
        ("x.y['z-1'][0]", "x.y['z-1'][0]"),
        ("(x).y", "x.y"),
        ("xs[i].name", "xs[i].name"),
        ("f(1)[0]", "value[0]"),
    ],
)
def test_precedence(source: str, tree: object) -> None:
    assert shape(expr(source)) == tree


def test_literals() -> None:
    assert shape(expr("true")) is True
    assert shape(expr("false")) is False
    assert shape(expr("null")) is None
    assert shape(expr("none")) is None
    assert isinstance(expr("[1, 2]"), nodes.ListLiteral)
    assert isinstance(expr("{'a': 1, \"b\": 2}"), nodes.MapLiteral)
    assert isinstance(expr('"x#{1}"'), nodes.Interpolation)


def test_call_arguments() -> None:
    call = expr("pair(1, b=2)")
    assert isinstance(call, nodes.FunctionCall)
    assert [shape(a) for a in call.args.positional] == [1]
    assert [(k, shape(v)) for k, v in call.args.named] == [("b", 2)]
    assert isinstance(expr("x | wrap('[', right=']')"), nodes.FilterCall)
    assert isinstance(expr("x is divisibleBy(3)"), nodes.TestCall)


def test_attribute_with_number_after_dot() -> None:
    node = expr("xs.0")
    assert isinstance(node, nodes.GetAttr) and node.text == "xs.0"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x | uper", "Unknown filter 'uper'. Did you mean 'upper'?"),
        ("x | zzzzzz", "Unknown filter 'zzzzzz'."),
        ("x is nul", "Unknown test 'nul'. Did you mean 'null'?"),
        ("x | 1", "Expected a filter name but found 1"),
        ("f(a=1, 2)", "A positional argument cannot follow a named argument"),
        ("x.upper()", "Method calls are not supported: 'upper(...)'"),
        ("x.'a'", "Expected an attribute name after '.'"),
        ("", "Unexpected '}}': expected an expression"),
        ("a ? b", "Expected ':' but found '}}'"),
        ("[1 2]", "Expected ',' but found 2"),
        ("{'a' 1}", "Expected ':' but found 1"),
        ("{'a': 1 'b': 2}", "Expected ',' but found 'b'"),
        ("a b", "Expected '}}' but found 'b'"),
        ('"#{ a b }"', "Expected '}' but found 'b'"),
        ('"#{ }"', "Unexpected the end of the expression: expected an expression"),
        ("f(1,)", "Unexpected ')': expected an expression"),
    ],
)
def test_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        ENV.parse("{{ " + source + " }}")
    assert caught.value.reason == message


def test_syntax_error_position_points_at_the_token() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        ENV.parse("line one\n{{ x | uper }}")
    assert (caught.value.line, caught.value.column) == (2, 8)
    assert "  {{ x | uper }}\n         ^" in str(caught.value)


@pytest.mark.parametrize(
    "source",
    [
        "(" * 150 + "1" + ")" * 150,
        "[" * 150 + "]" * 150,
        "x" + "[0]" * 150,
        "x" + ".a" * 150,
        "1" + " + 1" * 150,
        "x" + " | upper" * 150,
        "-" * 150 + "1",
    ],
)
def test_nesting_depth_is_limited(source: str) -> None:
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        ENV.parse("{{ " + source + " }}")


def test_nesting_within_the_limit_parses() -> None:
    ENV.parse("{{ " + "(" * 40 + "1" + ")" * 40 + " }}")


def test_without_known_names_any_filter_parses() -> None:
    text = "{{ x | anything is whatever }}"
    parser = Parser(tokenize(text), text)
    parser.advance()
    assert shape(parser.expression()) == ("is", ("|", "x", "anything"), "whatever")


def test_suggest_and_describe() -> None:
    assert suggest("uppr", ["upper", "lower"]) == " Did you mean 'upper'?"
    assert suggest("q", ["upper"]) == ""
    assert describe(nodes.Literal(1, 1, 3)) == "value"

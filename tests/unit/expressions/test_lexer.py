"""Lexer: text/markup split, whitespace control, raw blocks, expression tokens and errors."""

from __future__ import annotations

import pytest

from legato.errors import ExpressionSyntaxError
from legato.expressions import lexer
from legato.expressions.lexer import tokenize


def kinds(source: str) -> list[tuple[str, object]]:
    return [(t.kind, t.value) for t in tokenize(source)]


def test_plain_text_is_one_token() -> None:
    assert kinds("hello") == [(lexer.TEXT, "hello"), (lexer.EOF, None)]


def test_print_tokens_and_positions() -> None:
    tokens = tokenize("a\n  {{ x.y }}")
    assert [(t.kind, t.value, t.line, t.column) for t in tokens] == [
        (lexer.TEXT, "a\n  ", 1, 1),
        (lexer.PRINT_START, "{{", 2, 3),
        (lexer.NAME, "x", 2, 6),
        (lexer.PUNCT, ".", 2, 7),
        (lexer.NAME, "y", 2, 8),
        (lexer.PRINT_END, "}}", 2, 10),
        (lexer.EOF, None, 2, 12),
    ]


def test_execute_tokens() -> None:
    assert kinds("{% set a = 1 %}") == [
        (lexer.EXECUTE_START, "{%"),
        (lexer.NAME, "set"),
        (lexer.NAME, "a"),
        (lexer.PUNCT, "="),
        (lexer.INT, 1),
        (lexer.EXECUTE_END, "%}"),
        (lexer.EOF, None),
    ]


@pytest.mark.parametrize(
    ("source", "texts"),
    [
        ("a  {{- 1 }}  b", ["a", "  b"]),
        ("a  {{ 1 -}}  b", ["a  ", "b"]),
        ("a \n {%- set x = 1 -%} \n b", ["a", "b"]),
        ("a  {#- c -#}  b", ["a", "b"]),
        ("a  {# c #}  b", ["a  ", "  b"]),
    ],
)
def test_whitespace_control(source: str, texts: list[str]) -> None:
    assert [t.value for t in tokenize(source) if t.kind == lexer.TEXT] == texts


def test_comments_produce_no_tokens() -> None:
    assert kinds("{# {{ not code }} #}") == [(lexer.EOF, None)]


@pytest.mark.parametrize("word", ["raw", "verbatim"])
def test_raw_blocks_are_literal(word: str) -> None:
    source = f"x {{% {word} %}}{{{{ a }}}} {{% if %}}{{% end{word} %}} y"
    assert [t.value for t in tokenize(source)] == ["x ", "{{ a }} {% if %}", " y", None]


def test_raw_block_dashes_trim_nothing_verbatim_dashes_trim() -> None:
    # Kestra cuts raw blocks out before Pebble renders (VariableRenderer.RAW_PATTERN), so
    # PebbleVariableRendererTest.raw expects "See some code {%-  raw%}{{ var }}{%endraw -%}" to
    # keep its space; Pebble's own verbatim tag honours the dashes
    source = "a {%- raw -%}  {{ x }}  {%- endraw -%} b"
    assert [t.value for t in tokenize(source)] == ["a ", "  {{ x }}  ", " b", None]
    source = "a {%- verbatim -%}  {{ x }}  {%- endverbatim -%} b"
    assert [t.value for t in tokenize(source)] == ["a", "{{ x }}", "b", None]


def test_empty_raw_block_produces_no_text() -> None:
    assert kinds("{% raw %}{% endraw %}") == [(lexer.EOF, None)]


def test_operators_longest_first_and_word_boundaries() -> None:
    values = [t.value for t in tokenize("{{ a ??? b ?? c is not d or organization }}")]
    assert values[1:-2] == ["a", "???", "b", "??", "c", "is not", "d", "or", "organization"]


def test_all_operators_are_recognised() -> None:
    for op in lexer.OPERATORS:
        tokens = tokenize("{{ a " + op + " b }}")
        assert (tokens[2].kind, tokens[2].value) == (lexer.OPERATOR, op)


def test_numbers() -> None:
    assert kinds("{{ 12 3.5 1..3 }}")[1:-2] == [
        (lexer.INT, 12),
        (lexer.FLOAT, 3.5),
        (lexer.INT, 1),
        (lexer.OPERATOR, ".."),
        (lexer.INT, 3),
    ]


def test_strings_and_escapes() -> None:
    tokens = tokenize(r"""{{ 'it\'s' "say \"hi\"" 'back\\slash' 'keep\n' "#not" }}""")
    assert [t.value for t in tokens[1:-2]] == ["it's", 'say "hi"', "back\\slash", "keep\\n", "#not"]


def test_interpolated_string_parts() -> None:
    token = tokenize('{{ "a#{ x }b\\"" }}')[1]
    assert token.kind == lexer.ISTRING
    assert token.value[0] == "a"
    assert [(t.kind, t.value) for t in token.value[1]] == [(lexer.NAME, "x"), (lexer.EOF, "}")]
    assert token.value[2] == 'b"'


def test_interpolation_with_braces_inside() -> None:
    token = tokenize("{{ \"#{ {'k': 1}.k }\" }}")[1]
    assert [t.value for t in token.value[0]][:3] == ["{", "k", ":"]


def test_brackets_hide_closing_delimiters() -> None:
    values = [t.value for t in tokenize("{{ {'a': {'b': 1}} }}")]
    assert values[-2:] == ["}}", None]
    assert values.count("}") == 2


@pytest.mark.parametrize(
    ("source", "message", "line", "column"),
    [
        ("ab {# never", "Unclosed comment", 1, 4),
        ("{% raw %} never", "Unclosed 'raw' block", 1, 1),
        ("x {{ a ", "Unclosed tag: expected '}}'", 1, 3),
        ("{{ (a }}", "Unclosed '(': expected ')'", 1, 7),
        ("{{ (a ", "Unclosed '(': add ')'", 1, 4),
        ("{{ a ) }}", "Unexpected ')'", 1, 6),
        ("{{ (a] }}", "Unclosed '(': expected ')'", 1, 6),
        ("{{ a ; }}", "Unexpected character ';'", 1, 6),
        ("{{ 'abc }}", "Unclosed string", 1, 4),
        ('{{ "a#{b}', "Unclosed string", 1, 4),
        ('{{ "a#{b', "Unclosed tag: expected '}'", 1, 4),
        ("{{ 99999999999999999999 }}", "too large for a long", 1, 4),
    ],
)
def test_errors(source: str, message: str, line: int, column: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        tokenize(source)
    assert message in caught.value.reason
    assert (caught.value.line, caught.value.column) == (line, column)


def test_error_shows_the_line_and_a_caret() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        tokenize("first\n{{ a ; }}")
    assert str(caught.value).endswith("(line 2, column 6)\n  {{ a ; }}\n       ^")


def test_interpolation_nesting_is_bounded() -> None:
    source = "{{ " + '"#{' * 30 + "1" + '}"' * 30 + " }}"
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        tokenize(source)


def test_trim_marker_is_not_special_inside_interpolation() -> None:
    token = tokenize('{{ "#{ a -}" }}')
    assert token[1].kind == lexer.ISTRING

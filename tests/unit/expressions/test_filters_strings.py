"""String, hashing and encoding filters against Pebble's and Kestra's documented results."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.filters import encoding, strings


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ v | upper }}", "hello", "HELLO"),
        ("{{ v | lower }}", "HeLLo", "hello"),
        ("{{ v | title }}", "article title  here", "Article Title  Here"),
        ("{{ v | capitalize }}", "  hello world", "  Hello world"),
        ("{{ v | capitalize }}", "", ""),
        ("{{ v | trim }}", " \t hello \n", "hello"),
        ("{{ v | abbreviate(7) }}", "this is a long sentence.", "this..."),
        ("{{ v | abbreviate(50) }}", "short", "short"),
        ("{{ v | abbreviate(3) }}", "abcdef", "abc"),
        ("{{ v | abbreviate(1) }}", "abc", "abc"),
        ("{{ v | slugify }}", "Hello World!", "hello-world"),
        ("{{ v | slugify }}", " Héllo  Wörld__ça va ", "hello-world-ca-va"),
        ("{{ v | substringBefore('.') }}", "a.b.c", "a"),
        ("{{ v | substringBefore('x') }}", "a.b.c", "a.b.c"),
        ("{{ v | substringBefore('') }}", "a.b.c", ""),
        ("{{ v | substringBeforeLast('.') }}", "a.b.c", "a.b"),
        ("{{ v | substringBeforeLast('x') }}", "a.b.c", "a.b.c"),
        ("{{ v | substringAfter('.') }}", "a.b.c", "b.c"),
        ("{{ v | substringAfter('x') }}", "a.b.c", ""),
        ("{{ v | substringAfter('.') }}", "", ""),
        ("{{ v | substringAfterLast('.') }}", "a.b.c", "c"),
        ("{{ v | substringAfterLast('x') }}", "a.b.c", ""),
        ("{{ v | substringAfterLast('.') }}", "", ""),
        ("{{ v | escapeChar('single') }}", "Can't be here", "Can\\'t be here"),
        ("{{ v | escapeChar('double') }}", 'Say "hi"', 'Say \\"hi\\"'),
        ("{{ v | escapeChar('shell') }}", "Can't", "Can'\\''t"),
        ("{{ v | escapeChar('SHELL') }}", "it's", "it'\\''s"),
        ("{{ v | indent(2) }}", "a\nb\nc", "a\n  b\n  c"),
        ("{{ v | indent(2, '-') }}", "a\r\nb", "a\r\n--b"),
        ("{{ v | nindent(2) }}", "a\nb", "\n  a\n  b"),
        ("{{ v | indent(4) }}", "", ""),
        ("{{ v | indent(0) }}", "a\nb", "a\nb"),
    ],
)
def test_string_filters(source: str, value: str, expected: str) -> None:
    assert render(source, v=value) == expected


def test_pebble_escape_raw_and_nl2br() -> None:
    assert render("{{ v | escape }}", v="<a href=\"x\">Tom & 'Jerry'</a>") == (
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
    )
    assert render("{{ v | escape('html') | raw }}", v="<b>") == "&lt;b&gt;"
    assert typed("{{ v | raw }}", v=[1]) == [1]
    assert render("{{ v | nl2br }}", v="a\nb") == "a<br />b"
    assert typed("{{ null | escape }}") is None
    assert typed("{{ null | nl2br }}") is None
    with pytest.raises(ExpressionEvaluationError, match="'strategy' 'js' is not supported"):
        render("{{ 'a' | escape('js') }}")


def test_indent_keeps_the_line_separator_it_finds() -> None:
    assert render("{{ v | nindent(1) }}", v="a\rb") == "\r a\r b"
    assert render("{{ v | nindent(1) }}", v="a\n\rb") == "\n\r a\n\r b"
    assert render("{{ v | nindent(1) }}", v="ab") == "\n ab"


def test_text_filters_render_non_strings_first() -> None:
    assert render("{{ 12 | upper }}") == "12"
    assert render("{{ true | upper }}") == "TRUE"
    assert typed("{{ null | upper }}") is None
    assert typed("{{ null | abbreviate(3) }}") is None


def test_escape_char_walks_maps_and_lists() -> None:
    result = typed("{{ v | escapeChar('single') }}", v={"a": ["it's", 1], "b": {"c": "x'y"}})
    assert result == {"a": ["it\\'s", "1"], "b": {"c": "x\\'y"}}


def test_starts_and_ends_with() -> None:
    assert typed("{{ 'kestra://file' | startsWith('kestra://') }}") is True
    assert typed("{{ 'file.csv' | endsWith('.json') }}") is False
    assert typed("{{ 123 | startsWith(12) }}") is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "1"),
        (-12, "-12"),
        (1.5, "1.5"),
        (1e20, "1.0E20"),
        (Decimal("2.50"), "2.50"),
        ("3.140", "3.140"),
        ("1e3", "1E+3"),
        ("-7", "-7"),
    ],
)
def test_string_converts_numbers_like_big_decimal(value: object, expected: str) -> None:
    assert typed("{{ v | string }}", v=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a", "java.lang.String"),
        (1, "java.lang.Long"),
        (1.5, "java.lang.Double"),
        (True, "java.lang.Boolean"),
        (Decimal(1), "java.math.BigDecimal"),
        ([1], "java.util.ArrayList"),
        ({"a": 1}, "java.util.LinkedHashMap"),
        (datetime(2024, 1, 1, tzinfo=UTC), "java.time.ZonedDateTime"),
        (date(2024, 1, 1), "java.time.LocalDate"),
        (None, None),
        (object(), "java.lang.Object"),
    ],
)
def test_class_name_reports_the_java_class(value: object, expected: str | None) -> None:
    assert strings.class_name(value, {}, FakeContext()) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'abc' | abbreviate(-1) }}", "abbreviate: argument 'length' must be zero or more"),
        ("{{ 'abc' | abbreviate('x') }}", "argument 'length' must be an integer, got string"),
        ("{{ 'abc' | abbreviate }}", "abbreviate: argument 'length' is required"),
        ("{{ 'a' | escapeChar('triple') }}", "'type' must be 'single', 'double' or 'shell'"),
        ("{{ 'a' | escapeChar }}", "escapeChar: argument 'type' is required"),
        ("{{ 'a\nb' | indent(-1) }}", "indent: argument 'amount' must be zero or more"),
        ("{{ 'a' | nindent }}", "nindent: argument 'amount' is required"),
        ("{{ 'a' | startsWith }}", "startsWith: argument 'value' is required"),
        ("{{ 'a' | endsWith }}", "endsWith: argument 'value' is required"),
        ("{{ 'a' | substringBefore }}", "substringBefore: argument 'separator' is required"),
        ("{{ 'abc' | string }}", "string: expects a number or a numeric string, got 'abc'"),
        ("{{ [1] | string }}", "string: expects a number or a numeric string, got a list"),
        ("{{ 'a' | substringAfter(1) }}", "argument 'separator' must be a string, got integer"),
    ],
)
def test_string_filter_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_indent_checks_the_size_of_its_result() -> None:
    ctx = FakeContext(max_size=10)
    with pytest.raises(ExpressionEvaluationError, match="nindent is too big"):
        strings.nindent("a\nb\nc", {"amount": 5}, ctx)


def test_null_inputs_give_null() -> None:
    ctx = FakeContext()
    for name in ("substringBefore", "substringBeforeLast", "substringAfter", "substringAfterLast"):
        assert strings.TABLE.filters[name].fn(None, {"separator": "."}, ctx) is None
    assert strings.escape_char(None, {"type": "single"}, ctx) is None
    assert strings.indent(None, {"amount": 1}, ctx) is None
    assert strings.string(None, {}, ctx) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("md5", "5d41402abc4b2a76b9719d911017c592"),
        ("sha1", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
        ("sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
        (
            "sha512",
            "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7"
            "2323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
        ),
    ],
)
def test_hashes_are_lowercase_hex_of_utf8(name: str, expected: str) -> None:
    assert render("{{ 'hello' | " + name + " }}") == expected
    assert encoding.TABLE.filters[name].fn(None, {}, FakeContext()) is None


def test_base64_round_trip() -> None:
    assert render("{{ 'test' | base64encode }}") == "dGVzdA=="
    assert render("{{ 'dGVzdA==' | base64decode }}") == "test"
    assert render("{{ 'héllo' | base64encode | base64decode }}") == "héllo"
    with pytest.raises(ExpressionEvaluationError, match="base64decode: the input is not valid"):
        render("{{ 'not base64!' | base64decode }}")
    assert encoding.base64encode(None, {}, FakeContext()) is None
    assert encoding.base64decode(None, {}, FakeContext()) is None


def test_url_encoding_is_java_form_encoding() -> None:
    assert render("{{ v | urlencode }}", v="a b&c=d~*é") == "a+b%26c%3Dd%7E*%C3%A9"
    assert render("{{ v | urldecode }}", v="a+b%26c%3Dd%7E*%C3%A9") == "a b&c=d~*é"
    assert encoding.urlencode(None, {}, FakeContext()) is None
    assert encoding.urldecode(None, {}, FakeContext()) is None


def test_documented_examples() -> None:
    # Kestra's "String Filters" page
    assert render('{{ "LOUD TEXT" | lower }}') == "loud text"
    assert render('{{ "quiet text" | upper }}') == "QUIET TEXT"
    assert render('{{ "article title" | title }}') == "Article Title"
    assert render('{{ "hello world" | capitalize }}') == "Hello world"
    assert render('{{ "  padded  " | trim }}') == "padded"
    source = "{{ \"I like %this% and %that%.\" | replace({'%this%': foo, '%that%': \"bar\"}) }}"
    assert render(source, foo="apples") == "I like apples and bar."

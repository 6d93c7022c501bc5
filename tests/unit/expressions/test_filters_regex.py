"""Regex filters: Pebble's ``replace``/``split`` and Kestra's ``regex*`` filters."""

from __future__ import annotations

import re

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.filters import regex


def test_replace_takes_a_map_of_pairs() -> None:
    assert render("{{ 'I like Kestra' | replace({'like': 'love'}) }}") == "I love Kestra"
    assert render("{{ 'a.b.c' | replace({'.': '-', 'a': 'A'}) }}") == "A-b-c"


def test_replace_with_regexp() -> None:
    pairs = {r"\d+": "#", r"(\w)-(\w)": "$2-$1"}
    assert render("{{ v | replace(p, regexp=true) }}", v="a1b22 x-y", p=pairs) == "a#b# y-x"
    assert render("{{ 'a.b' | replace({'.': '!'}, true) }}") == "!!!"


def test_replace_walks_maps_and_lists() -> None:
    value = {"a": "x-y", "b": ["p-q", {"c": "r-s"}], "n": 1}
    expected = {"a": "x_y", "b": ["p_q", {"c": "r_s"}], "n": "1"}
    assert typed("{{ v | replace({'-': '_'}) }}", v=value) == expected


def test_replace_errors() -> None:
    with pytest.raises(ExpressionEvaluationError, match="'replace_pairs' must be a map"):
        render("{{ 'a' | replace('a') }}")
    with pytest.raises(ExpressionEvaluationError, match="replace: invalid regular expression"):
        render("{{ 'a' | replace({'(': 'x'}, regexp=true) }}")
    with pytest.raises(ExpressionEvaluationError, match="replace: invalid replacement"):
        render("{{ 'a' | replace({'a': '$3'}, regexp=true) }}")
    with pytest.raises(ExpressionEvaluationError, match="'regexp' must be a boolean"):
        render("{{ 'a' | replace({'a': 'b'}, regexp='yes') }}")
    assert regex.replace(None, {"replace_pairs": {}}, FakeContext()) is None


@pytest.mark.parametrize(
    ("text", "delimiter", "limit", "expected"),
    [
        ("a,b,c", ",", None, ["a", "b", "c"]),
        ("a,b,,c,,", ",", None, ["a", "b", "", "c"]),
        ("a,b,,c,,", ",", -1, ["a", "b", "", "c", "", ""]),
        ("a,b,c", ",", 2, ["a", "b,c"]),
        ("a,b,c", ",", 1, ["a,b,c"]),
        (",a", ",", None, ["", "a"]),
        ("abc", "", None, ["a", "b", "c"]),
        ("a1b22c", r"\d+", None, ["a", "b", "c"]),
        ("a.b", ".", None, []),
        ("a|b", r"\|", None, ["a", "b"]),
        ("", ",", None, [""]),
        (",", ",", None, []),
        ("boo:and:foo", "o", None, ["b", "", ":and:f"]),
        ("boo:and:foo", "o", -2, ["b", "", ":and:f", "", ""]),
        ("boo:and:foo", ":", 5, ["boo", "and", "foo"]),
    ],
)
def test_split_follows_java_string_split(
    text: str, delimiter: str, limit: int | None, expected: list[str]
) -> None:
    args = {"delimiter": delimiter} if limit is None else {"delimiter": delimiter, "limit": limit}
    assert regex.split(text, args, FakeContext()) == expected


def test_split_and_join_end_to_end() -> None:
    assert render("{{ 'a,b' | split(',') | join('-') }}") == "a-b"
    assert typed("{{ 'a,b,c' | split(',', 2) }}") == ["a", "b,c"]
    assert typed("{{ null | split(',') }}") is None
    with pytest.raises(ExpressionEvaluationError, match="split: argument 'delimiter' is required"):
        render("{{ 'a' | split }}")
    with pytest.raises(ExpressionEvaluationError, match="split is too big"):
        regex.split("a,b,c", {"delimiter": ","}, FakeContext(max_size=2))


def test_regex_match_searches_anywhere() -> None:
    assert typed("{{ 'hello world' | regexMatch('hello.*') }}") is True
    assert typed("{{ 'hello world' | regexMatch('wor') }}") is True
    assert typed("{{ 'hello world' | regexMatch('^world') }}") is False
    assert typed("{{ null | regexMatch('x') }}") is False


def test_regex_extract_returns_the_match_or_a_group() -> None:
    digits = r"\d+"
    assert render("{{ 'order-12345-done' | regexExtract(r) }}", r=digits) == "12345"
    pattern = r"(?<kind>\w+)-(\d+)"
    assert render("{{ 'order-12345' | regexExtract(r, 2) }}", r=pattern) == "12345"
    assert render("{{ 'order-12345' | regexExtract(r, group=1) }}", r=pattern) == "order"
    assert typed("{{ 'abc' | regexExtract(r) }}", r=digits) is None
    assert typed("{{ null | regexExtract('a') }}") is None


def test_regex_replace_uses_java_group_references() -> None:
    assert render("{{ 'hello world' | regexReplace('world', 'java') }}") == "hello java"
    swap = r"(?<first>\w+) (\w+)"
    assert render("{{ 'hello world' | regexReplace(r, '$2 ${first}') }}", r=swap) == "world hello"
    assert render("{{ 'a.b' | regexReplace('[.]', r) }}", r=r"\$") == "a$b"
    assert render("{{ 'ab' | regexReplace('b', r) }}", r="\\\\") == "a\\"
    assert render("{{ 'ab' | regexReplace('b', r) }}", r="$x\\") == "a$x\\"
    assert typed("{{ null | regexReplace('a', 'b') }}") is None


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'a' | regexMatch }}", "regexMatch: argument 'regex' is required"),
        ("{{ 'a' | regexExtract('(') }}", "regexExtract: invalid regular expression '\\('"),
        ("{{ 'a' | regexExtract('a', -1) }}", "argument 'group' must be zero or more"),
        (
            "{{ 'a' | regexExtract('(a)', 2) }}",
            "'group' 2 is out of bounds",
        ),
        ("{{ 'a' | regexReplace('a') }}", "regexReplace: argument 'replacement' is required"),
    ],
)
def test_regex_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_java_named_groups_compile() -> None:
    compiled = regex.compile_java("regexExtract", r"(?<year>\d{4})")
    assert isinstance(compiled, re.Pattern)
    assert compiled.groupindex == {"year": 1}


def test_replacements_check_the_size_of_their_result() -> None:
    ctx = FakeContext(max_size=10)
    with pytest.raises(ExpressionEvaluationError, match="replace is too big: 12"):
        regex.replace("aaa", {"replace_pairs": {"a": "bbbb"}}, ctx)
    with pytest.raises(ExpressionEvaluationError, match="regexReplace is too big: 12"):
        regex.regex_replace("aaa", {"regex": "a", "replacement": "bbbb"}, ctx)

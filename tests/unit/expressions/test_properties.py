"""Property tests: whatever the template or expression, the engine only raises ExpressionError.

Two generators: random template text biased towards markup characters, and random expressions
built from the grammar (literals, variables, every operator, filters, tests, calls, access).
Each example must finish quickly (deadline 1 s).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pebble_support import ENV

from legato.errors import ExpressionError, ExpressionSyntaxError

VARIABLES: dict[str, Any] = {
    "n": 7,
    "f": 2.5,
    "s": "text {{ not rendered }}",
    "b": True,
    "z": None,
    "xs": [1, 2, 3],
    "m": {"a": 1, "b-c": [1, {"d": None}]},
}

PIECES = [
    "{{", "}}", "{%", "%}", "{#", "#}", "-", "{{-", "-}}", "(", ")", "[", "]", "{", "}",
    "'", '"', "#{", ",", ":", "?", "??", "???", "|", ".", "..", "~", "+", "*", "/", "%",
    "==", "!=", "<", ">=", " is ", " not ", " and ", " or ", " contains ", " in ", "=",
    "if", "elseif", "else", "endif", "for", "endfor", "set", "macro", "endmacro", "filter",
    "endfilter", "raw", "endraw", "block", "endblock", "n", "xs", "m", "s", "z", "x", "1",
    "0", "2.5", "true", "null", "upper", "default", "defined", "empty", "\n", " ", "\\",
]  # fmt: skip

template_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)


def atoms() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(2**63), 2**63 - 1).map(lambda i: str(i) if i >= 0 else f"({i})"),
        st.floats(min_value=0, max_value=1e9).map(lambda x: f"{x:.3f}"),  # Pebble: no exponent
        st.lists(st.sampled_from(["a", "#{", "}", "\\'", "\\\\", " "]), max_size=4).map(
            lambda parts: "'" + "".join(parts) + "'"
        ),
        st.sampled_from(["n", "f", "s", "b", "z", "xs", "m", "undefined", "m.a", "m['b-c'][1]"]),
        st.sampled_from(["true", "false", "null", "[]", "{}", "loop", '"#{n}"', "now()"]),
    )


def combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary_ops = [
        "or", "and", "==", "!=", "<", ">", "<=", ">=", "equals", "contains", "+", "-", "*",
        "/", "%", "~", "..", "??", "???",
    ]  # fmt: skip
    return st.one_of(
        st.tuples(children, st.sampled_from(binary_ops), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["not ", "-", "+"]), children).map(lambda t: f"{t[0]}{t[1]}"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.tuples(children, st.sampled_from(["upper", "default(1)", "join(',')", "wrap"])).map(
            lambda t: f"({t[0]} | {t[1]})"
        ),
        st.tuples(
            children,
            st.sampled_from(["is", "is not"]),
            st.sampled_from(["defined", "null", "empty", "even", "odd", "iterable", "map", "json"]),
        ).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(children, st.sampled_from(["a", "0", "length", "__class__"])).map(
            lambda t: f"({t[0]}).{t[1]}"
        ),
        st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.tuples(children, children).map(lambda t: "{" + f"{t[0]}: {t[1]}" + "}"),
        st.tuples(children, children).map(lambda t: f"pair({t[0]}, b={t[1]})"),
    )


expressions = st.recursive(atoms(), combine, max_leaves=12)


@settings(deadline=1000, max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(template_text)
def test_any_template_text_renders_or_raises_an_expression_error(source: str) -> None:
    try:
        result = ENV.render(source, VARIABLES)
        ENV.render_typed(source, VARIABLES)
    except ExpressionError:
        return
    assert isinstance(result, str)


@settings(deadline=1000, max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_any_expression_evaluates_or_raises_an_expression_error(source: str) -> None:
    for template in ("{{ " + source + " }}", "{% if " + source + " %}y{% endif %}"):
        try:
            ENV.render(template, VARIABLES)
            ENV.render_typed(template, VARIABLES)
        except ExpressionError:
            pass


@settings(deadline=1000, max_examples=200)
@given(expressions)
def test_generated_expressions_are_syntactically_valid(source: str) -> None:
    try:
        ENV.parse("{{ " + source + " }}")
    except ExpressionSyntaxError as error:
        assert "nested too deeply" in error.reason or "too large" in error.reason


@settings(deadline=1000, max_examples=200)
@given(st.text(max_size=60).filter(lambda s: "{{" not in s and "{%" not in s and "{#" not in s))
def test_text_without_markup_is_returned_unchanged(text: str) -> None:
    assert ENV.render(text, VARIABLES) == text

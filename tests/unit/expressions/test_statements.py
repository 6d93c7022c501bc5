"""Tags: if/elseif/else, for (lists, maps, loop variables, else), set, macro, filter, block."""

from __future__ import annotations

import pytest
from pebble_support import ENV, r

from legato.errors import ExpressionEvaluationError, ExpressionSyntaxError


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "one"), (2, "two"), (3, "other")],
)
def test_if_elseif_else(value: int, expected: str) -> None:
    source = "{% if n == 1 %}one{% elseif n == 2 %}two{% else %}other{% endif %}"
    assert r(source, n=value) == expected


def test_if_without_else_renders_nothing_when_false() -> None:
    assert r("[{% if false %}x{% endif %}]") == "[]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "no"), (0, "no"), (2, "yes"), (0.0, "no"), ("", "no"), ("x", "yes"), (True, "yes")],
)
def test_if_truthiness_follows_pebble(value: object, expected: str) -> None:
    assert r("{% if v %}yes{% else %}no{% endif %}", v=value) == expected


def test_if_on_a_list_is_an_error() -> None:
    with pytest.raises(ExpressionEvaluationError, match="Expected a boolean but got list"):
        r("{% if v %}yes{% endif %}", v=[1])


def test_for_over_a_list_with_loop_variables() -> None:
    source = (
        "{% for x in xs %}{{ loop.index }}/{{ loop.length }}/{{ loop.revindex }}"
        "{{ loop.first ? 'F' : '' }}{{ loop.last ? 'L' : '' }}={{ x }};{% endfor %}"
    )
    assert r(source, xs=["a", "b", "c"]) == "0/3/2F=a;1/3/1=b;2/3/0L=c;"


def test_for_over_a_map_with_two_variables() -> None:
    assert r("{% for k, v in m %}{{ k }}={{ v }} {% endfor %}", m={"a": 1, "b": 2}) == "a=1 b=2 "


def test_for_over_a_map_with_one_variable_gets_entries() -> None:
    source = "{% for e in m %}{{ e.key }}:{{ e.value }}{% endfor %}"
    assert r(source, m={"a": 1}) == "a:1"


@pytest.mark.parametrize("value", [[], {}])
def test_for_else_runs_when_nothing_to_iterate(value: object) -> None:
    assert r("{% for x in xs %}{{ x }}{% else %}empty{% endfor %}", xs=value) == "empty"


def test_for_over_null_renders_nothing_not_even_else() -> None:
    assert r("[{% for x in xs %}{{ x }}{% else %}empty{% endfor %}]", xs=None) == "[]"


def test_for_over_a_range() -> None:
    assert r("{% for i in 1..3 %}{{ i }}{% endfor %}") == "123"


def test_nested_loops_see_outer_variables() -> None:
    source = "{% for a in [1, 2] %}{% for b in ['x'] %}{{ a }}{{ b }}{% endfor %}{% endfor %}"
    assert r(source) == "1x2x"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% for x in 5 %}{% endfor %}", "Cannot iterate over a integer"),
        ("{% for x in 'abc' %}{% endfor %}", "Cannot iterate over a string"),
        ("{% for a, b in [1] %}{% endfor %}", "Two loop variables need a map"),
    ],
)
def test_for_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        r(source)


def test_set_assigns_and_loop_scope_keeps_its_own_sets() -> None:
    source = (
        "{% set a = 1 %}{{ a }}"
        "{% for x in [1] %}{% set a = 2 %}{% set b = 3 %}{{ a }}{% endfor %}"
        "{{ a }}{{ b ?? '-' }}"
    )
    assert r(source) == "121-"


def test_set_does_not_change_the_callers_variables() -> None:
    variables = {"a": 1}
    ENV.render("{% set a = 2 %}", variables)
    assert variables == {"a": 1}


def test_macro_with_defaults_and_named_arguments() -> None:
    source = (
        "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}"
        "{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }} {{ greet(name='Cy') }}"
    )
    assert r(source) == "Hello, Ann! Hi, Bob! Hello, Cy!"


def test_macro_may_be_called_before_its_definition_and_sees_only_its_arguments() -> None:
    source = "{{ m() }}{% macro m(p) %}[{{ p ?? 'none' }}{{ outer ?? '' }}]{% endmacro %}"
    assert r(source, outer="hidden") == "[none]"


def test_macro_errors() -> None:
    source = "{% macro m(a) %}{{ a }}{% endmacro %}"
    with pytest.raises(ExpressionEvaluationError, match="Macro 'm' takes at most 1 argument"):
        r(source + "{{ m(1, 2) }}")
    with pytest.raises(ExpressionEvaluationError, match="Macro 'm' has no argument 'b'"):
        r(source + "{{ m(b=1) }}")


def test_recursive_macro_is_bounded() -> None:
    source = "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"
    with pytest.raises(ExpressionEvaluationError, match="Macro 'm' is nested too deeply"):
        r(source)


def test_filter_block_applies_the_chain_to_the_body() -> None:
    source = "{% filter upper | wrap('(', right=')') %}hi {{ name }}{% endfilter %}"
    assert r(source, name="bo") == "(HI BO)"


def test_block_renders_in_place() -> None:
    assert r("a{% block b %}[{{ 1 }}]{% endblock b %}c") == "a[1]c"
    assert r("{% block b %}x{% endblock %}") == "x"


def test_whitespace_control_around_tags() -> None:
    source = "<ul>\n  {%- for x in [1, 2] %}\n  <li>{{ x }}</li>\n  {%- endfor %}\n</ul>"
    assert r(source) == "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>"


def test_comments_and_raw() -> None:
    assert r("a{# note #}b{% raw %}{{ c }}{% endraw %}") == "ab{{ c }}"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% iff x %}", "Unknown tag 'iff'. Did you mean 'if'?"),
        ("{% include 'x' %}", "Unknown tag 'include'."),
        ("{% if x %}never closed", "Unclosed 'if' tag: add {% endif %}"),
        ("{% for x in xs %}", "Unclosed 'for' tag: add {% endfor %}"),
        ("{% if x %}{% else %}", "Unclosed 'if' tag: add {% endif %}"),
        ("{% endif %}", "Unexpected 'endif' tag: nothing to close here"),
        ("{% for x of xs %}{% endfor %}", "Expected 'in' but found 'of'"),
        ("{% set x 1 %}", "Expected '=' but found 1"),
        ("{% if x y %}{% endif %}", "Expected '%}' but found 'y'"),
        ("{% %}", "Expected a tag name but found '%}'"),
        ("{% macro m(a b) %}{% endmacro %}", "Expected ',' but found 'b'"),
    ],
)
def test_tag_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        ENV.parse(source)
    assert caught.value.reason == message


def test_tag_nesting_is_limited() -> None:
    source = "{% if true %}" * 120 + "x" + "{% endif %}" * 120
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        ENV.parse(source)


def test_the_block_function_renders_a_block_again_in_the_callers_scope() -> None:
    # kestra.io/docs/concepts/expression/tag, "block": {{ block("post") }} renders a block
    source = "{% block header %}Intro {{ n }}{% endblock header %}|{{ block('header') }}"
    assert r(source, n=1) == "Intro 1|Intro 1"
    later = (
        "{{ block(name='b') }}{% for n in [2] %}{{ block('b') }}{% endfor %}"
        "{% block b %}[{{ n }}]{% endblock %}"
    )
    assert r(later, n=1) == "[1][2][1]"


def test_the_block_function_names_an_unknown_block_and_bounds_recursion() -> None:
    with pytest.raises(ExpressionEvaluationError, match="no block named 'nope'"):
        r("{{ block('nope') }}")
    with pytest.raises(ExpressionEvaluationError, match="Block 'a' is nested too deeply"):
        r("{% block a %}{{ block('a') }}{% endblock %}")
    with pytest.raises(ExpressionEvaluationError, match="takes at most 1 argument"):
        r("{% block a %}x{% endblock %}{{ block('a', 2) }}")
    with pytest.raises(ExpressionEvaluationError, match="Unknown function 'blok'\\. \\(line"):
        r("{% block a %}x{% endblock %}{{ blok() }}")


def test_a_block_may_be_named_by_a_string() -> None:
    # PebbleVariableRendererTest.macro: {% block "post" %} content {% endblock %}{{ block("post") }}
    assert r('{% block "post" %}x{% endblock "post" %}{{ block("post") }}') == "xx"
    with pytest.raises(ExpressionSyntaxError, match="Expected a block name but found"):
        r("{% block 1 %}x{% endblock %}")

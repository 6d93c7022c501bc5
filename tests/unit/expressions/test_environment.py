"""Environment: API, typed rendering, cache, callables contract, context services and limits."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import pytest
from pebble_support import CALLS, ENV, NOW, FakePlatform, make_env, r, t

from legato import expressions
from legato.errors import ExpressionEvaluationError, ExpressionSyntaxError
from legato.expressions import Environment, Limits
from legato.expressions.callables import Callables, CallContext
from legato.expressions.environment import SystemRandom, default_callables, has_markup


def test_text_without_markup_is_returned_unchanged_without_parsing() -> None:
    text = "no markup here: { } {x} %} #}"
    assert ENV.render(text, {}) == text
    assert ENV.render_typed(text, {}) == text
    assert ENV.render_nested(text, {}, ENV._state(None)) == text
    assert not has_markup(text)
    assert has_markup("a {# c #}")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ xs }}", [1, 2]),
        ("  {{ m }}\n", {"a": None}),
        ("{{ 1 + 1 }}", 2),
        ("{{ n }}", None),
        ("{{ flag }}", True),
        ("{{- xs -}}", [1, 2]),
        ("{{ xs }} {{ xs }}", "[1,2] [1,2]"),
        ("a{{ xs }}", "a[1,2]"),
        ("{% if true %}{{ xs }}{% endif %}", "[1,2]"),
        ("{# c #}{{ xs }}", [1, 2]),
    ],
)
def test_render_typed(source: str, expected: object) -> None:
    variables = {"xs": [1, 2], "m": {"a": None}, "n": None, "flag": True}
    assert ENV.render_typed(source, variables) == expected


def test_typed_rendering_can_call_macros() -> None:
    assert t("{% macro m() %}x{% endmacro %}{{ m() }}") == "x"


def test_parse_is_cached_per_source() -> None:
    env = make_env()
    assert env.parse("{{ a }}") is env.parse("{{ a }}")
    assert env.parse("{{ a }}") is not env.parse("{{ b }}")


def test_parse_reports_syntax_errors() -> None:
    with pytest.raises(ExpressionSyntaxError):
        ENV.parse("{{ a | }}")


def test_module_level_api_uses_the_default_environment() -> None:
    assert expressions.default_environment() is expressions.default_environment()
    assert expressions.render("{{ a ~ 1 }}", {"a": "x"}) == "x1"
    assert expressions.render_typed("{{ [a] }}", {"a": 1}) == [1]
    assert expressions.parse("{{ a }}").source == "{{ a }}"
    with pytest.raises(ExpressionSyntaxError):
        expressions.parse("{% if %}")


def test_default_callables_include_the_tests_and_are_copied() -> None:
    first, second = default_callables(), default_callables()
    assert "defined" in first.tests
    assert first.tests is not second.tests


def test_each_environment_owns_its_callables() -> None:
    table = Callables()
    env = Environment(callables=table)
    env.callables.filters["shout"] = CALLS.filters["upper"]
    assert "shout" not in table.filters
    assert "shout" not in Environment(callables=table).callables.filters


def test_filter_arguments_bind_positionally_then_by_name() -> None:
    assert r("{{ 'x' | wrap }}") == "<x>"
    assert r("{{ 'x' | wrap('[', ']') }}") == "[x]"
    assert r("{{ 'x' | wrap(right='!') }}") == "<x!"
    assert r("{{ pair(1) }}") == "[1,null]"
    assert r("{{ pair(b=2, a=1) }}") == "[1,2]"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'x' | wrap(1, 2, 3) }}", "Filter 'wrap' takes at most 2 argument(s) but got 3"),
        (
            "{{ 'x' | wrap(rigth=1) }}",
            "Filter 'wrap' has no argument 'rigth'. Did you mean 'right'?",
        ),
        ("{{ 'x' | wrap('a', left='b') }}", "Filter 'wrap' got argument 'left' twice"),
        ("{{ pair(1, 2, 3) }}", "Function 'pair' takes at most 2 argument(s) but got 3"),
        ("{{ nowz() }}", "Unknown function 'nowz'. Did you mean 'now'?"),
        ("{{ 'x' | fail }}", "Filter 'fail' always fails"),
        ("{{ 'x' | crash }}", "Filter 'crash' failed: ZeroDivisionError: integer division"),
    ],
)
def test_call_errors_are_located(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError) as caught:
        r(source)
    assert caught.value.reason.startswith(message)
    assert (caught.value.line, caught.value.column) == (1, 4)


def test_clock_random_variables_and_platform_reach_callables() -> None:
    assert t("{{ now() }}") == NOW
    assert r("{{ now() }}") == "2024-05-01T10:30:00Z"
    expected = random.Random(7).randrange(1, 100)
    assert make_env().render_typed("{{ randomInt(1, 100) }}", {}) == expected
    assert t("{% set b = 1 %}{% for i in [1] %}{{ vars() }}{% endfor %}", a=0) == (
        '["a","b","i","loop"]'
    )
    assert r("{{ platformName() }}") == "none"
    assert ENV.render("{{ platformName() }}", {}, platform=FakePlatform()) == "FakePlatform"  # type: ignore[arg-type]
    assert ENV.render_typed("{{ platformName() }}", {}, platform=FakePlatform()) == "FakePlatform"  # type: ignore[arg-type]


def test_random_bounds_must_not_be_empty() -> None:
    with pytest.raises(ExpressionEvaluationError, match="Random bounds are empty"):
        r("{{ randomInt(5, 5) }}")


def test_system_random_stays_in_bounds() -> None:
    source = SystemRandom()
    assert all(3 <= source.randrange(3, 6) < 6 for _ in range(50))
    assert Environment().random is not None


def test_nested_render_is_explicit_and_recursive_on_request() -> None:
    variables = {"a": "{{ b }}", "b": "{{ c }}", "c": "done"}
    assert ENV.render("{{ a }}", variables) == "{{ b }}"
    assert ENV.render("{{ render(a, false) }}", variables) == "{{ c }}"
    assert ENV.render("{{ render(a) }}", variables) == "done"


def test_recursive_render_that_never_settles_is_stopped() -> None:
    variables = {"a": "{{ b }}", "b": "{{ a }}"}
    with pytest.raises(ExpressionEvaluationError, match="did not settle after 20 rounds"):
        ENV.render("{{ render(a) }}", variables)


def test_render_depth_is_limited() -> None:
    env = make_env(Limits(max_render_depth=3))
    variables = {"t": "{{ render(t, false) }}"}
    with pytest.raises(ExpressionEvaluationError, match="nested too deeply"):
        env.render("{{ render(t, false) }}", variables)


def test_output_size_is_limited() -> None:
    env = make_env(Limits(max_output=100))
    with pytest.raises(ExpressionEvaluationError, match="The rendered output is too large"):
        env.render("{% for i in 1..20 %}0123456789{% endfor %}", {})
    with pytest.raises(ExpressionEvaluationError, match="The result of '~' is too large") as caught:
        env.render("{{ s ~ s }}", {"s": "x" * 60})
    assert caught.value.column == 6
    with pytest.raises(ExpressionEvaluationError, match=r"The result of '\+' is too large"):
        env.render("{{ s + s }}", {"s": "x" * 60})
    with pytest.raises(ExpressionEvaluationError, match="The result of 'repeat' is too large"):
        env.render("{{ 'ab' | repeat(51) }}", {})
    assert env.render("{{ 'ab' | repeat(50) }}", {}) == "ab" * 50


def test_output_is_checked_while_a_long_loop_runs() -> None:
    env = make_env(Limits(max_output=5000))
    with pytest.raises(ExpressionEvaluationError, match="The rendered output is too large"):
        env.render("{% for i in 1..2000 %}{% for j in 1..3 %}xx{% endfor %}{% endfor %}", {})


def test_iterations_are_limited() -> None:
    env = make_env(Limits(max_iterations=50))
    with pytest.raises(ExpressionEvaluationError, match="Too many loop iterations") as caught:
        env.render("{% for i in 1..10 %}{% for j in 1..10 %}{% endfor %}{% endfor %}", {})
    assert (caught.value.line, caught.value.column) == (1, 24)


def test_range_limit_is_configurable() -> None:
    with pytest.raises(ExpressionEvaluationError, match="more than the limit 5"):
        make_env(Limits(max_range=5)).render("{{ 1..6 }}", {})


def test_parse_depth_limit_is_configurable() -> None:
    with pytest.raises(ExpressionSyntaxError, match="more than 3 levels"):
        make_env(Limits(max_parse_depth=3)).parse("{{ ((((1)))) }}")


def test_callable_context_protocol_is_satisfied_by_frames() -> None:
    seen: list[CallContext] = []
    table = Callables()

    @table.function("probe")
    def probe(args: Mapping[str, Any], ctx: CallContext) -> Any:
        seen.append(ctx)
        ctx.check_size(10, "probe")
        return ctx.variables["v"]

    assert Environment(callables=table).render("{{ probe() }}", {"v": 3}) == "3"
    assert seen and seen[0].platform is None

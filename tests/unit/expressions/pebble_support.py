"""Shared helpers for the engine-core tests: a test Environment with test-only callables.

The real filters and functions belong to their own packages and tests; the engine tests register
small, obvious callables here so they exercise the call machinery and nothing else.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from legato._kernel.clock import FixedClock
from legato.errors import ExpressionEvaluationError
from legato.expressions import Environment, Limits
from legato.expressions.callables import Callables, CallContext
from legato.expressions.tests import TESTS

NOW = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
CALLS = Callables()


@CALLS.filter("upper")
def upper(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return str(value).upper()


@CALLS.filter("default", "default")
def default(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return args.get("default") if value is None or value == "" else value


@CALLS.filter("join", "separator")
def join(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return str(args.get("separator", "")).join(str(v) for v in value)


@CALLS.filter("wrap", "left", "right")
def wrap(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return f"{args.get('left', '<')}{value}{args.get('right', '>')}"


@CALLS.filter("fail")
def fail(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    raise ExpressionEvaluationError("Filter 'fail' always fails")


@CALLS.filter("crash")
def crash(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return 1 // 0


@CALLS.filter("repeat", "times")
def repeat(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    times = int(args["times"])
    ctx.check_size(len(value) * times, "The result of 'repeat'")
    return value * times


@CALLS.function("now")
def now(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return ctx.now()


@CALLS.function("randomInt", "lower", "upper")
def random_int(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return ctx.random_int(args["lower"], args["upper"])


@CALLS.function("render", "template", "recursive")
def render(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return ctx.render(args["template"], ctx.variables, recursive=args.get("recursive", True))


@CALLS.function("vars")
def variables(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return sorted(ctx.variables)


@CALLS.function("platformName")
def platform_name(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return "none" if ctx.platform is None else type(ctx.platform).__name__


@CALLS.function("pair", "a", "b")
def pair(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return [args.get("a"), args.get("b")]


@CALLS.test("divisibleBy", "divisor")
def divisible_by(value: Any, args: Mapping[str, Any], ctx: CallContext) -> bool:
    return bool(value % args["divisor"] == 0)


for _test in TESTS.tests.values():
    CALLS.tests[_test.name] = _test


@dataclass
class FakePlatform:
    """A stand-in Platform; only its identity matters to the engine."""

    calls: list[str] = field(default_factory=list)


def make_env(limits: Limits | None = None) -> Environment:
    return Environment(
        callables=CALLS, clock=FixedClock(NOW), random=random.Random(7), limits=limits
    )


ENV = make_env()


def r(source: str, **variables: Any) -> str:
    return ENV.render(source, variables)


def t(source: str, **variables: Any) -> Any:
    return ENV.render_typed(source, variables)

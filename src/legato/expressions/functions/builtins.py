"""Core functions: Pebble's ``range``/``min``/``max`` and Kestra's ``now``, ``render``,
``renderOnce``, ``printContext``, ``fetchContext`` and ``env``.

``range`` is inclusive and also walks single characters; its size is checked against the
environment's limits before any list is built. ``min``/``max`` take any number of positional
arguments (Pebble names them ``0``, ``1``, ...). ``env`` reads the ``envs`` context variable, never
the host's environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import arg_bool, arg_str, fail, type_name
from legato.expressions.filters.dates import DATE_ARGS, format_datetime

TABLE = Callables()
VARARGS = tuple(str(index) for index in range(64))


def _range_bound(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and len(value) == 1:
        return value
    fail("range", "arguments 'start' and 'end' must be integers or one-character strings")


@TABLE.function("range", "start", "end", "increment")
def range_(args: Mapping[str, Any], ctx: CallContext) -> Any:
    start, end = _range_bound(args.get("start")), _range_bound(args.get("end"))
    step = args.get("increment", 1)
    if isinstance(step, bool) or not isinstance(step, int):
        fail("range", f"argument 'increment' must be an integer, got {type_name(step)}")
    if step == 0:
        fail("range", "argument 'increment' must not be 0")
    if isinstance(start, str) != isinstance(end, str):
        fail("range", "arguments 'start' and 'end' must both be integers or both be characters")
    low = ord(start) if isinstance(start, str) else start
    high = ord(end) if isinstance(end, str) else end
    numbers = range(low, high + (1 if step > 0 else -1), step)
    ctx.check_size(len(numbers), "range")
    if isinstance(start, str):
        return [chr(code) for code in numbers]
    return list(numbers)


def _extreme(name: str, args: Mapping[str, Any], pick: str) -> Any:
    values = [args[key] for key in VARARGS if key in args]
    best: Any = None
    for candidate in values:
        try:
            if best is None or (candidate > best if pick == "max" else candidate < best):
                best = candidate
        except TypeError:
            fail(name, f"cannot compare {type_name(candidate)} with {type_name(best)}")
    return best


@TABLE.function("min", *VARARGS)
def min_(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _extreme("min", args, "min")


@TABLE.function("max", *VARARGS)
def max_(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _extreme("max", args, "max")


@TABLE.function("now", *DATE_ARGS)
def now(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """The current instant, formatted like the ``date`` filter (default format ``iso``)."""
    return format_datetime("now", ctx.now(), args)


def _render_value(value: Any, ctx: CallContext, recursive: bool) -> Any:
    if isinstance(value, str):
        return ctx.render(value, ctx.variables, recursive=recursive)
    if isinstance(value, Mapping):
        return {
            _render_value(key, ctx, recursive): _render_value(item, ctx, recursive)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_render_value(item, ctx, recursive) for item in value]
    return value


@TABLE.function("render", "toRender", "recursive")
def render(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Render ``toRender`` (strings, and every string inside maps and lists) again."""
    if "toRender" not in args:
        fail("render", "argument 'toRender' is required")
    recursive = arg_bool("render", args, "recursive", True)
    return _render_value(args["toRender"], ctx, recursive)


@TABLE.function("renderOnce", "toRender")
def render_once(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """``render(toRender, recursive=false)``."""
    if "toRender" not in args:
        fail("renderOnce", "argument 'toRender' is required")
    return _render_value(args["toRender"], ctx, False)


@TABLE.function("fetchContext")
def fetch_context(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Every variable of the render context, as a map."""
    return dict(ctx.variables)


@TABLE.function("printContext")
def print_context(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Kestra registers ``printContext`` as ``fetchContext``: the map (printed as JSON)."""
    return dict(ctx.variables)


@TABLE.function("env", "name", "default")
def env(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """``envs[name]`` (Kestra strips ``ENV_`` and lower-cases), else ``default``."""
    name = arg_str("env", args, "name")
    envs = ctx.variables.get("envs")
    value = envs.get(name) if isinstance(envs, Mapping) else None
    return args.get("default") if value is None or value == "" else value

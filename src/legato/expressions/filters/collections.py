"""Collection filters: ``keys``, ``values``, ``first``, ``last``, ``length``, ``default``,
``join``, ``chunk``, ``distinct``, ``uniq``, ``flatten``, ``merge``, ``slice``, ``sort``,
``rsort``, ``reverse``.

Semantics follow Pebble's core filters and Kestra's additions. Equality for ``distinct``/``uniq``
is Java's ``equals``: ``1`` and ``1.0`` (Long and Double) or ``1`` and ``true`` differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import arg_int, arg_str, fail, to_json, to_text, type_name

TABLE = Callables()


def _is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


@TABLE.filter("keys")
def keys(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return list(value.keys())
    if _is_list(value):
        return list(range(len(value)))
    fail("keys", f"can only be applied to a map or a list, got a {type_name(value)}")


@TABLE.filter("values")
def values(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return list(value.values())
    fail("values", f"can only be applied to a map, got a {type_name(value)}")


def _ends(name: str, value: Any, index: int) -> Any:
    if value is None:
        return None
    if isinstance(value, str) or _is_list(value):
        if not value:
            fail(name, f"the {type_name(value)} is empty")
        return value[index]
    fail(name, f"can only be applied to a list or a string, got a {type_name(value)}")


@TABLE.filter("first")
def first(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _ends("first", value, 0)


@TABLE.filter("last")
def last(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _ends("last", value, -1)


@TABLE.filter("length")
def length(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Pebble's ``length``: size of a string, list or map; 0 for null and other values."""
    if isinstance(value, str | Mapping) or _is_list(value):
        return len(value)
    return 0


def is_empty(value: Any) -> bool:
    """Pebble's ``empty`` test: null, a blank string, or an empty list or map."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping) or _is_list(value):
        return not value
    return False


@TABLE.filter("default", "default")
def default(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """``value`` unless it is empty (null, blank string, empty list or map): then ``default``.

    An undefined variable reaches this filter as ``None`` (the evaluator's job, as in Pebble,
    where ``default`` suppresses strict-variable errors on its input).
    """
    return args.get("default") if is_empty(value) else value


@TABLE.filter("join", "separator")
def join(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if not _is_list(value):
        fail("join", f"can only be applied to a list, got a {type_name(value)}")
    separator = arg_str("join", args, "separator", "") or ""
    parts = [to_text(item) for item in value]
    ctx.check_size(sum(map(len, parts)) + len(separator) * max(len(parts) - 1, 0), "join")
    return separator.join(parts)


@TABLE.filter("chunk", "size")
def chunk(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    size = arg_int("chunk", args, "size")
    if not _is_list(value):
        fail("chunk", f"can only be applied to a list, got a {type_name(value)}")
    if size <= 0:
        fail("chunk", f"argument 'size' must be greater than 0, got {size}")
    return [list(value[i : i + size]) for i in range(0, len(value), size)]


def _identity(value: Any) -> tuple[str, str]:
    kind = "number" if isinstance(value, int) and not isinstance(value, bool) else type_name(value)
    return kind, to_json(value)


def _unique(items: list[Any] | tuple[Any, ...]) -> list[Any]:
    seen: set[tuple[str, str]] = set()
    result: list[Any] = []
    for item in items:
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


@TABLE.filter("distinct")
def distinct(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Kestra's ``distinct``; as in Kestra, a null input gives the string ``"null"``."""
    if value is None:
        return "null"
    if not _is_list(value):
        fail("distinct", f"can only be applied to a list, got a {type_name(value)}")
    return _unique(value)


@TABLE.filter("uniq")
def uniq(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Kestra's ``uniq``: ``distinct`` for lists; any other value is returned unchanged."""
    return _unique(value) if _is_list(value) else value


@TABLE.filter("flatten")
def flatten(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if not _is_list(value):
        fail("flatten", f"can only be applied to a list, got a {type_name(value)}")
    return [inner for item in value for inner in (item if _is_list(item) else [item])]


@TABLE.filter("merge", "items")
def merge(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Pebble's ``merge``: the left side decides the result type (map or list)."""
    items = args.get("items")
    if value is None or items is None:
        if value is None and items is None:
            fail("merge", "both the input and argument 'items' are null")
        return items if value is None else value
    if isinstance(value, Mapping):
        if isinstance(items, Mapping):
            return {**value, **items}
        if _is_list(items):
            return {**value, **{to_text(item): item for item in items}}
    elif _is_list(value):
        if isinstance(items, Mapping):
            return [*value, *({key: item} for key, item in items.items())]
        if _is_list(items):
            ctx.check_size(len(value) + len(items), "merge")
            return [*value, *items]
    else:
        fail("merge", f"can only be applied to a map or a list, got a {type_name(value)}")
    fail("merge", f"argument 'items' must be a map or a list, got a {type_name(items)}")


@TABLE.filter("slice", "fromIndex", "toIndex")
def slice_(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if not (isinstance(value, str) or _is_list(value)):
        fail("slice", f"can only be applied to a string or a list, got a {type_name(value)}")
    start = arg_int("slice", args, "fromIndex", None)
    start = 0 if start is None else start
    end = arg_int("slice", args, "toIndex", None)
    end = len(value) if end is None else end
    if start < 0:
        fail("slice", f"argument 'fromIndex' must be zero or more, got {start}")
    if end > len(value):
        fail("slice", f"argument 'toIndex' {end} must not exceed the input size {len(value)}")
    if start >= end and "toIndex" in args and args["toIndex"] is not None:
        fail("slice", f"argument 'toIndex' {end} must be greater than 'fromIndex' {start}")
    result = value[start:end]
    return list(result) if isinstance(result, tuple) else result


def _sorted(name: str, value: Any, reverse: bool) -> Any:
    if value is None:
        return None
    if not _is_list(value):
        fail(name, f"can only be applied to a list, got a {type_name(value)}")
    try:
        return sorted(value, reverse=reverse)
    except TypeError:
        kinds = sorted({type_name(item) for item in value})
        fail(name, f"cannot compare items of types {', '.join(kinds)}; sort lists of one type")


@TABLE.filter("sort")
def sort(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _sorted("sort", value, reverse=False)


@TABLE.filter("rsort")
def rsort(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _sorted("rsort", value, reverse=True)


@TABLE.filter("reverse")
def reverse(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return value[::-1]
    if _is_list(value):
        return list(reversed(value))
    fail("reverse", f"can only be applied to a list or a string, got a {type_name(value)}")

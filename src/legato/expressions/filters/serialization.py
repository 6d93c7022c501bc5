"""Serialization filters: ``toJson`` (and deprecated ``json``), ``toIon``, ``yaml`` and ``jq``.

``toJson``/``toIon``/``yaml`` print ``null`` for a null input. ``jq`` runs a jq program (jq 1.6
semantics, via the ``jq`` package) on the input, a string input being parsed as JSON first, and
always returns the list of every output, as Kestra does; use ``| first`` for one value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import jq as jq_lib

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import fail, to_json, to_text
from legato.expressions.filters.ion import to_ion
from legato.expressions.filters.yamltext import to_yaml

TABLE = Callables()


def _sized(ctx: CallContext, name: str, text: str) -> str:
    ctx.check_size(len(text), name)
    return text


@TABLE.filter("toJson")
def to_json_filter(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _sized(ctx, "toJson", to_json(value))


@TABLE.filter("json")
def json_filter(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Deprecated alias of ``toJson``."""
    return _sized(ctx, "json", to_json(value))


@TABLE.filter("toIon")
def to_ion_filter(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _sized(ctx, "toIon", to_ion(value))


@TABLE.filter("yaml")
def yaml_filter(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    return _sized(ctx, "yaml", to_yaml(value))


@TABLE.filter("jq", "expression")
def jq_filter(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    expression = args.get("expression")
    if not isinstance(expression, str):
        fail("jq", "argument 'expression' must be a jq program such as '.items[0]'")
    try:
        program = jq_lib.compile(expression)
    except ValueError as error:
        fail("jq", f"argument 'expression' '{expression}' is not a valid jq program: {error}")
    text = value if isinstance(value, str) else to_json(value)
    try:
        json.loads(text)
    except ValueError:
        fail("jq", f"the input '{to_text(value)[:80]}' is not JSON")
    try:
        results = list(program.input_text(text).all())
    except ValueError as error:
        fail("jq", f"'{expression}' failed on the input: {error}")
    ctx.check_size(len(results), "jq")
    return results

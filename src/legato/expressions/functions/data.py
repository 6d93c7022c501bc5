"""Parsing functions: ``fromJson`` (and deprecated ``json``), ``yaml`` and ``fromIon``.

Each parses text into JSON-like values; ``null`` text gives ``null``; bad text raises an error
naming the function. ``fromIon`` returns the first value, or every value with ``allRows=true``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import arg_bool, fail, type_name
from legato.expressions.filters.ion import from_ion

TABLE = Callables()


def _text(name: str, args: Mapping[str, Any], key: str) -> str | None:
    if key not in args:
        fail(name, f"argument '{key}' is required")
    value = args[key]
    if value is not None and not isinstance(value, str):
        fail(name, f"argument '{key}' must be a string, got {type_name(value)}")
    return value


def _reject_constant(text: str) -> None:
    raise ValueError(f"'{text}' is not valid JSON")


def parse_json(name: str, args: Mapping[str, Any]) -> Any:
    text = _text(name, args, "json")
    if text is None:
        return None
    shown = text[:80] if text.strip() else "<empty>"
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        fail(name, f"argument 'json' is not valid JSON ({error}): {shown}")


@TABLE.function("fromJson", "json")
def from_json(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return parse_json("fromJson", args)


@TABLE.function("json", "json")
def json_function(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Deprecated alias of ``fromJson``."""
    return parse_json("json", args)


def _plain(value: Any) -> Any:
    """ruamel's containers and scalars as plain JSON-like values."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool | None):
        return value
    for plain in (int, float, str):
        if isinstance(value, plain):
            return plain(value)
    return value


@TABLE.function("yaml", "yaml")
def yaml_function(args: Mapping[str, Any], ctx: CallContext) -> Any:
    text = _text("yaml", args, "yaml")
    if text is None:
        fail("yaml", "argument 'yaml' must be a string, got null")
    try:
        return _plain(YAML(typ="safe", pure=True).load(text))
    except YAMLError as error:
        fail("yaml", f"argument 'yaml' is not valid YAML: {error}")


@TABLE.function("fromIon", "ion", "allRows")
def from_ion_function(args: Mapping[str, Any], ctx: CallContext) -> Any:
    text = _text("fromIon", args, "ion")
    if text is None:
        return None
    all_rows = arg_bool("fromIon", args, "allRows", False)
    try:
        rows = from_ion(text)
    except ValueError as error:
        fail("fromIon", f"argument 'ion' is not valid Ion: {error}")
    if all_rows:
        ctx.check_size(len(rows), "fromIon")
        return rows
    return rows[0] if rows else None

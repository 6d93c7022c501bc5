"""Pydantic validation errors → clear, located ``Violation``s.

Invariants:

* A pydantic ``loc`` is mapped back onto the YAML data: union tags that pydantic inserts
  (``'STRING'``, ``'function-plain[…]'``) are dropped, and an index into a map written in map form
  (labels) becomes that map's key, so the path and position match what the user wrote.
* One violation per property: when a union (``Dyn[T]``) fails on every branch, the most useful
  branch error is kept (a "not an expression" error only when nothing else was said).
* A missing property is located at its enclosing mapping; an unknown property at its key; any
  other error at the property's key (or list item).
* Messages say what was expected and what was found: "required property 'message' is missing",
  "unknown property 'foo'; known properties: …", "expected an integer, got 'abc'".
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from legato.model.plugin import PluginKind
from legato.model.registry import PluginRegistry
from legato.model.violations import Loc, PropertyError, Violation, format_path
from legato.model.yamlsource import Document

_WEAK = {"not_expression"}
#: error kinds whose last location segment names a key that is absent from the data
_ABOUT_A_KEY = {"missing", "extra_forbidden"}
#: pydantic's own error kinds, whose messages do not name the property: prefixed with its name
_NAMED = {
    *("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"),
    *("bool_parsing", "bool_type", "string_type", "list_type", "tuple_type", "dict_type"),
    *("model_type", "model_attributes_type", "mapping_type", "literal_error", "enum"),
    *("string_pattern_mismatch", "string_too_long", "string_too_short", "too_short"),
    *("too_long", "greater_than", "greater_than_equal", "less_than", "less_than_equal"),
    *("union_tag_invalid", "timedelta_type", "timedelta_parsing", "date_parsing"),
    *("date_from_datetime_parsing", "datetime_parsing", "datetime_from_date_parsing"),
    *("time_parsing", "url_parsing", "none_required"),
}


def violations_from(
    error: ValidationError, document: Document, registry: PluginRegistry, root: type[BaseModel]
) -> list[Violation]:
    """Every error of ``error`` as a located violation, one per property."""
    chosen: dict[Loc, ErrorDetails] = {}
    for detail in error.errors(include_url=False):
        keeps_last = detail["type"] in _ABOUT_A_KEY
        loc = clean_loc((*detail["loc"], *_relative(detail)), document.data, keeps_last)
        kept = chosen.get(loc)
        if kept is None or (kept["type"] in _WEAK and detail["type"] not in _WEAK):
            chosen[loc] = detail
    return [_violation(loc, d, document, registry, root) for loc, d in chosen.items()]


def _relative(detail: ErrorDetails) -> Loc:
    """The sub-location a ``PropertyError`` names, or () for any other error."""
    cause = (detail.get("ctx") or {}).get("error")
    return cause.at if isinstance(cause, PropertyError) else ()


def clean_loc(loc: tuple[int | str, ...], data: Any, keeps_last: bool = False) -> Loc:
    """``loc`` as a location in ``data``: pydantic's union tags dropped, map indexes as keys.

    A last segment absent from the data is kept only when ``keeps_last`` (the error is about
    that key: a missing or unknown property); otherwise it is a union tag.
    """
    out: list[str | int] = []
    current = data
    for position, segment in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(current, Mapping):
            if isinstance(segment, str) and segment in current:
                out.append(segment)
                current = current[segment]
                continue
            if isinstance(segment, int) and 0 <= segment < len(current):
                key = list(current)[segment]
                out.append(key)
                current = current[key]
                continue
        elif isinstance(current, list) and isinstance(segment, int) and segment < len(current):
            out.append(segment)
            current = current[segment]
            continue
        if last and keeps_last and isinstance(current, Mapping | type(None)):
            out.append(segment)
    return tuple(out)


def _violation(
    loc: Loc,
    detail: ErrorDetails,
    document: Document,
    registry: PluginRegistry,
    root: type[BaseModel],
) -> Violation:
    kind = detail["type"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        message = f"required property '{name}' is missing"
        return document.violation(loc[:-1], format_path(loc), message)
    if kind == "union_tag_not_found":
        message = "required property 'type' is missing"
        return document.violation(loc, format_path((*loc, "type")), message)
    if kind == "extra_forbidden":
        known = known_properties(loc[:-1], document.data, registry, root)
        message = f"unknown property '{name}'"
        if known:
            message += "; known properties: " + ", ".join(known)
        return document.violation(loc, format_path(loc), message)
    message = message_for(detail)
    if kind in _NAMED and isinstance(name, str) and name and f"'{name}'" not in message:
        message = f"'{name}': {message}"
    return document.violation(loc, format_path(loc), message)


def message_for(detail: ErrorDetails) -> str:
    """A clear message for one pydantic error (other than missing/unknown properties)."""
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    got = _shown(detail["input"])
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected an integer, got {got}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {got}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected a boolean (true or false), got {got}"
    if kind == "string_type":
        return f"expected a string, got {got}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return f"expected a mapping of properties, got {got}"
    if kind in ("literal_error", "enum"):
        return f"expected {ctx.get('expected', 'one of the allowed values')}, got {got}"
    if kind == "union_tag_invalid":
        tag = _shown(ctx.get("tag"))
        return f"unknown type {tag}; expected one of {ctx.get('expected_tags', '')}"
    return _bounds_message(kind, ctx, got) or _plain(detail["msg"])


def _bounds_message(kind: str, ctx: Mapping[str, Any], got: str) -> str | None:
    if kind == "string_pattern_mismatch":
        return f"{got} does not match the pattern {ctx.get('pattern')}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long, got {got}"
    if kind == "string_too_short":
        return f"must be at least {ctx.get('min_length')} characters long"
    if kind == "too_short":
        return f"must hold at least {ctx.get('min_length')} item(s)"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')}, got {got}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}, got {got}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}, got {got}"
    return None


def _plain(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):  # pydantic's wording for ValueError
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = repr(value)
    else:
        try:
            text = json.dumps(value, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def known_properties(
    loc: Loc, data: Any, registry: PluginRegistry, root: type[BaseModel]
) -> list[str]:
    """The property names the object at ``loc`` accepts, sorted (empty when unknown)."""
    target = _value_at(data, loc)
    cls = _plugin_class(target, registry) or _model_at(root, data, loc, registry)
    if cls is None:
        return []
    return sorted(info.alias or name for name, info in cls.model_fields.items())


def _value_at(data: Any, loc: Loc) -> Any:
    for segment in loc:
        in_map = isinstance(data, Mapping) and segment in data
        in_list = isinstance(data, list) and isinstance(segment, int) and segment < len(data)
        if not (in_map or in_list):
            return None
        data = data[segment]
    return data


def _plugin_class(value: Any, registry: PluginRegistry) -> type[BaseModel] | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("type"), str):
        return None
    for kind in PluginKind:
        found = registry.resolve(kind, value["type"])
        if found is not None:
            return found
    return None


def _model_at(
    root: type[BaseModel], data: Any, loc: Loc, registry: PluginRegistry
) -> type[BaseModel] | None:
    """Follow field annotations from ``root`` along ``loc`` to the model class found there.

    A mapping on the way whose ``type`` the registry knows is read as that plugin's class.
    """
    annotation: Any = root
    value = data
    for segment in loc:
        model = _plugin_class(value, registry) or _as_model(annotation, value)
        if model is not None and isinstance(segment, str):
            annotation = _field(model, segment)
            if annotation is None:
                return None
        else:
            annotation = _item_of(annotation, value)
        value = _value_at(value, (segment,))
    return _plugin_class(value, registry) or _as_model(annotation, value)


def _field(model: type[BaseModel], name: str) -> Any:
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return info.annotation
    return None


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of an annotation: Optional/Union members, Annotated stripped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [alt for arg in get_args(annotation) for alt in _unwrap(arg)]
    return [annotation]


def _as_model(annotation: Any, value: Any) -> type[BaseModel] | None:
    models = [
        alt for alt in _unwrap(annotation) if isinstance(alt, type) and issubclass(alt, BaseModel)
    ]
    tag = value.get("type") if isinstance(value, Mapping) else None
    for model in models:
        field = model.model_fields.get("type")
        if field is not None and get_origin(field.annotation) is Literal:
            if tag in get_args(field.annotation):
                return model
        elif len(models) == 1:
            return model
    return None


def _item_of(annotation: Any, container: Any) -> Any:
    """The annotation of an item of ``container`` (a list or a map) typed by ``annotation``."""
    for alt in _unwrap(annotation):
        origin = get_origin(alt)
        if origin is list and isinstance(container, list):
            return get_args(alt)[0]
        if origin is dict and isinstance(container, Mapping):
            return get_args(alt)[1]
    return Any

"""The JSON Schema (draft 2020-12) of the flow language, for editors and the ``flow schema`` CLI.

Invariants:

* The root describes a flow: every top-level property with its type, ``id``/``namespace``/
  ``tasks`` required, unknown properties refused (``workerGroup``, always rejected, is left out).
* Nested plugins are references to one definition per kind (``#/$defs/task``, ``trigger``,
  ``condition``, ``taskRunner``), each an ``anyOf`` over every registered class of that kind. A
  class's ``type`` is ``{"const": "<type>"}``, or ``{"enum": [type, *aliases]}`` when it has
  legacy aliases, so an editor can tell the classes apart.
* A class's own nested models live under ``$defs`` as ``<type string>.<Model>``, so two plugins
  with same-named models never clash.
* The output is deterministic: kinds, classes and definitions are in sorted order.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter
from pydantic.errors import PydanticUserError

from legato.model.flow import Flow
from legato.model.plugin import Child, Plugin, PluginKind
from legato.model.registry import PluginRegistry

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_HIDDEN_FLOW_PROPERTIES = ("workerGroup",)
_KEPT = ("default", "description", "minItems")


def flow_json_schema(registry: PluginRegistry) -> dict[str, Any]:
    """The JSON Schema of a flow whose plugins are those of ``registry``."""
    defs: dict[str, Any] = {}
    root = _model_schema(Flow, "Flow", defs)
    for hidden in _HIDDEN_FLOW_PROPERTIES:
        root.get("properties", {}).pop(hidden, None)
    for kind in PluginKind:
        refs = []
        for cls in registry.classes(kind):
            defs[cls.plugin_type] = _plugin_schema(cls, defs)
            refs.append({"$ref": _ref(cls.plugin_type)})
        defs[str(kind)] = _kind_schema(kind, refs)
    root["title"] = "Kestra flow"
    return {"$schema": DRAFT, **root, "$defs": {k: defs[k] for k in sorted(defs)}}


def _ref(name: str) -> str:
    return f"#/$defs/{name}"


def _kind_schema(kind: PluginKind, refs: list[dict[str, str]]) -> dict[str, Any]:
    if refs:
        return {"anyOf": refs}
    return {
        "type": "object",
        "description": f"no {kind} plugin is installed",
        "required": ["type"],
        "properties": {"type": {"type": "string"}},
    }


def _plugin_schema(cls: type[Plugin], defs: dict[str, Any]) -> dict[str, Any]:
    try:
        schema = _model_schema(cls, cls.plugin_type, defs)
    except (PydanticUserError, TypeError, ValueError):
        schema = {"type": "object", "properties": {}}
    names = [cls.plugin_type, *cls.aliases]
    type_schema = {"const": names[0]} if len(names) == 1 else {"enum": names}
    schema.setdefault("properties", {})["type"] = type_schema
    schema["required"] = sorted({*schema.get("required", []), "type"})
    schema["title"] = cls.title or cls.plugin_type
    if cls.deprecated:
        schema["deprecated"] = True
    return schema


def _model_schema(cls: type[BaseModel], prefix: str, defs: dict[str, Any]) -> dict[str, Any]:
    """``cls``'s schema, its nested models stored in ``defs`` under ``prefix.<Model>``."""
    schema = cls.model_json_schema(by_alias=True, ref_template=f"#/$defs/{prefix}.{{model}}")
    own = {f"{prefix}.{name}": sub for name, sub in schema.pop("$defs", {}).items()}
    _patch_children(cls, schema, prefix, own, set())
    defs.update(own)
    return schema


def _patch_children(
    cls: type[BaseModel],
    schema: dict[str, Any],
    prefix: str,
    own: dict[str, Any],
    seen: set[type[BaseModel]],
) -> None:
    """Point every nested-plugin property of ``cls`` (and of its nested models) at its kind."""
    seen.add(cls)
    properties = schema.get("properties", {})
    for name, info in cls.model_fields.items():
        annotation: Any = info.annotation
        children = [m for m in info.metadata if isinstance(m, Child)]
        if children:
            annotation = Annotated[annotation, children[0]]
        patched = _child_schema(annotation)
        key = info.alias or name
        if patched is not None and key in properties:
            kept = {k: v for k, v in properties[key].items() if k in _KEPT}
            properties[key] = {**patched, **kept}
        for model in _models_in(annotation):
            sub = own.get(f"{prefix}.{model.__name__}")
            if model not in seen and sub is not None and not issubclass(model, Plugin):
                _patch_children(model, sub, prefix, own, seen)


def _child_schema(annotation: Any) -> dict[str, Any] | None:
    """The schema of an annotation holding nested plugins, or None when it holds none."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        child = next((m for m in args[1:] if isinstance(m, Child)), None)
        return {"$ref": _ref(str(child.kind))} if child else _child_schema(args[0])
    if origin is Union or origin is types.UnionType:
        parts = [_child_schema(arg) for arg in args]
        if all(part is None for part in parts):
            return None
        return {
            "anyOf": [p if p is not None else _plain(a) for p, a in zip(parts, args, strict=True)]
        }
    if origin is list and args:
        items = _child_schema(args[0])
        return None if items is None else {"type": "array", "items": items}
    if origin is dict and len(args) == 2:
        values = _child_schema(args[1])
        return None if values is None else {"type": "object", "additionalProperties": values}
    return None


def _plain(annotation: Any) -> dict[str, Any]:
    if annotation is type(None):
        return {"type": "null"}
    try:
        return TypeAdapter(annotation).json_schema()
    except (PydanticUserError, TypeError, ValueError):
        return {}


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation mentions, at any depth."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]

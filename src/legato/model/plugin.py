"""The base of every typed object in a flow (task, trigger, condition, task runner) and how a
``{type: …, …}`` mapping becomes the right class.

Invariants:

* A plugin class declares its Kestra type string and aliases as class variables (set by
  ``legato.sdk.plugin``); the instance keeps the ``type`` exactly as the flow wrote it.
* Unknown properties are errors (``extra="forbid"``); properties named after Python keywords
  (``else``, ``finally``, ``from``) use an alias and are written back under the Kestra name.
* Fields whose annotation carries ``Child(kind)`` hold nested plugins. They are resolved through the
  ``PluginRegistry`` found in the validation context, after ``pluginDefaults`` from the same
  context are applied, so nested errors keep their full path (``tasks.1.then.0.message``).
"""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, ValidationInfo, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError, core_schema

if TYPE_CHECKING:
    from legato.model.registry import PluginRegistry


class PluginKind(enum.StrEnum):
    """What a plugin is, which decides where it may appear in a flow."""

    TASK = "task"
    TRIGGER = "trigger"
    CONDITION = "condition"
    TASK_RUNNER = "taskRunner"


class Plugin(BaseModel):
    """Base of every typed flow object; subclasses add Kestra's properties with its names."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        arbitrary_types_allowed=False,
        frozen=False,
        coerce_numbers_to_str=True,
        defer_build=True,
    )

    kind: ClassVar[PluginKind]
    plugin_type: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    title: ClassVar[str] = ""
    deprecated: ClassVar[bool] = False

    type: str

    @model_validator(mode="before")
    @classmethod
    def _booleans_as_text(cls, data: Any) -> Any:
        """Read a YAML boolean given to a text property as its text, as Jackson does.

        (Numbers are coerced by ``coerce_numbers_to_str``.) ``format: true`` on a Return task is
        the string ``"true"``, and so is ``true`` inside a list of texts (``conditions: [true]``);
        a property that also accepts booleans keeps the boolean.
        """
        if not isinstance(data, Mapping):
            return data
        shapes = _text_fields(cls)
        if not any(k in shapes and _holds_bool(v) for k, v in data.items()):
            return data
        return {k: _as_text(v) if k in shapes else v for k, v in data.items()}


def _holds_bool(value: Any) -> bool:
    return isinstance(value, bool) or (
        isinstance(value, list) and any(isinstance(item, bool) for item in value)
    )


def _as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_as_text(item) if isinstance(item, bool) else item for item in value]
    return value


def _is_text(annotation: Any) -> bool:
    return annotation is str or getattr(annotation, "__name__", "") == "Expression"


def _accepts_only_text(annotation: Any) -> bool:
    """True for text-only annotations (``str``, ``Dyn[str]``, optional or not) and for lists of
    them (``list[str]``, ``Dyn[list[str]]``)."""
    if _is_text(annotation):
        return True
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        return len(args) == 1 and _accepts_only_text(args[0])
    if origin not in (typing.Union, types.UnionType) or not args:
        return False
    kept = [a for a in args if a is not type(None)]
    return all(_accepts_only_text(a) for a in kept)


@functools.cache
def _text_fields(cls: type[Plugin]) -> frozenset[str]:
    names: set[str] = set()
    for name, info in cls.model_fields.items():
        if _accepts_only_text(info.annotation):
            names.update({name, info.alias or name})
    return frozenset(names)


@dataclass(frozen=True)
class PluginDefault:
    """One ``pluginDefaults`` entry: values applied to plugins whose type equals or starts with
    ``type``; ``forced`` values override what the flow wrote."""

    type: str
    values: Mapping[str, Any]
    forced: bool = False


@dataclass
class ParseContext:
    """What validation needs beyond the data: passed as pydantic's validation ``context``."""

    registry: PluginRegistry
    defaults: list[PluginDefault] = field(default_factory=list)
    #: deprecation and other non-fatal notes gathered while validating: (path, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def context_of(info: ValidationInfo) -> ParseContext:
    ctx = info.context
    if isinstance(ctx, ParseContext):
        return ctx
    wrapped = ctx.get("parse") if isinstance(ctx, Mapping) else None
    if isinstance(wrapped, ParseContext):
        return wrapped
    raise PydanticCustomError(
        "no_registry", "plugins can only be validated with a ParseContext holding a registry"
    )


def apply_defaults(
    raw: Mapping[str, Any], cls: type[Plugin], defaults: list[PluginDefault]
) -> dict[str, Any]:
    """Merge matching ``pluginDefaults`` into ``raw``; keys ``cls`` does not have are ignored."""
    written = str(raw.get("type", ""))
    names = {written, cls.plugin_type, *cls.aliases}
    result: dict[str, Any] = dict(raw)
    known = {f.alias or name for name, f in cls.model_fields.items()} | set(cls.model_fields)
    for default in defaults:
        if not default.type or not any(n.startswith(default.type) for n in names if n):
            continue
        values = {k: v for k, v in default.values.items() if k in known and k != "type"}
        if default.forced:
            result = deep_merge(result, values)
        else:
            result = deep_merge(values, result)
    return result


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``over`` into ``base``: nested maps merge, everything else from ``over`` wins."""
    merged: dict[str, Any] = dict(base)
    for key, value in over.items():
        old = merged.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(old, value)
        else:
            merged[key] = value
    return merged


def _error(kind: str, message: str, loc: tuple[str | int, ...], value: Any) -> ValidationError:
    detail: InitErrorDetails = {
        "type": PydanticCustomError(kind, message),
        "loc": loc,
        "input": value,
    }
    return ValidationError.from_exception_data("Plugin", [detail])


def validate_plugin(value: Any, kind: PluginKind, info: ValidationInfo) -> Plugin:
    """Resolve ``value`` (a mapping with ``type``) to its plugin class and validate it."""
    if isinstance(value, Plugin):
        return value
    if not isinstance(value, Mapping):
        raise PydanticCustomError(
            "plugin_mapping", "expected a {kind} as a mapping with a 'type'", {"kind": str(kind)}
        )
    ctx = context_of(info)
    type_name = value.get("type")
    if not isinstance(type_name, str) or not type_name:
        raise _error("missing", f"every {kind} needs a 'type'", ("type",), value)
    cls = ctx.registry.resolve(kind, type_name)
    if cls is None:
        message = ctx.registry.unknown_message(kind, type_name)
        raise _error("unknown_type", message, ("type",), value)
    if type_name != cls.plugin_type and type_name in cls.aliases:
        ctx.warnings.append(("type", f"'{type_name}' is a legacy alias of '{cls.plugin_type}'"))
    if cls.deprecated:
        ctx.warnings.append(("type", f"'{cls.plugin_type}' is deprecated"))
    merged = apply_defaults(value, cls, ctx.defaults)
    return cls.model_validate(merged, context=info.context)


@dataclass(frozen=True)
class Child:
    """Annotation marker: the field holds a nested plugin of ``kind`` (task, trigger…)."""

    kind: PluginKind

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        kind = self.kind

        def validate(value: Any, info: ValidationInfo) -> Plugin:
            return validate_plugin(value, kind, info)

        return core_schema.with_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _dump_plugin, when_used="always"
            ),
            json_schema_input_schema=core_schema.dict_schema(),
        )


def _dump_plugin(value: Any) -> Any:
    if isinstance(value, Plugin):
        return value.model_dump(by_alias=True, exclude_unset=True, mode="json")
    return value

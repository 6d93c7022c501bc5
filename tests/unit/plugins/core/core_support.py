"""Helpers for the core plugin tests: a registry of the core plugins and validation shortcuts."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from legato.model.plugin import ParseContext, Plugin, PluginKind
from legato.model.registry import PluginRegistry
from legato.model.violations import PropertyError
from legato.plugins.core import PLUGINS

REGISTRY = PluginRegistry(PLUGINS)

LOG = "io.kestra.plugin.core.log.Log"


def log(task_id: str, message: str = "hello") -> dict[str, Any]:
    """A minimal valid Log task."""
    return {"id": task_id, "type": LOG, "message": message}


def context() -> ParseContext:
    return ParseContext(registry=REGISTRY)


def validate(kind: PluginKind, raw: dict[str, Any], ctx: ParseContext | None = None) -> Plugin:
    """Resolve ``raw`` by its type and validate it, as a flow's nested plugins are."""
    cls = REGISTRY.get(kind, raw["type"])
    return cls.model_validate(raw, context=ctx or context())


def task(raw: dict[str, Any]) -> Any:
    return validate(PluginKind.TASK, raw)


def trigger(raw: dict[str, Any]) -> Any:
    return validate(PluginKind.TRIGGER, raw)


def condition(raw: dict[str, Any]) -> Any:
    return validate(PluginKind.CONDITION, raw)


def errors(kind: PluginKind, raw: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """The (location, message) pairs of validating ``raw``, which must be invalid.

    A rule raised as ``PropertyError`` is located at the sub-property it names, as the flow
    parser reports it.
    """
    with pytest.raises(ValidationError) as caught:
        validate(kind, raw)
    return [(_location(e), e["msg"]) for e in caught.value.errors()]


def _location(error: ErrorDetails) -> tuple[Any, ...]:
    cause = (error.get("ctx") or {}).get("error")
    relative = cause.at if isinstance(cause, PropertyError) else ()
    return (*error["loc"], *relative)


def task_errors(raw: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    return errors(PluginKind.TASK, raw)

"""Shared support for the plugin unit tests: a fake ``RunContext`` and tasks loaded the way a
flow loads them.

- ``FakeRunContext`` is the core tests' fake (``core/run_support.py``: in-memory internal
  storage, collected logs and metrics). It is loaded once under the module name ``run_support``
  whichever comes first, a core test importing it from its folder or a test of another group
  asking here, so every plugin test sees one and the same class.
- ``load_task`` validates a definition as a flow's nested task (``AnyTask`` against the given
  registry: aliases, deprecations and defaults applied); ``id`` defaults to ``t``.
- ``validate_declaration`` / ``declaration_error`` validate a declaration by the class its type
  names (no defaults), for the tests of documented examples, defaults and rejected values.

This folder is importable because ``tests/unit/plugins/conftest.py`` lives in it (pytest puts
each conftest's folder on ``sys.path``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from legato.model.plugin import ParseContext, Plugin, PluginKind
from legato.model.registry import PluginRegistry
from legato.sdk import AnyTask, Task

_TASK: TypeAdapter[Task] = TypeAdapter(AnyTask)
_RUN_SUPPORT = Path(__file__).resolve().parent / "core" / "run_support.py"


def support_module(name: str, path: Path) -> ModuleType:
    """The test support module ``name`` at ``path``, loaded once and kept in ``sys.modules``
    (a folder of tests is on ``sys.path`` only once pytest collects it)."""
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, f"no test support module at {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def fake_run_context_class() -> Any:
    """The ``FakeRunContext`` class itself (to subclass it)."""
    return support_module("run_support", _RUN_SUPPORT).FakeRunContext


def fake_run_context(base: Path, **options: Any) -> Any:
    """A fresh ``FakeRunContext`` over the directory ``base`` (``options``: ``variables``,
    ``logs``, ``executions``, ``killed``)."""
    return fake_run_context_class()(base, **options)


def load_task(registry: PluginRegistry, definition: dict[str, Any]) -> Any:
    """The task of ``definition`` validated against ``registry``; ``id`` defaults to ``t``."""
    return _TASK.validate_python({"id": "t", **definition}, context=ParseContext(registry))


def run_task(registry: PluginRegistry, ctx: Any, definition: dict[str, Any]) -> dict[str, Any]:
    """Load the task of ``definition`` and run it on ``ctx``: its outputs."""
    outputs: dict[str, Any] = load_task(registry, definition).run(ctx)
    return outputs


def validate_declaration(
    registry: PluginRegistry, raw: dict[str, Any], kind: PluginKind = PluginKind.TASK
) -> tuple[Plugin, ParseContext]:
    """``raw`` validated by the ``kind`` class its ``type`` names in ``registry``: the plugin and
    the parse context that collected its warnings (aliases, deprecations)."""
    context = ParseContext(registry=registry)
    cls = registry.get(kind, raw["type"])
    return cls.model_validate(raw, context=context), context


def declaration_error(
    registry: PluginRegistry, raw: dict[str, Any], kind: PluginKind = PluginKind.TASK
) -> str:
    """The validation error of ``raw``, which must be rejected, as text."""
    with pytest.raises(ValidationError) as info:
        validate_declaration(registry, raw, kind)
    return str(info.value)

"""Helpers for the serdes tests: run a task on the core tests' fake ``RunContext`` and move
files in and out of its in-memory internal storage."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from legato.model.plugin import ParseContext
from legato.model.registry import PluginRegistry
from legato.plugins.serdes import PLUGINS
from legato.sdk import AnyTask, Task
from legato.sdk.ion_files import iter_ion_values, write_ion_file

REGISTRY = PluginRegistry(PLUGINS)
_TASK: TypeAdapter[Task] = TypeAdapter(AnyTask)
PREFIX = "io.kestra.plugin.serdes."


def _run_support() -> Any:
    if "run_support" in sys.modules:
        return sys.modules["run_support"]
    path = Path(__file__).parents[1] / "core" / "run_support.py"
    spec = importlib.util.spec_from_file_location("run_support", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_support"] = module
    spec.loader.exec_module(module)
    return module


def context(tmp_path: Path) -> Any:
    """A fresh fake ``RunContext`` over ``tmp_path``."""
    return _run_support().FakeRunContext(tmp_path)


def load(definition: dict[str, Any]) -> Any:
    """Validate a task definition (``type`` relative to the serdes package)."""
    raw = {"id": "t", **definition, "type": PREFIX + definition["type"]}
    return _TASK.validate_python(raw, context=ParseContext(REGISTRY))


def run(ctx: Any, type_name: str, **props: Any) -> dict[str, Any]:
    """Run the serdes task ``type_name`` (e.g. ``csv.CsvToIon``) with ``props``."""
    outputs: dict[str, Any] = load({"type": type_name, **props}).run(ctx)
    return outputs


def put_text(ctx: Any, text: str, name: str = "in.txt", encoding: str = "utf-8") -> str:
    return str(ctx.storage.put_bytes(text.encode(encoding), name))


def put_ion(ctx: Any, rows: list[Any], name: str = "in.ion") -> str:
    path = ctx.base / name
    write_ion_file(path, rows)
    return put_text(ctx, path.read_text(encoding="utf-8"), name)


def text_of(ctx: Any, uri: str, encoding: str = "utf-8") -> str:
    return str(ctx.storage.get_bytes(uri).decode(encoding))


def ion_of(ctx: Any, uri: str) -> list[Any]:
    path = ctx.base / "read-back.ion"
    path.write_bytes(ctx.storage.get_bytes(uri))
    return list(iter_ion_values(path))

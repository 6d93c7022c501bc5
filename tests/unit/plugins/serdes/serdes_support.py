"""Helpers for the serdes tests: run a serdes task on the shared fake ``RunContext``
(``plugin_support``) and move files in and out of its in-memory internal storage."""

from __future__ import annotations

from typing import Any

from plugin_support import load_task

from legato.model.registry import PluginRegistry
from legato.plugins.serdes import PLUGINS
from legato.sdk.ion_files import iter_ion_values, write_ion_file

REGISTRY = PluginRegistry(PLUGINS)
PREFIX = "io.kestra.plugin.serdes."


def load(definition: dict[str, Any]) -> Any:
    """Validate a task definition (``type`` relative to the serdes package)."""
    return load_task(REGISTRY, {**definition, "type": PREFIX + definition["type"]})


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

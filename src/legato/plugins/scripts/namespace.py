"""``namespaceFiles``: copy a namespace's files into a script task's working directory.

Invariants: ``include``/``exclude`` are globs (``fnmatch``) on the relative paths; the flow's
namespace is used unless ``namespaces`` lists others (read in order, later ones overwriting per
``ifExists``); ``folderPerNamespace`` puts each namespace's files under a folder of its name.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from legato.sdk.input_files import safe_relative
from legato.sdk.run_context import RunContext, TaskError
from legato.sdk.scripts import NamespaceFiles

__all__ = ["copy_namespace_files"]


def copy_namespace_files(ctx: RunContext, options: NamespaceFiles, working: Path) -> None:
    """Copy the selected namespace files of ``options`` into ``working``."""
    if not ctx.render_as(options.enabled, bool):
        return
    include = _globs(ctx, options.include)
    exclude = _globs(ctx, options.exclude)
    namespaces = _globs(ctx, options.namespaces) or [ctx.flow_info.namespace]
    per_folder = ctx.render_as(options.folderPerNamespace, bool)
    if_exists = ctx.render_string(options.ifExists)
    for namespace in namespaces:
        files = ctx.storage.namespace_files(namespace)
        for name in files.list():
            if include and not any(fnmatch.fnmatch(name, g) for g in include):
                continue
            if any(fnmatch.fnmatch(name, g) for g in exclude):
                continue
            relative = safe_relative(name, "namespace file")
            base = working / namespace if per_folder else working
            target = base.joinpath(*relative.parts)
            if target.exists() and not _may_overwrite(ctx, if_exists, name):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files.get(name))


def _may_overwrite(ctx: RunContext, if_exists: str, name: str) -> bool:
    if if_exists == "FAIL":
        raise TaskError(f"namespace file '{name}' already exists in the working directory")
    if if_exists == "WARN":
        ctx.logger.warn(f"namespace file '{name}' already exists in the working directory")
        return False
    return if_exists == "OVERWRITE"


def _globs(ctx: RunContext, value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in ctx.render_as(value, list[Any])]

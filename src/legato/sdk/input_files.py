"""``inputFiles`` of tasks that work in a directory (scripts, DuckDB, WorkingDirectory).

Invariants:

* The property is rendered once: a map (name → content or ``kestra://`` URI), or an expression
  or JSON string giving one; anything else is a non-retryable ``TaskError``. Content that is not
  text (a rendered number, list or map) is written as its JSON.
* A file name is relative and stays inside the directory: an absolute name, a drive letter or a
  ``..`` segment is a non-retryable ``TaskError`` naming it.
* A content starting with ``kestra://`` is fetched from internal storage; any other content is
  written as UTF-8 text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from legato.sdk.run_context import RunContext, TaskError


def safe_relative(name: str, what: str = "inputFiles name") -> PurePosixPath:
    """``name`` as a relative path inside the working directory, else ``TaskError``."""
    normalized = name.replace("\\", "/")
    path = PurePosixPath(normalized)
    if not normalized or path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        raise TaskError(
            f"{what} '{name}' must be a path relative to the working directory",
            retryable=False,
        )
    if ".." in path.parts:
        raise TaskError(
            f"{what} '{name}' contains a '..' segment; files must stay inside the working "
            "directory",
            retryable=False,
        )
    return path


def input_file_map(
    ctx: RunContext, value: Any, extra: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """The rendered ``inputFiles`` map: file name → content or ``kestra://`` URI."""
    if value is None:
        return {}
    rendered = ctx.render(value, extra)
    if isinstance(rendered, str):
        try:
            rendered = json.loads(rendered)
        except ValueError:
            rendered = None
    if not isinstance(rendered, Mapping):
        raise TaskError(
            "inputFiles must render to a map of file name to content or kestra:// URI "
            "(or a JSON string of one)",
            retryable=False,
        )
    return {str(name): _text(content) for name, content in rendered.items()}


def _text(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content)


def write_input_files(ctx: RunContext, files: Mapping[str, str], directory: Path) -> None:
    """Write each file of ``files`` (name → content or ``kestra://`` URI) into ``directory``."""
    for name, content in files.items():
        target = directory.joinpath(*safe_relative(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if content.startswith("kestra://"):
            target.write_bytes(ctx.storage.get_bytes(content))
        else:
            target.write_text(content, encoding="utf-8")

"""Files of a script task's working directory: input files in, output files out.

Invariants:

* An input file name is relative and stays inside the working directory: an absolute name or a
  ``..`` segment raises a non-retryable ``TaskError`` naming it. A value starting with
  ``kestra://`` is fetched from internal storage; any other value is the file's content.
* ``localize_uris`` replaces every ``kestra://`` URI inside a command or script by the absolute
  path of a local copy in the working directory (as Kestra's task runners do).
* Output globs are relative to the working directory (same refusal); each matching file is
  uploaded and keyed by its path relative to the working directory. A glob matching nothing
  fails the task, naming the glob. Every file under the output directory is uploaded, keyed by
  its path relative to that directory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from legato.sdk.run_context import RunContext, TaskError

__all__ = [
    "collect_output_files",
    "input_file_map",
    "localize_uris",
    "safe_relative",
    "write_input_files",
]

_INTERNAL_URI = re.compile(r"kestra://[-\w._+~#=/]*")


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


def input_file_map(ctx: RunContext, value: Any) -> dict[str, str]:
    """The rendered ``inputFiles`` map (an expression may give a map or a JSON string of one)."""
    if value is None:
        return {}
    rendered = ctx.render(value) if not isinstance(value, Mapping) else value
    if isinstance(rendered, str):
        try:
            rendered = json.loads(rendered)
        except ValueError:
            rendered = None
    if not isinstance(rendered, Mapping):
        raise TaskError(
            "inputFiles must render to a map of file name to content (or a JSON string of one)",
            retryable=False,
        )
    return {ctx.render_string(str(k)): ctx.render_string(v) for k, v in rendered.items()}


def write_input_files(ctx: RunContext, files: Mapping[str, str], directory: Path) -> None:
    """Write each file of ``files`` (name → content or ``kestra://`` URI) into ``directory``."""
    for name, content in files.items():
        target = directory.joinpath(*safe_relative(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if content.startswith("kestra://"):
            target.write_bytes(ctx.storage.get_bytes(content))
        else:
            target.write_text(content, encoding="utf-8")


def collect_output_files(
    ctx: RunContext, globs: Iterable[str], directory: Path, output_dir: Path | None = None
) -> dict[str, str]:
    """Upload the files matching ``globs`` (and all of ``output_dir``); relative path → URI."""
    found: dict[str, Path] = {}
    for glob in globs:
        safe_relative(glob, "outputFiles glob")
        matches = sorted(p for p in directory.glob(glob) if p.is_file())
        if not matches:
            raise TaskError(
                f"outputFiles glob '{glob}' matched no file in the working directory",
                retryable=False,
            )
        for path in matches:
            found[path.relative_to(directory).as_posix()] = path
    if output_dir is not None and output_dir.is_dir():
        for path in sorted(p for p in output_dir.rglob("*") if p.is_file()):
            found.setdefault(path.relative_to(output_dir).as_posix(), path)
    return {name: ctx.storage.put_file(path, name) for name, path in found.items()}


def localize_uris(ctx: RunContext, text: str, directory: Path) -> str:
    """``text`` with each ``kestra://`` URI replaced by the path of a local copy of its file."""

    def copy(match: re.Match[str]) -> str:
        uri = match.group(0)
        name = PurePosixPath(uri).name or "file"
        target = directory / f".input-{len(list(directory.glob('.input-*')))}-{name}"
        target.write_bytes(ctx.storage.get_bytes(uri))
        return str(target)

    return _INTERNAL_URI.sub(copy, text)

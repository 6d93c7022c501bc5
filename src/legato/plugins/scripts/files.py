"""Files of a script task's working directory: input files in, output files out.

Invariants:

* Input files are written by ``legato.sdk.input_files``, shared with the other tasks that work
  in a directory.
* ``localize_uris`` replaces every ``kestra://`` URI inside a command or script by the absolute
  path of a local copy in the working directory (as Kestra's task runners do).
* Output globs are relative to the working directory (same refusal); each matching file is
  uploaded and keyed by its path relative to the working directory. A glob matching nothing
  fails the task, naming the glob. Every file under the output directory is uploaded, keyed by
  its path relative to that directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from legato.sdk.input_files import safe_relative
from legato.sdk.run_context import RunContext, TaskError

__all__ = ["collect_output_files", "localize_uris"]

_INTERNAL_URI = re.compile(r"kestra://[-\w._+~#=/]*")


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

"""File helpers of the storage tasks: working-directory temp files, streaming copies from
internal storage, Java-style line splitting, and ``LocalFiles`` inputs/outputs.

Invariants: temp files live in the attempt's working directory (removed with it); internal
storage is read through ``RunContext.storage`` only; paths written from ``inputs`` must stay
inside the working directory.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from legato.plugins.core import globs
from legato.sdk.run_context import RunContext, TaskError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def temp_file(ctx: RunContext, extension: str | None) -> Path:
    """A new empty file in the working directory, named with ``extension`` (e.g. ``.txt``)."""
    handle, path = tempfile.mkstemp(suffix=extension or "", dir=ctx.working_dir())
    os.close(handle)
    return Path(path)


def copy_into(ctx: RunContext, uri: str, out: IO[bytes]) -> None:
    """Append the content of the internal-storage file ``uri`` to ``out``, streaming."""
    with ctx.storage.open_local(uri).open("rb") as source:
        shutil.copyfileobj(source, out, 1 << 16)


def java_lines(text: str) -> list[str]:
    """Lines as Java's readers return them: ``\\n``, ``\\r\\n`` or ``\\r`` end a line, the
    terminators are dropped, and a final terminator opens no empty line."""
    if not text:
        return []
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines[-1] == "" else lines


def reverse_lines(
    source: Path,
    target: Path,
    charset: str,
    separator: str,
    scratch: Path,
    segment_chars: int = 8 << 20,
) -> None:
    """Write the lines of ``source`` last first, each followed by ``separator``.

    Lines are cut as ``java_lines`` cuts them. The file is read forward once in segments of about
    ``segment_chars`` characters, each spilled reversed to a scratch file, then the segments are
    copied back last first: memory stays bounded by one segment.
    """
    segments: list[Path] = []
    with source.open(encoding=charset, newline=None) as reader:
        while True:
            lines, size = [], 0
            for raw in reader:
                lines.append(raw[:-1] if raw.endswith("\n") else raw)
                size += len(raw)
                if size >= segment_chars:
                    break
            if not lines:
                break
            segments.append(_spill(reversed(lines), scratch))
    with target.open("w", encoding=charset, newline="") as out:
        for segment in reversed(segments):
            with segment.open(encoding="utf-8", newline="\n") as lines_back:
                for line in lines_back:
                    out.write(line[:-1] + separator)
            segment.unlink()


def _spill(lines: Iterator[str], scratch: Path) -> Path:
    handle, name = tempfile.mkstemp(suffix=".lines", dir=scratch)
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        for line in lines:
            out.write(line + "\n")
    return Path(name)


def write_inputs(ctx: RunContext, inputs: Mapping[str, Any]) -> None:
    """Create the files of ``inputs`` (relative name → text, or a ``kestra://`` URI to copy)."""
    root = ctx.working_dir().resolve()
    for name, value in inputs.items():
        target = (root / ctx.render_string(name)).resolve()
        if root not in target.parents:
            raise TaskError(f"input file '{name}' must stay inside the working directory")
        target.parent.mkdir(parents=True, exist_ok=True)
        content = ctx.render_string(value)
        if content.startswith("kestra://"):
            with target.open("wb") as out:
                copy_into(ctx, content, out)
        else:
            target.write_text(content, encoding="utf-8")


def upload_outputs(ctx: RunContext, patterns: list[str]) -> dict[str, str]:
    """Upload the working-directory files matching ``patterns``: relative path → URI."""
    if not patterns:
        return {}
    root = ctx.working_dir()
    uris: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if globs.matches(relative, patterns):
            uris[relative] = ctx.storage.put_file(path, relative)
    return uris

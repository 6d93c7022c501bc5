"""Split a text file into several, as Kestra's ``StorageService.split`` does.

Lines are read as Java's ``readLine`` reads them (``\\n``, ``\\r\\n`` or ``\\r`` end a line, the
terminator is dropped) and each line is written followed by ``separator``. Strategies, first
match wins: ``regexPattern`` (lines grouped by the first capture group, non-matching lines
dropped), ``bytes`` (a new file once the current one holds at least that many bytes), then
``partitions`` (round-robin over N files; empty ones dropped) and ``rows`` (a new file every N
lines). Invariants: parts are written in ``directory`` with the source file's extension (``.tmp``
when it has none), in creation order; nothing is kept in memory but the current line.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO

_SIZE = re.compile(r"^\s*(\d+)\s*(KB|MB|GB)?\s*$", re.IGNORECASE)
_UNITS = {None: 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


@dataclass(frozen=True)
class SplitRule:
    """How to split: exactly one strategy is used (see the module docstring)."""

    bytes: int | None = None
    partitions: int | None = None
    rows: int | None = None
    regex: str | None = None
    separator: str = "\n"


def readable_bytes(text: str) -> int:
    """``10MB`` → 10485760 (binary units KB/MB/GB, or a plain number of bytes)."""
    match = _SIZE.match(str(text))
    if match is None:
        raise ValueError(f"Invalid size with value '{text}'; use a number of bytes or e.g. 10MB")
    unit = match.group(2).upper() if match.group(2) else None
    return int(match.group(1)) * _UNITS[unit]


def extension_of(uri: str) -> str:
    """The extension (with its dot) of the last path segment of ``uri``, ``.tmp`` if none."""
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    return name[name.rfind(".") :] if "." in name else ".tmp"


def split_file(source: str, rule: SplitRule, directory: str, extension: str) -> list[str]:
    """Split the local file ``source`` into new files in ``directory``; return their paths."""
    with open(source, encoding="utf-8", newline=None) as reader:
        lines = (line.rstrip("\n") for line in reader)
        if rule.regex is not None:
            return _by_key(lines, re.compile(rule.regex), rule.separator, directory, extension)
        if rule.bytes is not None:
            limit = rule.bytes
            return _sequential(lines, rule.separator, directory, extension, lambda b, _: b >= limit)
        if rule.partitions is not None:
            return _partition(lines, rule.partitions, rule.separator, directory, extension)
        if rule.rows is not None:
            count = rule.rows
            return _sequential(lines, rule.separator, directory, extension, lambda _, r: r >= count)
    raise ValueError("Split needs one of 'bytes', 'partitions', 'rows' or 'regexPattern'")


def _new_file(directory: str, extension: str) -> tuple[str, IO[bytes]]:
    handle, path = tempfile.mkstemp(suffix=extension, dir=directory)
    return path, os.fdopen(handle, "wb")


def _sequential(
    lines: Iterator[str],
    separator: str,
    directory: str,
    extension: str,
    full: Callable[[int, int], bool],
) -> list[str]:
    paths: list[str] = []
    writer: IO[bytes] | None = None
    size = rows = 0
    try:
        for line in lines:
            if writer is None or full(size, rows):
                if writer is not None:
                    writer.close()
                path, writer = _new_file(directory, extension)
                paths.append(path)
                size = rows = 0
            data = (line + separator).encode("utf-8")
            writer.write(data)
            size, rows = size + len(data), rows + 1
    finally:
        if writer is not None:
            writer.close()
    return paths


def _partition(
    lines: Iterator[str], partitions: int, separator: str, directory: str, extension: str
) -> list[str]:
    if partitions < 1:
        raise ValueError(f"'partitions' must be at least 1, got {partitions}")
    with ExitStack() as stack:
        files = [_new_file(directory, extension) for _ in range(partitions)]
        writers = [stack.enter_context(writer) for _, writer in files]
        for index, line in enumerate(lines):
            writers[index % partitions].write((line + separator).encode("utf-8"))
    return _non_empty([path for path, _ in files])


def _by_key(
    lines: Iterator[str], pattern: re.Pattern[str], separator: str, directory: str, extension: str
) -> list[str]:
    paths: list[str] = []
    writers: dict[str, IO[bytes]] = {}
    with ExitStack() as stack:
        for line in lines:
            match = pattern.search(line)
            if match is None or pattern.groups == 0:
                continue
            key = match.group(1)
            if key not in writers:
                path, writer = _new_file(directory, extension)
                paths.append(path)
                writers[key] = stack.enter_context(writer)
            writers[key].write((line + separator).encode("utf-8"))
    return _non_empty(paths)


def _non_empty(paths: list[str]) -> list[str]:
    kept = []
    for path in paths:
        if os.path.getsize(path) > 0:
            kept.append(path)
        else:
            os.remove(path)
    return kept

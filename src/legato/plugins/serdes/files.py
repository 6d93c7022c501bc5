"""What every serdes task shares: the ``from`` property, the source file, the output file, the
``records`` metric, and errors that name the file.

Invariants: the source is read from a local copy of the ``kestra://`` URI (never loaded whole by
this module); the result is written to a temp file in the attempt's working directory and
uploaded under the task run's prefix; the ``records`` counter (as Kestra's) counts the rows
converted; every failure is a non-retryable ``TaskError`` naming the file and what to do.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from legato.model.property import Dyn
from legato.sdk import RunnableTask
from legato.sdk.ion_files import IonFileError, iter_ion_values
from legato.sdk.run_context import RunContext, TaskError

OnBadLines = Literal["ERROR", "WARN", "SKIP"]
BAD_LINE_POLICIES: tuple[str, ...] = ("ERROR", "WARN", "SKIP")


class ConvertTask(RunnableTask):
    """A conversion reading the internal-storage file ``from``."""

    from_: Dyn[str] = Field(alias="from")


@dataclass(frozen=True)
class Source:
    """The file a task converts: its URI (for messages) and a local copy."""

    uri: str
    path: Path


def open_source(ctx: RunContext, task: ConvertTask) -> Source:
    """The rendered ``from`` URI and a local copy of its content."""
    return open_uri(ctx, ctx.render_string(task.from_))


def open_uri(ctx: RunContext, uri: str) -> Source:
    """A local copy of the internal-storage file ``uri`` (already rendered)."""
    if not uri.startswith("kestra://"):
        raise TaskError(
            f"'from' must be an internal-storage URI (kestra://...), got '{uri}': pass the "
            "'uri' output of a previous task",
            retryable=False,
        )
    if not ctx.storage.exists(uri):
        raise TaskError(f"File '{uri}' not found in internal storage", retryable=False)
    return Source(uri, Path(ctx.storage.open_local(uri)))


def output_file(ctx: RunContext, extension: str) -> Path:
    """A new empty file in the working directory, ending with ``extension``."""
    handle, path = tempfile.mkstemp(suffix=extension, dir=ctx.working_dir())
    os.close(handle)
    return Path(path)


def finish(ctx: RunContext, path: Path, records: int, **outputs: Any) -> dict[str, Any]:
    """Upload ``path``, record the ``records`` metric; outputs ``uri`` plus ``outputs``."""
    ctx.metric("records", records)
    return {"uri": ctx.storage.put_file(path), **outputs}


def ion_rows(source: Source) -> Iterator[Any]:
    """The values of an Ion source, streamed; a malformed file fails the task."""
    try:
        yield from iter_ion_values(source.path, name=source.uri)
    except IonFileError as error:
        raise TaskError(str(error), retryable=False) from None


@contextmanager
def decoding(source: Source, encoding: str) -> Iterator[None]:
    """Reading ``source`` as ``encoding`` text: a byte sequence that is not valid in it fails
    the task naming the file, the position and the property to set."""
    try:
        yield
    except UnicodeDecodeError as error:
        raise TaskError(
            f"'{source.uri}' is not valid {encoding} text ({error.reason} at byte "
            f"{error.start}): set 'charset' to the file's encoding",
            retryable=False,
        ) from None


def charset_of(ctx: RunContext, charset: str, *, reading: bool) -> str:
    """Python's codec name for a Java charset name; UTF-8 reading drops a leading BOM."""
    name = ctx.render_string(charset)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise TaskError(
            f"Unknown charset '{name}': use a name such as UTF-8, ISO-8859-1 or UTF-16",
            retryable=False,
        ) from None
    return "utf-8-sig" if reading and codec == "utf-8" else codec


def single_char(ctx: RunContext, value: str, name: str) -> str:
    """A rendered property that must be exactly one character (a Java ``Character``)."""
    text = ctx.render_string(value)
    if len(text) != 1:
        raise TaskError(f"'{name}' must be a single character, got '{text}'", retryable=False)
    return text


def choice(ctx: RunContext, value: str, name: str, allowed: tuple[str, ...]) -> str:
    """A rendered enum property, checked against Kestra's values."""
    text = ctx.render_string(value)
    if text not in allowed:
        raise TaskError(
            f"'{name}' must be one of {', '.join(allowed)}, got '{text}'", retryable=False
        )
    return text


def bad_row(ctx: RunContext, policy: str, message: str, advice: str) -> None:
    """Apply ``onBadLines`` to a bad row: ERROR fails, WARN logs, SKIP says nothing."""
    if policy == "ERROR":
        raise TaskError(f"{message}; {advice}", retryable=False)
    if policy == "WARN":
        ctx.logger.warn(f"Bad line skipped: {message}")

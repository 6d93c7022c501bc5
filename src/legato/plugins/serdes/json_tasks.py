"""``json.JsonToIon`` (legacy ``JsonReader``), ``json.IonToJson`` (legacy ``JsonWriter``) and
``json.JsonToJsonl``.

* JsonToIon keeps JSON's types (integers, doubles, strings, booleans, nulls, arrays, objects).
  With ``newLine`` (=true) each non-blank line is one JSON value (JSON Lines); without it the
  file is one JSON value, and a top-level array gives one row per item. Either way the file is
  streamed: an array's items are decoded one at a time.
* IonToJson writes each Ion row as compact JSON (``json_values``): one per line with
  ``newLine`` (a ``.jsonl`` file), else one JSON array (a ``.json`` file), written as it goes.
* JsonToJsonl turns a JSON array (or a single value) into JSON Lines.
* A JSON syntax error names the file and its line and says whether ``newLine`` fits the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import IO, Any, NoReturn

from legato.model.property import Dyn
from legato.plugins.serdes.files import (
    ConvertTask,
    Source,
    charset_of,
    decoding,
    finish,
    ion_rows,
    open_source,
    output_file,
)
from legato.plugins.serdes.json_values import json_text
from legato.plugins.serdes.text_values import zone_of
from legato.sdk import plugin
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext, TaskError

_CHUNK = 1 << 16
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"\s*")


@plugin(
    "io.kestra.plugin.serdes.json.JsonToIon",
    aliases=("io.kestra.plugin.serdes.json.JsonReader",),
    title="Convert a JSON or JSON Lines file to the Amazon Ion format.",
)
class JsonToIon(ConvertTask):
    """Read JSON (Lines) and write Ion rows."""

    charset: Dyn[str] = "UTF-8"
    newLine: Dyn[bool] = True

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.ion`` file; metric ``records``."""
        source = open_source(ctx, self)
        encoding = charset_of(ctx, self.charset, reading=True)
        values = json_values(source, encoding, ctx.render_as(self.newLine, bool))
        target = output_file(ctx, ".ion")
        with IonRowWriter(target) as writer:
            writer.write_all(values)
        return finish(ctx, target, writer.count)


@plugin(
    "io.kestra.plugin.serdes.json.IonToJson",
    aliases=("io.kestra.plugin.serdes.json.JsonWriter",),
    title="Convert an Ion file to JSON Lines or a JSON array.",
)
class IonToJson(ConvertTask):
    """Read Ion rows and write them as JSON."""

    charset: Dyn[str] = "UTF-8"
    newLine: Dyn[bool] = True
    timeZoneId: Dyn[str] = "UTC"
    shouldKeepAnnotations: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: a ``.jsonl`` (``newLine``) or ``.json`` file; metric ``records``."""
        source = open_source(ctx, self)
        if ctx.render_as(self.shouldKeepAnnotations, bool):
            raise TaskError(
                "shouldKeepAnnotations: true is not supported: Legato reads Ion annotations as "
                "types (Kestra's Java-time ones) or drops them; remove the property",
                retryable=False,
            )
        lines = ctx.render_as(self.newLine, bool)
        target = output_file(ctx, ".jsonl" if lines else ".json")
        encoding = charset_of(ctx, self.charset, reading=False)
        zone = zone_of(ctx.render_string(self.timeZoneId))
        with target.open("w", encoding=encoding, newline="") as out:
            count = _write_json(out, ion_rows(source), lines, zone)
        return finish(ctx, target, count)


@plugin(
    "io.kestra.plugin.serdes.json.JsonToJsonl",
    title="Convert a JSON array file to JSON Lines.",
)
class JsonToJsonl(ConvertTask):
    """Read a JSON array (or one JSON value) and write one value per line."""

    charset: Dyn[str] = "UTF-8"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.jsonl`` file; metric ``records``."""
        source = open_source(ctx, self)
        encoding = charset_of(ctx, self.charset, reading=True)
        target = output_file(ctx, ".jsonl")
        with target.open("w", encoding="utf-8", newline="") as out:
            count = _write_json(out, json_values(source, encoding, False), True, None)
        return finish(ctx, target, count)


def _write_json(out: IO[str], rows: Iterator[Any], lines: bool, zone: tzinfo | None) -> int:
    count = 0
    if not lines:
        out.write("[")
    for row in rows:
        if lines:
            out.write(json_text(row, zone) + "\n")
        else:
            out.write(("," if count else "") + json_text(row, zone))
        count += 1
    if not lines:
        out.write("]")
    return count


def json_values(source: Source, encoding: str, lines: bool) -> Iterator[Any]:
    """The JSON values of ``source``: one per line, or the items of one document."""
    with decoding(source, encoding), source.path.open(encoding=encoding, newline=None) as handle:
        if lines:
            yield from _lines(handle, source)
        else:
            yield from _document(handle, source)


def _lines(handle: IO[str], source: Source) -> Iterator[Any]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as error:
            raise TaskError(
                f"Invalid JSON in '{source.uri}' at line {number}: {error.msg}. With "
                "newLine: true (the default) each line must be one JSON value; set "
                "newLine: false for a JSON document spanning lines (e.g. an array)",
                retryable=False,
            ) from None


class _Buffer:
    """Text read ahead from a file: ``text[pos:]`` is unread, ``line`` is where ``pos`` is."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.text = ""
        self.pos = 0
        self.line = 1
        self.ended = False

    def fill(self) -> bool:
        """Read more text (dropping what was read); False at the end of the file."""
        chunk = self.handle.read(_CHUNK)
        self.ended = not chunk
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        return bool(chunk)

    def skip_space(self) -> str:
        """Skip whitespace; the next character ('' at the end)."""
        while True:
            match = _SPACE.match(self.text, self.pos)
            self.take((match.end() if match else self.pos) - self.pos)
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def take(self, count: int) -> None:
        self.line += self.text.count("\n", self.pos, self.pos + count)
        self.pos += count


def _document(handle: IO[str], source: Source) -> Iterator[Any]:
    buffer = _Buffer(handle)
    first = buffer.skip_space()
    if not first:
        return
    if first != "[":
        value = _decode(buffer, source)
        if buffer.skip_space():
            _fail(source, buffer.line, "extra data after the JSON value")
        yield from value if isinstance(value, list) else [value]
        return
    buffer.take(1)
    if buffer.skip_space() == "]":
        buffer.take(1)
    else:
        while True:
            yield _decode(buffer, source)
            mark = buffer.skip_space()
            buffer.take(1)
            if mark == "]":
                break
            if mark != ",":
                _fail(source, buffer.line, "expected ',' or ']' between array items")
            buffer.skip_space()
    if buffer.skip_space():
        _fail(source, buffer.line, "extra data after the JSON array")


def _decode(buffer: _Buffer, source: Source) -> Any:
    while True:
        try:
            value, end = _DECODER.raw_decode(buffer.text, buffer.pos)
        except json.JSONDecodeError as error:
            line = buffer.line + buffer.text.count("\n", buffer.pos, error.pos)
            if buffer.fill():
                continue  # the value may continue in the next chunk
            _fail(source, line, error.msg)
        if end < len(buffer.text) or buffer.ended or not buffer.fill():
            buffer.take(end - buffer.pos)
            return value


def _fail(source: Source, line: int, message: str) -> NoReturn:
    raise TaskError(
        f"Invalid JSON in '{source.uri}' at line {line}: {message}. With newLine: false the "
        "file must be one JSON document (an array gives one row per item); set newLine: true "
        "for JSON Lines",
        retryable=False,
    )

"""``io.kestra.plugin.serdes.csv.CsvToIon`` (legacy ``CsvReader``): a CSV file to Ion rows.

Kestra's semantics: every cell is a string (``\\N`` is null); with ``header`` (=true) each row
is a struct keyed by the header's names, without it a list. ``skipRows`` records (a quoted
field spanning lines counts once) are dropped before the header; a leading BOM is dropped.
Trailing unnamed header columns are dropped (``onEmptyHeader: DROP``) or named ``col_<i>``
(``RENAME``). A row whose field count differs from the header's is a bad line: ``onBadLines``
ERROR (=) fails naming the line, WARN logs and skips it, SKIP skips it. The deprecated
``errorOnDifferentFieldCount: false`` (without ``onBadLines``) keeps such rows, padding missing
cells with null and dropping extra ones, as older Kestra versions did.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import ValidationInfo, model_validator

from legato.model.property import Dyn
from legato.plugins.serdes.files import (
    BAD_LINE_POLICIES,
    ConvertTask,
    OnBadLines,
    Source,
    bad_row,
    charset_of,
    choice,
    decoding,
    finish,
    open_source,
    output_file,
    single_char,
)
from legato.sdk import plugin
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext, TaskError
from legato.sdk.scripts import note_deprecated

NULL_CELL = "\\N"
MAX_FIELD_SIZE = 16 * 1024 * 1024


@dataclass(frozen=True)
class CsvRecord:
    """One CSV record and the physical line it starts on."""

    line: int
    fields: list[str]


@dataclass(frozen=True)
class Header:
    """The names of the columns and how many fields a row must have."""

    names: list[str | None]  # None: a dropped column
    width: int


@plugin(
    "io.kestra.plugin.serdes.csv.CsvToIon",
    aliases=("io.kestra.plugin.serdes.csv.CsvReader",),
    title="Convert a CSV file to the Amazon Ion format.",
)
class CsvToIon(ConvertTask):
    """Read a CSV file and write it as Ion rows (structs with a header, lists without)."""

    deprecated_properties: ClassVar[dict[str, str]] = {
        "errorOnDifferentFieldCount": "use 'onBadLines' instead",
    }

    header: Dyn[bool] = True
    fieldSeparator: Dyn[str] = ","
    textDelimiter: Dyn[str] = '"'
    skipEmptyRows: Dyn[bool] = False
    errorOnDifferentFieldCount: Dyn[bool] | None = None
    onBadLines: Dyn[OnBadLines] = "ERROR"
    onEmptyHeader: Dyn[Literal["DROP", "RENAME"]] = "DROP"
    skipRows: Dyn[int] = 0
    charset: Dyn[str] = "UTF-8"
    maxBufferSize: Dyn[int] = 16 * 1024 * 1024
    allowExtraCharsAfterClosingQuote: Dyn[bool] = False
    maxFieldSize: Dyn[int] = MAX_FIELD_SIZE

    @model_validator(mode="after")
    def _note_deprecated(self, info: ValidationInfo) -> CsvToIon:
        note_deprecated(self, info, self.deprecated_properties)
        return self

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.ion`` file; metric ``records``."""
        source = open_source(ctx, self)
        target = output_file(ctx, ".ion")
        with IonRowWriter(target) as writer:
            writer.write_all(self._rows(ctx, source))
        return finish(ctx, target, writer.count)

    def _rows(self, ctx: RunContext, source: Source) -> Iterator[Any]:
        records = self._records(ctx, source)
        for _ in range(max(0, ctx.render_as(self.skipRows, int))):
            if next(records, None) is None:
                return
        if not ctx.render_as(self.header, bool):
            for record in records:
                yield [_cell(field) for field in record.fields]
            return
        first = next(records, None)
        if first is None:
            return
        header = self._header(ctx, first.fields)
        policy, lenient = self._mismatch_policy(ctx)
        for record in records:
            if len(record.fields) != header.width and not lenient:
                bad_row(
                    ctx,
                    policy,
                    f"'{source.uri}' line {record.line}: expected {header.width} fields as the "
                    f"header has, got {len(record.fields)}",
                    "fix the file, or set onBadLines to WARN or SKIP to skip such rows",
                )
                continue
            yield _struct(header, record.fields)

    def _header(self, ctx: RunContext, fields: list[str]) -> Header:
        if choice(ctx, self.onEmptyHeader, "onEmptyHeader", ("DROP", "RENAME")) == "RENAME":
            names: list[str | None] = [name or f"col_{i}" for i, name in enumerate(fields)]
            return Header(names, len(fields))
        named = len(fields)
        while named > 0 and not fields[named - 1]:
            named -= 1
        return Header([*fields[:named], *([None] * (len(fields) - named))], len(fields))

    def _mismatch_policy(self, ctx: RunContext) -> tuple[str, bool]:
        policy = choice(ctx, self.onBadLines, "onBadLines", BAD_LINE_POLICIES)
        legacy = self.errorOnDifferentFieldCount
        if legacy is None:
            return policy, False
        if ctx.render_as(legacy, bool):
            return "ERROR", False
        return policy, "onBadLines" not in self.model_fields_set

    def _records(self, ctx: RunContext, source: Source) -> Iterator[CsvRecord]:
        separator = single_char(ctx, self.fieldSeparator, "fieldSeparator")
        quote = single_char(ctx, self.textDelimiter, "textDelimiter")
        encoding = charset_of(ctx, self.charset, reading=True)
        skip_empty = ctx.render_as(self.skipEmptyRows, bool)
        policy = choice(ctx, self.onBadLines, "onBadLines", BAD_LINE_POLICIES)
        max_field = ctx.render_as(self.maxFieldSize, int)
        csv.field_size_limit(max(csv.field_size_limit(), min(max_field + 1, sys.maxsize)))
        strict = not ctx.render_as(self.allowExtraCharsAfterClosingQuote, bool)
        with decoding(source, encoding), source.path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=separator, quotechar=quote, strict=strict)
            yield from _read(ctx, reader, source, policy, skip_empty, max_field)


def _read(
    ctx: RunContext,
    reader: Any,
    source: Source,
    policy: str,
    skip_empty: bool,
    max_field: int,
) -> Iterator[CsvRecord]:
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            bad_row(
                ctx,
                policy,
                f"'{source.uri}' line {start}: {error}",
                "fix the quoting, set allowExtraCharsAfterClosingQuote, or set onBadLines to "
                "WARN or SKIP to skip such rows",
            )
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not fields:
            if skip_empty:
                continue
            fields = [""]
        if any(len(field) > max_field for field in fields):
            raise TaskError(
                f"'{source.uri}' line {line}: a field is longer than maxFieldSize "
                f"({max_field} characters); raise maxFieldSize",
                retryable=False,
            )
        yield CsvRecord(line, fields)


def _cell(field: str) -> str | None:
    return None if field == NULL_CELL else field


def _struct(header: Header, fields: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for index, name in enumerate(header.names):
        if name is not None:
            row[name] = _cell(fields[index]) if index < len(fields) else None
    return row

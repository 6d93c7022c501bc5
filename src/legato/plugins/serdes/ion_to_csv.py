"""``io.kestra.plugin.serdes.csv.IonToCsv`` (legacy ``CsvWriter``): Ion rows to a CSV file.

Kestra's semantics: with ``header`` (=true) the first struct's field names make the header
line; each struct is written as its values in its own field order; a list row is written as it
is, and is an error with ``header``. A null is an empty, unquoted cell. Quoting follows
``quoteMode`` (ALWAYS, REQUIRED: only cells holding the separator, the quote, CR or LF,
NON_NUMERIC: every cell that is not a plain number) or, without it, the deprecated
``alwaysDelimitText``. Every record ends with ``lineDelimiter`` (=``\\n``). Values become text
as ``text_values`` says (dates with ``dateFormat``…).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO, Any, ClassVar, Literal

from pydantic import ValidationInfo, model_validator

from legato.model.property import Dyn
from legato.plugins.serdes.files import (
    ConvertTask,
    charset_of,
    choice,
    finish,
    ion_rows,
    open_source,
    output_file,
    single_char,
)
from legato.plugins.serdes.text_values import (
    DEFAULT_DATE,
    DEFAULT_DATE_TIME,
    DEFAULT_TIME,
    TextFormats,
    cell_text,
    text_formats,
)
from legato.sdk import plugin
from legato.sdk.run_context import RunContext, TaskError
from legato.sdk.scripts import note_deprecated

QuoteMode = Literal["ALWAYS", "REQUIRED", "NON_NUMERIC"]
QUOTE_MODES: tuple[str, ...] = ("ALWAYS", "REQUIRED", "NON_NUMERIC")
_NUMERIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")


class CsvDialect:
    """How cells are delimited and quoted."""

    def __init__(self, separator: str, quote: str, line_end: str, mode: str) -> None:
        self.separator = separator
        self.quote = quote
        self.line_end = line_end
        self.mode = mode
        self._special = (separator, quote, "\r", "\n")

    def record(self, cells: list[str | None]) -> str:
        """One CSV record, line delimiter included."""
        return self.separator.join(self._cell(cell) for cell in cells) + self.line_end

    def _cell(self, cell: str | None) -> str:
        if cell is None:
            return self.quote * 2 if self.mode == "ALWAYS" else ""
        if self._quoted(cell):
            return self.quote + cell.replace(self.quote, self.quote * 2) + self.quote
        return cell

    def _quoted(self, cell: str) -> bool:
        if self.mode == "ALWAYS":
            return True
        if self.mode == "NON_NUMERIC" and cell and not _NUMERIC.fullmatch(cell):
            return True
        return any(mark in cell for mark in self._special)


@plugin(
    "io.kestra.plugin.serdes.csv.IonToCsv",
    aliases=("io.kestra.plugin.serdes.csv.CsvWriter",),
    title="Convert an Ion file to the CSV format.",
)
class IonToCsv(ConvertTask):
    """Read Ion rows and write them as CSV."""

    deprecated_properties: ClassVar[dict[str, str]] = {
        "alwaysDelimitText": "use 'quoteMode: ALWAYS' instead",
    }

    header: Dyn[bool] = True
    fieldSeparator: Dyn[str] = ","
    textDelimiter: Dyn[str] = '"'
    lineDelimiter: Dyn[str] = "\n"
    alwaysDelimitText: Dyn[bool] = False
    quoteMode: Dyn[QuoteMode] | None = None
    charset: Dyn[str] = "UTF-8"
    dateFormat: str = DEFAULT_DATE
    timeFormat: str = DEFAULT_TIME
    dateTimeFormat: str = DEFAULT_DATE_TIME
    timeZoneId: Dyn[str] = "UTC"

    @model_validator(mode="after")
    def _note_deprecated(self, info: ValidationInfo) -> IonToCsv:
        note_deprecated(self, info, self.deprecated_properties)
        return self

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.csv`` file; metric ``records``."""
        source = open_source(ctx, self)
        dialect = self._dialect(ctx)
        formats = text_formats(
            ctx.render_string(self.dateFormat),
            ctx.render_string(self.timeFormat),
            ctx.render_string(self.dateTimeFormat),
            ctx.render_string(self.timeZoneId),
        )
        with_header = ctx.render_as(self.header, bool)
        target = output_file(ctx, ".csv")
        count = 0
        encoding = charset_of(ctx, self.charset, reading=False)
        with target.open("w", encoding=encoding, newline="") as out:
            for row in ion_rows(source):
                count += 1
                _write_row(out, dialect, formats, row, with_header and count == 1, with_header)
        return finish(ctx, target, count)

    def _dialect(self, ctx: RunContext) -> CsvDialect:
        mode = "REQUIRED"
        if self.quoteMode is not None:
            mode = choice(ctx, self.quoteMode, "quoteMode", QUOTE_MODES)
        elif ctx.render_as(self.alwaysDelimitText, bool):
            mode = "ALWAYS"
        return CsvDialect(
            single_char(ctx, self.fieldSeparator, "fieldSeparator"),
            single_char(ctx, self.textDelimiter, "textDelimiter"),
            ctx.render_string(self.lineDelimiter),
            mode,
        )


def _write_row(
    out: IO[str],
    dialect: CsvDialect,
    formats: TextFormats,
    row: Any,
    first: bool,
    with_header: bool,
) -> None:
    if isinstance(row, Mapping):
        if first:
            out.write(dialect.record([str(name) for name in row]))
        values = list(row.values())
    elif isinstance(row, list):
        if with_header:
            raise TaskError(
                "Invalid data of type List with header: the Ion rows are lists, which have no "
                "field names; set 'header: false'",
                retryable=False,
            )
        values = row
    else:
        values = [row]
    out.write(dialect.record([cell_text(value, formats) for value in values]))

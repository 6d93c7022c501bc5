"""``excel.IonToExcel`` and ``excel.ExcelToIon`` (xlsx, with openpyxl in streaming modes).

IonToExcel (Kestra's semantics): ``from`` is one URI (a sheet titled ``sheetsTitle``, =Sheet)
or a map of sheet title → URI; with ``header`` (=true) the first struct's field names make the
first row. Numbers are numeric cells (decimals as doubles, integers beyond 64 bits as text),
booleans boolean cells, dates and local date-times date cells styled with ``dateFormat`` (when
``styles``), an instant the date it falls on in ``timeZoneId``; a string ``Formula:<f>`` is the
formula ``=<f>``; other values are text (lists and structs as compact JSON). Outputs ``uri``
and ``size`` (rows written); a null is an empty cell (Kestra writes the text ``null``).

ExcelToIon: one Ion file per sheet (all, or those of ``sheetsTitle``), outputs ``uris`` (sheet
title → URI) and ``size`` (rows read, header rows included, as Kestra counts). Numbers are
doubles, date cells timestamps (``dateTimeRender`` SERIAL_NUMBER gives Excel's serial number,
FORMATTED_STRING ISO text), formulas their cached results. ``skipRows`` rows are dropped first;
with ``header`` the next row names the columns (missing cells are null); ``skipEmptyRows``
drops rows without any value. Both directions stream rows.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import IO, Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import Field

from legato.expressions.filters._support import java_double
from legato.model.property import Dyn
from legato.plugins.serdes.files import (
    ConvertTask,
    Source,
    choice,
    finish,
    ion_rows,
    open_source,
    open_uri,
    output_file,
)
from legato.plugins.serdes.json_values import iso_text
from legato.plugins.serdes.text_values import DEFAULT_DATE, zone_of
from legato.sdk import RunnableTask, plugin
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext, TaskError

LONG_RANGE = (-(2**63), 2**63 - 1)
ValueRender = Literal["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"]
VALUE_RENDERS: tuple[str, ...] = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DateTimeRender = Literal["SERIAL_NUMBER", "FORMATTED_STRING", "UNFORMATTED_VALUE"]
DATE_TIME_RENDERS: tuple[str, ...] = ("SERIAL_NUMBER", "FORMATTED_STRING", "UNFORMATTED_VALUE")
FORMULA = "Formula:"


@plugin("io.kestra.plugin.serdes.excel.IonToExcel", title="Convert Ion files to an Excel file.")
class IonToExcel(RunnableTask):
    """Write Ion rows to the sheets of one xlsx workbook."""

    from_: Dyn[str] | dict[str, str] = Field(alias="from")
    charset: Dyn[str] = "UTF-8"
    sheetsTitle: Dyn[str] = "Sheet"
    header: Dyn[bool] = True
    styles: Dyn[bool] = True
    dateFormat: str = DEFAULT_DATE
    timeFormat: str = "HH:mm:ss[XXX]"
    dateTimeFormat: str = "yyyy-MM-dd'T'HH:mm:ss.SSS[XXX]"
    timeZoneId: Dyn[str] = "UTC"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Outputs ``uri`` (the ``.xlsx`` file) and ``size``; metric ``records``."""
        sheets = self._sheets(ctx)
        workbook = Workbook(write_only=True)
        writer = _SheetWriter(
            ctx.render_as(self.header, bool),
            ctx.render_string(self.dateFormat) if ctx.render_as(self.styles, bool) else None,
            zone_of(ctx.render_string(self.timeZoneId)),
        )
        size = 0
        for title, uri in sheets.items():
            source = open_uri(ctx, uri)
            size += writer.write(workbook.create_sheet(title), ion_rows(source))
        target = output_file(ctx, ".xlsx")
        workbook.save(str(target))
        return finish(ctx, target, size, size=size)

    def _sheets(self, ctx: RunContext) -> dict[str, str]:
        if isinstance(self.from_, dict):
            return {ctx.render_string(k): ctx.render_string(v) for k, v in self.from_.items()}
        return {ctx.render_string(self.sheetsTitle): ctx.render_string(self.from_)}


class _SheetWriter:
    """Writes Ion rows into write-only worksheets."""

    def __init__(self, header: bool, date_format: str | None, zone: Any) -> None:
        self.header = header
        self.date_format = date_format
        self.zone = zone

    def write(self, sheet: Any, rows: Iterator[Any]) -> int:
        count = 0
        for index, row in enumerate(rows):
            if isinstance(row, Mapping):
                if index == 0 and self.header:
                    sheet.append([self._cell(sheet, str(name)) for name in row])
                values = list(row.values())
            elif isinstance(row, list):
                if self.header:
                    raise TaskError(
                        "Invalid data of type List with header: the Ion rows are lists; set "
                        "'header: false'",
                        retryable=False,
                    )
                values = row
            else:
                values = [row]
            sheet.append([self._cell(sheet, value) for value in values])
            count += 1
        return count

    def _cell(self, sheet: Any, value: Any) -> Any:
        content, dated = self._content(value)
        cell = WriteOnlyCell(sheet, value=content)
        if dated and self.date_format:
            cell.number_format = self.date_format
        return cell

    def _content(self, value: Any) -> tuple[Any, bool]:
        if value is None or isinstance(value, bool | float):
            return value, False
        if isinstance(value, int):
            inside = LONG_RANGE[0] <= value <= LONG_RANGE[1]
            return (value if inside else str(value)), False
        if isinstance(value, Decimal):
            return float(value), False
        if isinstance(value, datetime):
            if value.tzinfo is not None:  # an Instant: Kestra keeps the date in timeZoneId
                return value.astimezone(self.zone).date(), True
            return value, True
        if isinstance(value, date):
            return value, True
        if isinstance(value, str):
            return ("=" + value[len(FORMULA) :]) if value.startswith(FORMULA) else value, False
        if isinstance(value, time):
            return iso_text(value), False
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace"), False
        return json.dumps(value, default=str, ensure_ascii=False, separators=(",", ":")), False


@plugin("io.kestra.plugin.serdes.excel.ExcelToIon", title="Convert an Excel file to Ion.")
class ExcelToIon(ConvertTask):
    """Read the sheets of an xlsx workbook, one Ion file per sheet."""

    sheetsTitle: Dyn[list[str]] | None = None
    charset: Dyn[str] = "UTF-8"
    valueRender: Dyn[ValueRender] = "UNFORMATTED_VALUE"
    dateTimeRender: Dyn[DateTimeRender] = "UNFORMATTED_VALUE"
    header: Dyn[bool] = True
    skipEmptyRows: Dyn[bool] = False
    skipRows: int = 0

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Outputs ``uris`` (sheet → ``.ion`` URI) and ``size``; metrics ``sheets``."""
        source = open_source(ctx, self)
        choice(ctx, self.valueRender, "valueRender", VALUE_RENDERS)
        dates = choice(ctx, self.dateTimeRender, "dateTimeRender", DATE_TIME_RENDERS)
        wanted = None if self.sheetsTitle is None else ctx.render_as(self.sheetsTitle, list[str])
        reader = _SheetReader(
            ctx.render_as(self.header, bool),
            ctx.render_as(self.skipEmptyRows, bool),
            max(0, self.skipRows),
            dates,
        )
        with source.path.open("rb") as handle:
            workbook = _open_workbook(source, handle)
            try:
                ctx.metric("sheets", len(workbook.sheetnames))
                sheets = [s for s in workbook.worksheets if wanted is None or s.title in wanted]
                uris, size = _sheets_to_ion(ctx, sheets, reader)
            finally:
                workbook.close()
        return {"uris": uris, "size": size}


def _sheets_to_ion(
    ctx: RunContext, sheets: list[Any], reader: _SheetReader
) -> tuple[dict[str, str], int]:
    """One Ion file per sheet: (title → URI, rows read)."""
    uris: dict[str, str] = {}
    size = 0
    for sheet in sheets:
        target = output_file(ctx, ".ion")
        with IonRowWriter(target) as writer:
            writer.write_all(reader.rows(sheet))
        size += reader.read
        uris[sheet.title] = ctx.storage.put_file(target)
    return uris, size


def _open_workbook(source: Source, handle: IO[bytes]) -> Any:
    """The workbook, read-only; a file object spares openpyxl's check of the file's suffix."""
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise TaskError(
            f"'{source.uri}' is not an xlsx workbook ({error}); pass the 'uri' of an .xlsx file",
            retryable=False,
        ) from None


class _SheetReader:
    """Turns worksheet rows into Ion rows; ``read`` counts the rows read by the last call."""

    def __init__(self, header: bool, skip_empty: bool, skip_rows: int, dates: str) -> None:
        self.header = header
        self.skip_empty = skip_empty
        self.skip_rows = skip_rows
        self.dates = dates
        self.read = 0

    def rows(self, sheet: Any) -> Iterator[Any]:
        self.read = 0
        names: list[str] | None = None
        for index, raw in enumerate(sheet.iter_rows(values_only=True)):
            if index < self.skip_rows:
                continue
            values = [self._value(v) for v in raw]
            if self.skip_empty and all(v is None or v == "" for v in values):
                continue
            self.read += 1
            if self.header and names is None:
                names = [_header_name(v) for v in values]
                continue
            if names is None:
                yield values
            else:
                yield {n: values[i] if i < len(values) else None for i, n in enumerate(names)}

    def _value(self, value: Any) -> Any:
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, datetime | date):
            moment = value if isinstance(value, datetime) else datetime.combine(value, time())
            if self.dates == "SERIAL_NUMBER":
                return float(to_excel(moment))
            if self.dates == "FORMATTED_STRING":
                return iso_text(value)
            return moment.replace(tzinfo=UTC)
        if isinstance(value, time):
            return iso_text(value) if self.dates != "SERIAL_NUMBER" else float(to_excel(value))
        return str(value)


def _header_name(value: Any) -> str:
    if isinstance(value, float):
        return java_double(value)
    return "null" if value is None else str(value)

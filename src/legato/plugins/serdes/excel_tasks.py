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
drops rows without any value. Both directions stream rows, through ``excel_sheets`` (openpyxl),
imported when a task runs, never with this declaration module.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from legato.model.property import Dyn
from legato.plugins.serdes.files import (
    ConvertTask,
    choice,
    finish,
    ion_rows,
    open_source,
    open_uri,
    output_file,
)
from legato.plugins.serdes.text_values import DEFAULT_DATE, zone_of
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext

ValueRender = Literal["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"]
VALUE_RENDERS: tuple[str, ...] = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DateTimeRender = Literal["SERIAL_NUMBER", "FORMATTED_STRING", "UNFORMATTED_VALUE"]
DATE_TIME_RENDERS: tuple[str, ...] = ("SERIAL_NUMBER", "FORMATTED_STRING", "UNFORMATTED_VALUE")


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
        from legato.plugins.serdes.excel_sheets import SheetWriter, write_only_workbook  # at run

        sheets = self._sheets(ctx)
        workbook = write_only_workbook()
        writer = SheetWriter(
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
        from legato.plugins.serdes.excel_sheets import SheetReader, open_workbook, sheets_to_ion

        source = open_source(ctx, self)
        choice(ctx, self.valueRender, "valueRender", VALUE_RENDERS)
        dates = choice(ctx, self.dateTimeRender, "dateTimeRender", DATE_TIME_RENDERS)
        wanted = None if self.sheetsTitle is None else ctx.render_as(self.sheetsTitle, list[str])
        reader = SheetReader(
            ctx.render_as(self.header, bool),
            ctx.render_as(self.skipEmptyRows, bool),
            max(0, self.skipRows),
            dates,
        )
        with source.path.open("rb") as handle:
            workbook = open_workbook(source, handle)
            try:
                ctx.metric("sheets", len(workbook.sheetnames))
                sheets = [s for s in workbook.worksheets if wanted is None or s.title in wanted]
                uris, size = sheets_to_ion(ctx, sheets, reader)
            finally:
                workbook.close()
        return {"uris": uris, "size": size}

"""The openpyxl side of the Excel tasks: Ion rows written to write-only worksheets, worksheet
rows read back as Ion rows (Kestra's value mapping is documented in ``excel_tasks``).

Invariants: ``excel_tasks`` imports this module only when a task runs, so openpyxl never loads
with the plugin registry; both directions stream rows (write-only and read-only workbooks); a
file that is not an xlsx workbook raises a non-retryable ``TaskError`` naming its URI.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import InvalidFileException

from legato.expressions.filters._support import java_double
from legato.plugins.serdes.files import Source, output_file
from legato.plugins.serdes.json_values import iso_text
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext, TaskError

LONG_RANGE = (-(2**63), 2**63 - 1)
FORMULA = "Formula:"


def write_only_workbook() -> Workbook:
    """A new workbook whose sheets stream the rows appended to them."""
    return Workbook(write_only=True)


class SheetWriter:
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


def sheets_to_ion(
    ctx: RunContext, sheets: list[Any], reader: SheetReader
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


def open_workbook(source: Source, handle: IO[bytes]) -> Any:
    """The workbook, read-only; a file object spares openpyxl's check of the file's suffix."""
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise TaskError(
            f"'{source.uri}' is not an xlsx workbook ({error}); pass the 'uri' of an .xlsx file",
            retryable=False,
        ) from None


class SheetReader:
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

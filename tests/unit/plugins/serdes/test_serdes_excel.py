"""IonToExcel and ExcelToIon: sheets, headers, numbers as doubles, dates, formulas."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from serdes_support import ion_of, put_ion, put_text, run

from legato.sdk.run_context import TaskError


def workbook_of(ctx: Any, uri: str) -> Any:
    return load_workbook(io.BytesIO(ctx.storage.get_bytes(uri)))


def xlsx(ctx: Any, sheets: dict[str, list[list[Any]]]) -> str:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return str(ctx.storage.put_bytes(buffer.getvalue(), "in.xlsx"))


def test_ion_rows_to_a_styled_sheet(ctx: Any) -> None:
    rows = [
        {"name": "Zoé", "n": 3, "price": Decimal("1.50"), "day": date(2024, 1, 2), "ok": True},
        {"name": "Formula:B2*2", "n": 2**70, "price": None, "day": None, "ok": False},
    ]
    outputs = run(ctx, "excel.IonToExcel", **{"from": put_ion(ctx, rows)})
    assert outputs["uri"].endswith(".xlsx") and outputs["size"] == 2
    sheet = workbook_of(ctx, outputs["uri"])["Sheet"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["name", "n", "price", "day", "ok"]
    assert values[1] == ["Zoé", 3, 1.5, datetime(2024, 1, 2), True]
    assert values[2] == ["=B2*2", str(2**70), None, None, False]
    assert sheet["D2"].number_format == "yyyy-MM-dd"
    assert ("records", 2, "counter") in ctx.metrics


def test_an_instant_is_written_as_its_date_in_the_zone(ctx: Any) -> None:
    rows = [{"at": datetime(2024, 1, 2, 23, 30, tzinfo=UTC)}]
    outputs = run(
        ctx, "excel.IonToExcel", **{"from": put_ion(ctx, rows), "timeZoneId": "Asia/Tokyo"}
    )
    assert workbook_of(ctx, outputs["uri"])["Sheet"]["A2"].value == datetime(2024, 1, 3)


def test_several_sheets_from_a_map(ctx: Any) -> None:
    first = put_ion(ctx, [[1, 2]], "a.ion")
    second = put_ion(ctx, [[3]], "b.ion")
    outputs = run(ctx, "excel.IonToExcel", **{"from": {"A": first, "B": second}, "header": False})
    book = workbook_of(ctx, outputs["uri"])
    assert book.sheetnames == ["A", "B"] and outputs["size"] == 2
    assert [c.value for c in book["B"]["A"]] == [3]


def test_list_rows_need_header_false(ctx: Any) -> None:
    with pytest.raises(TaskError, match="set 'header: false'"):
        run(ctx, "excel.IonToExcel", **{"from": put_ion(ctx, [[1]])})


def test_excel_sheets_to_ion(ctx: Any) -> None:
    uri = xlsx(
        ctx,
        {
            "Products": [["id", "name", "added"], [1, "Apple", datetime(2024, 1, 2)], [2, "Pear"]],
            "Other": [["x"], [None], ["y"]],
        },
    )
    outputs = run(ctx, "excel.ExcelToIon", **{"from": uri})
    assert set(outputs["uris"]) == {"Products", "Other"} and outputs["size"] == 6
    assert ion_of(ctx, outputs["uris"]["Products"]) == [
        {"id": 1.0, "name": "Apple", "added": datetime(2024, 1, 2, tzinfo=UTC)},
        {"id": 2.0, "name": "Pear", "added": None},
    ]
    assert ("sheets", 2, "counter") in ctx.metrics


def test_excel_options(ctx: Any) -> None:
    uri = xlsx(ctx, {"S": [["title"], [None], [1, datetime(2024, 1, 2)]], "T": [["z"]]})
    outputs = run(
        ctx,
        "excel.ExcelToIon",
        **{
            "from": uri,
            "sheetsTitle": ["S"],
            "header": False,
            "skipRows": 1,
            "skipEmptyRows": True,
            "dateTimeRender": "SERIAL_NUMBER",
        },
    )
    assert list(outputs["uris"]) == ["S"]
    assert ion_of(ctx, outputs["uris"]["S"]) == [[1.0, 45293.0]]


def test_excel_round_trip(ctx: Any) -> None:
    rows = [{"a": "x", "b": 1.5}, {"a": "y", "b": 2.0}]
    book = run(ctx, "excel.IonToExcel", **{"from": put_ion(ctx, rows)})
    back = run(ctx, "excel.ExcelToIon", **{"from": book["uri"]})
    assert ion_of(ctx, back["uris"]["Sheet"]) == rows


def test_a_file_that_is_not_xlsx(ctx: Any) -> None:
    with pytest.raises(TaskError, match="is not an xlsx workbook"):
        run(ctx, "excel.ExcelToIon", **{"from": put_text(ctx, "a,b", "x.xlsx")})

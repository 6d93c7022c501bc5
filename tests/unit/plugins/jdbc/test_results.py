"""Outputs by fetch type and Ion lines, on in-memory result sets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from legato.expressions.filters.ion import from_ion, to_ion
from legato.plugins.jdbc.results import collect, ion_fields, ion_line, row_map
from legato.plugins.jdbc.session import ResultSet

COLUMNS = ["id", "odd name", "null", "id"]
ROWS: list[tuple[Any, ...]] = [
    (1, "x", None, 2),
    (True, b"\x01", Decimal("1.50"), datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    (None, date(2024, 1, 2), 1.5, [1, "a"]),
]


def result() -> ResultSet:
    return ResultSet(list(COLUMNS), iter(ROWS))


def test_ion_line_is_to_ion_of_the_row_map() -> None:
    fields = ion_fields(COLUMNS)
    zone = ZoneInfo("Europe/Paris")
    for row in ROWS:
        assert ion_line(fields, row, zone) == to_ion(row_map(COLUMNS, row, zone))
    assert ion_line(fields, ROWS[0], UTC) == "{id:2,'odd name':\"x\",'null':null}"


def test_collect_by_fetch_type(ctx: Any) -> None:
    assert collect(ctx, result(), "NONE", UTC) == ({"row": None}, 0)
    assert collect(ctx, None, "FETCH", UTC) == ({"row": None}, 0)
    one, size = collect(ctx, result(), "FETCH_ONE", UTC)
    assert (one, size) == ({"row": {"id": 2, "odd name": "x", "null": None}, "size": 1}, 1)
    fetched, size = collect(ctx, result(), "FETCH", UTC)
    assert size == 3 and fetched["rows"][1] == {
        "id": "2024-01-02T03:04:05Z",
        "odd name": "AQ==",
        "null": 1.5,
    }
    stored, size = collect(ctx, result(), "STORE", UTC)
    assert size == 3 and stored["size"] == 3 and stored["row"] is None
    values = from_ion(ctx.storage.files[stored["uri"]].decode())
    assert values[1] == {
        "id": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "odd name": b"\x01",
        "null": Decimal("1.50"),
    }

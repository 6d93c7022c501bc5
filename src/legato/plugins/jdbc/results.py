"""The outputs of one statement's rows, by fetch type (Kestra's ``AbstractJdbcBaseQuery.Output``).

* FETCH → ``rows`` (every row, a map column → value) and ``size``.
* FETCH_ONE → ``row`` (the first row, None when there is none) and ``size`` (0 or 1).
* STORE → ``uri`` (a ``kestra://`` file of Amazon Ion text, one row struct per line, written as
  rows arrive so a large result never sits in memory) and ``size``.
* NONE → nothing but ``row``.

Invariants: every output map has the key ``row`` (None unless FETCH_ONE found a row), as Kestra
always serializes it; a statement without a result set yields ``{"row": None}`` and size 0.
Values go through ``cells.normalize`` (and ``cells.to_output`` for outputs, Ion for files);
with duplicate column labels the last one wins, as in Kestra's row maps. An Ion line is exactly
``to_ion`` of the row map; field names are encoded once per result, not once per row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any, Literal

from legato.expressions.filters.ion import to_ion
from legato.plugins.jdbc.cells import normalize, to_output
from legato.plugins.jdbc.session import ResultSet
from legato.sdk.run_context import RunContext

FetchKind = Literal["FETCH", "FETCH_ONE", "STORE", "NONE"]


def row_map(columns: Sequence[str], row: Sequence[Any], zone: tzinfo) -> dict[str, Any]:
    """One row as Kestra's map column → normalized value."""
    return {name: normalize(value, zone) for name, value in zip(columns, row, strict=True)}


def collect(
    ctx: RunContext, result: ResultSet | None, fetch_type: FetchKind, zone: tzinfo
) -> tuple[dict[str, Any], int]:
    """The outputs of ``result`` for ``fetch_type`` and how many rows they hold."""
    if result is None or fetch_type == "NONE":
        return {"row": None}, 0
    if fetch_type == "FETCH_ONE":
        first = next(result.rows, None)
        for _ in result.rows:  # drain, so the connection is ready for the next statement
            pass
        if first is None:
            return {"row": None, "size": 0}, 0
        return {"row": to_output(row_map(result.columns, first, zone)), "size": 1}, 1
    if fetch_type == "STORE":
        uri, size = store_ion(ctx, result, zone)
        return {"row": None, "uri": uri, "size": size}, size
    rows = [to_output(row_map(result.columns, row, zone)) for row in result.rows]
    return {"row": None, "rows": rows, "size": len(rows)}, len(rows)


def ion_fields(columns: Sequence[str]) -> list[tuple[int, str]]:
    """(column index, ``name:`` prefix) of each Ion field of a row, the last duplicate winning."""
    last = {name: index for index, name in enumerate(columns)}
    return [(index, to_ion({name: 0})[1:-2]) for name, index in last.items()]


def ion_line(fields: Sequence[tuple[int, str]], row: Sequence[Any], zone: tzinfo) -> str:
    """The Ion struct of one row (the same text as ``to_ion(row_map(...))``)."""
    parts = []
    for index, prefix in fields:
        value = row[index]
        kind = type(value)
        if kind is int:
            parts.append(prefix + str(value))
        elif value is None:
            parts.append(prefix + "null")
        else:
            parts.append(prefix + to_ion(normalize(value, zone)))
    return "{" + ",".join(parts) + "}"


def store_ion(ctx: RunContext, result: ResultSet, zone: tzinfo) -> tuple[str, int]:
    """Write the rows of ``result`` as Ion text to internal storage: (URI, row count)."""
    name = f"{uuid.uuid4().hex}.ion"
    path = ctx.working_dir() / name
    fields = ion_fields(result.columns)
    size = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for row in result.rows:
            out.write(ion_line(fields, row, zone))
            out.write("\n")
            size += 1
    uri = ctx.storage.put_file(path, name)
    path.unlink()
    return uri, size

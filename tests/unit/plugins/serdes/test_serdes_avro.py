"""IonToAvro and AvroToIon: schemas given or inferred, logical types kept, damaged files."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import fastavro
import pytest
from serdes_support import ion_of, load, put_ion, run

from legato.sdk.run_context import TaskError


def to_avro(ctx: Any, rows: list[Any], **props: Any) -> tuple[str, list[Any], Any]:
    outputs = run(ctx, "avro.IonToAvro", **{"from": put_ion(ctx, rows), **props})
    assert outputs["uri"].endswith(".avro")
    reader = fastavro.reader(io.BytesIO(ctx.storage.get_bytes(outputs["uri"])))
    return outputs["uri"], list(reader), reader.writer_schema


def test_inferred_schema_round_trip(ctx: Any) -> None:
    rows = [
        {
            "id": 1,
            "amount": Decimal("3.14"),
            "at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            "day": date(2024, 1, 2),
            "tags": ["x"],
            "inner": {"a": True},
        },
        {"id": 2, "amount": None, "at": None, "day": None, "tags": [], "inner": None},
    ]
    uri, records, schema = to_avro(ctx, rows)
    assert records == rows
    assert [f["name"] for f in schema["fields"]] == list(rows[0])
    back = run(ctx, "avro.AvroToIon", **{"from": uri})
    assert ion_of(ctx, back["uri"]) == rows
    assert ("records", 2, "counter") in ctx.metrics


def test_given_schema_with_enum_and_defaults(ctx: Any) -> None:
    schema = {
        "type": "record",
        "name": "R",
        "fields": [
            {"name": "color", "type": {"type": "enum", "name": "C", "symbols": ["RED", "BLUE"]}},
            {"name": "size", "type": "int", "default": 7},
        ],
    }
    _, records, _ = to_avro(ctx, [{"color": "RED"}], schema=json.dumps(schema))
    assert records == [{"color": "RED", "size": 7}]
    with pytest.raises(TaskError, match=r"row 1 .*'GREEN' is not one of"):
        to_avro(ctx, [{"color": "GREEN"}], schema=json.dumps(schema))


def test_warn_skips_bad_rows_and_logs(ctx: Any) -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "n", "type": "int"}]}
    _, records, _ = to_avro(
        ctx, [{"n": "1"}, {"n": 2**40}, {"n": 3}], schema=json.dumps(schema), onBadLines="WARN"
    )
    assert records == [{"n": 1}, {"n": 3}]
    assert any("row 2" in message for level, message in ctx.logger.lines if level == "WARN")


def test_avro_written_elsewhere_with_uuid(ctx: Any) -> None:
    schema = fastavro.parse_schema(
        {
            "type": "record",
            "name": "U",
            "fields": [{"name": "id", "type": {"type": "string", "logicalType": "uuid"}}],
        }
    )
    buffer = io.BytesIO()
    fastavro.writer(buffer, schema, [{"id": "12345678-1234-5678-1234-567812345678"}])
    uri = ctx.storage.put_bytes(buffer.getvalue(), "u.avro")
    rows = ion_of(ctx, run(ctx, "avro.AvroToIon", **{"from": uri})["uri"])
    assert rows == [{"id": "12345678-1234-5678-1234-567812345678"}]


def test_a_damaged_avro_file(ctx: Any) -> None:
    uri = ctx.storage.put_bytes(b"not avro at all", "bad.avro")
    with pytest.raises(TaskError, match="is not a readable Avro file"):
        run(ctx, "avro.AvroToIon", **{"from": uri})
    outputs = run(ctx, "avro.AvroToIon", **{"from": uri, "onBadLines": "SKIP"})
    assert ion_of(ctx, outputs["uri"]) == []


def test_legacy_names() -> None:
    assert type(load({"type": "avro.AvroWriter", "from": "kestra:///x"})).__name__ == "IonToAvro"
    assert type(load({"type": "avro.AvroReader", "from": "kestra:///x"})).__name__ == "AvroToIon"


def test_infer_avro_schema_from_ion(ctx: Any) -> None:
    rows = [{"id": 1, "price": Decimal("1.50")}, {"id": 2, "price": None, "tag": "x"}]
    outputs = run(ctx, "avro.InferAvroSchemaFromIon", **{"from": put_ion(ctx, rows)})
    assert outputs["uri"].endswith(".avsc")
    schema = json.loads(ctx.storage.get_bytes(outputs["uri"]))
    assert schema["type"] == "record"
    assert [(f["name"], f["type"][1]) for f in schema["fields"]] == [
        ("id", "long"),
        ("price", {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 2}),
        ("tag", "string"),
    ]
    _, records, _ = to_avro(ctx, rows, schema=json.dumps(schema))
    assert records == [{**rows[0], "tag": None}, rows[1]]

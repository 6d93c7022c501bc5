"""IonToParquet and ParquetToIon: inferred and given schemas, type fidelity, batching, bad rows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from serdes_support import ion_of, load, put_ion, put_text, run

from legato.plugins.serdes import parquet_tasks
from legato.sdk.run_context import TaskError


def to_parquet(ctx: Any, rows: list[Any], **props: Any) -> pq.ParquetFile:
    outputs = run(ctx, "parquet.IonToParquet", **{"from": put_ion(ctx, rows), **props})
    assert outputs["uri"].endswith(".parquet")
    path = ctx.base / "out.parquet"
    path.write_bytes(ctx.storage.get_bytes(outputs["uri"]))
    return pq.ParquetFile(str(path))


def round_trip(ctx: Any, rows: list[Any], **props: Any) -> list[Any]:
    first = run(ctx, "parquet.IonToParquet", **{"from": put_ion(ctx, rows), **props})
    back = run(ctx, "parquet.ParquetToIon", **{"from": first["uri"]})
    return ion_of(ctx, back["uri"])


ROWS = [
    {
        "id": 1,
        "name": "Zoé",
        "amount": Decimal("12.30"),
        "ratio": 0.5,
        "ok": True,
        "day": date(2024, 1, 2),
        "at": datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        "local": datetime(2024, 1, 2, 3, 4, 5),
        "tags": ["a", "b"],
        "nested": {"x": 1, "y": "z"},
        "raw": b"\x00\x01",
    },
    {
        "id": 2,
        "name": None,
        "amount": Decimal("-0.05"),
        "ratio": None,
        "ok": False,
        "day": None,
        "at": None,
        "local": None,
        "tags": [],
        "nested": None,
        "raw": None,
    },
]


def test_inferred_schema_keeps_every_type_through_a_round_trip(ctx: Any) -> None:
    assert round_trip(ctx, ROWS) == ROWS


def test_inferred_arrow_types(ctx: Any) -> None:
    schema = to_parquet(ctx, ROWS).schema_arrow
    assert schema.field("id").type == pa.int64()
    assert schema.field("amount").type == pa.decimal128(38, 2)
    assert schema.field("at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("local").type == pa.timestamp("us")
    assert schema.field("day").type == pa.date32()
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("name").nullable
    assert ("records", 2, "counter") in ctx.metrics


def test_a_given_schema_coerces_csv_strings(ctx: Any) -> None:
    schema = {
        "type": "record",
        "name": "Salary",
        "fields": [
            {"name": "job", "type": "string"},
            {"name": "salary", "type": "double"},
            {"name": "count", "type": ["null", "int"]},
            {"name": "remote", "type": "boolean"},
            {"name": "since", "type": {"type": "int", "logicalType": "date"}},
            {"name": "seen", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "at", "type": {"type": "long", "logicalType": "time-micros"}},
            {
                "name": "price",
                "type": {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2},
            },
        ],
    }
    rows = [
        {
            "job": "dev",
            "salary": "1,5",
            "count": "",
            "remote": "yes",
            "since": "2024-01-02",
            "seen": "2024-01-02T03:04:05+02:00",
            "at": "10:15",
            "price": "12.3",
        }
    ]
    back = round_trip(ctx, rows, schema=json.dumps(schema), decimalSeparator=",")
    assert back == [
        {
            "job": "dev",
            "salary": 1.5,
            "count": None,
            "remote": True,
            "since": date(2024, 1, 2),
            "seen": datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC),
            "at": time(10, 15),
            "price": Decimal("12.30"),
        }
    ]


def test_a_row_not_fitting_the_schema_names_row_and_field(ctx: Any) -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "n", "type": "long"}]}
    rows = [{"n": 1}, {"n": "x"}]
    with pytest.raises(TaskError, match=r"row 2 does not fit the schema: field 'n'.*WARN or SKIP"):
        to_parquet(ctx, rows, schema=json.dumps(schema))
    file = to_parquet(ctx, rows, schema=json.dumps(schema), onBadLines="SKIP")
    assert file.read().to_pylist() == [{"n": 1}]


def test_strict_schema_rejects_undeclared_fields(ctx: Any) -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "n", "type": "long"}]}
    with pytest.raises(TaskError, match=r"\['extra'\] are not in the schema"):
        to_parquet(ctx, [{"n": 1, "extra": 2}], schema=json.dumps(schema), strictSchema=True)
    assert to_parquet(ctx, [{"n": 1, "extra": 2}], schema=json.dumps(schema)).read().num_rows == 1


def test_a_decimal_wider_than_the_inferred_scale_is_a_bad_row(ctx: Any) -> None:
    rows = [{"d": Decimal("1.5")}, {"d": Decimal("1.25")}]
    with pytest.raises(TaskError, match="numberOfRowsToScan"):
        to_parquet(ctx, rows, numberOfRowsToScan=1)
    assert round_trip(ctx, rows) == rows


def test_mixed_types_widen(ctx: Any) -> None:
    rows = [{"n": 1, "s": 1}, {"n": 2.5, "s": "x"}]
    assert round_trip(ctx, rows) == [{"n": 1.0, "s": "1"}, {"n": 2.5, "s": "x"}]


def test_invalid_schema_is_explained(ctx: Any) -> None:
    with pytest.raises(TaskError, match="Invalid 'schema': not JSON"):
        to_parquet(ctx, [{"a": 1}], schema="{nope")
    with pytest.raises(TaskError, match="top level must be an Avro record"):
        to_parquet(ctx, [{"a": 1}], schema='"string"')


def test_codecs_versions_and_row_groups(ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet_tasks, "BATCH_ROWS", 10)
    rows = [{"n": n, "text": "x" * 50} for n in range(100)]
    file = to_parquet(ctx, rows, compressionCodec="ZSTD", parquetVersion="V1", rowGroupSize=1)
    assert file.metadata.num_rows == 100 and file.metadata.num_row_groups == 10
    assert file.metadata.row_group(0).column(0).compression == "ZSTD"
    legacy = to_parquet(ctx, rows, compressionCodec="UNCOMPRESSED", version="V2")
    assert legacy.metadata.num_row_groups == 1
    assert legacy.metadata.row_group(0).column(0).compression == "UNCOMPRESSED"


def test_empty_ion_with_a_schema_gives_an_empty_parquet(ctx: Any) -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "n", "type": "long"}]}
    file = to_parquet(ctx, [], schema=json.dumps(schema))
    assert file.metadata.num_rows == 0 and file.schema_arrow.names == ["n"]


def test_parquet_written_elsewhere_reads_back(ctx: Any) -> None:
    table = pa.table(
        {
            "ns": pa.array([1_700_000_000_123_456_789], pa.timestamp("ns", tz="UTC")),
            "m": pa.array([[("k", 1)]], pa.map_(pa.string(), pa.int64())),
            "cat": pa.array(["a"]).dictionary_encode(),
        }
    )
    path = ctx.base / "other.parquet"
    pq.write_table(table, str(path))
    uri = ctx.storage.put_bytes(path.read_bytes(), "other.parquet")
    rows = ion_of(ctx, run(ctx, "parquet.ParquetToIon", **{"from": uri})["uri"])
    assert rows == [
        {"ns": datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC), "m": {"k": 1}, "cat": "a"}
    ]


def test_a_file_that_is_not_parquet_is_named(ctx: Any) -> None:
    uri = put_text(ctx, "a,b\n", "x.csv")
    with pytest.raises(TaskError, match="is not a Parquet file"):
        run(ctx, "parquet.ParquetToIon", **{"from": uri})


def test_legacy_names() -> None:
    writer = load({"type": "parquet.ParquetWriter", "from": "kestra:///x", "schema": "{}"})
    assert type(writer).__name__ == "IonToParquet"
    reader = load({"type": "parquet.ParquetReader", "from": "kestra:///x"})
    assert type(reader).__name__ == "ParquetToIon"


def test_infer_all_fields_is_refused_with_advice(ctx: Any) -> None:
    with pytest.raises(TaskError, match="inferAllFields: true is not supported"):
        to_parquet(ctx, [{"a": "1"}], inferAllFields=True)


def test_list_rows_fit_the_schema_by_position(ctx: Any) -> None:
    schema = {
        "type": "record",
        "name": "R",
        "fields": [{"name": "a", "type": "long"}, {"name": "b", "type": ["null", "string"]}],
    }
    file = to_parquet(ctx, [["1", "x"], ["2"]], schema=json.dumps(schema))
    assert file.read().to_pylist() == [{"a": 1, "b": "x"}, {"a": 2, "b": None}]

"""Parquet through pyarrow, for ``parquet_tasks``: Avro → Arrow types, row groups written from
rows, batches read back as Ion values.

Invariants: ``parquet_tasks`` imports this module only when a task runs, so pyarrow never loads
with the plugin registry; rendering and option checks stay in the tasks, this module gets plain
values. Memory holds one row group when writing and one batch when reading; a row that does not
fit the schema, or a file that is not Parquet, raises a non-retryable ``TaskError`` naming what
to fix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from legato.plugins.serdes.avro_schema import named_types
from legato.plugins.serdes.files import Source
from legato.sdk.run_context import TaskError

MAX_DECIMAL128 = 38


def write_parquet(
    target: Path,
    schema: pa.Schema,
    rows: Iterator[dict[str, Any]],
    *,
    compression: str,
    data_page_version: str,
    page_bytes: int,
    dictionary_page_bytes: int,
    group_bytes: int,
    batch_rows: int,
) -> int:
    """Write ``rows`` to ``target`` in batches of ``batch_rows``, flushing a row group once it
    holds ``group_bytes``; the number of rows written."""
    count = 0
    with pq.ParquetWriter(
        str(target),
        schema,
        compression=compression,
        data_page_version=data_page_version,
        data_page_size=page_bytes,
        dictionary_pagesize_limit=dictionary_page_bytes,
        use_dictionary=True,
    ) as writer:
        group: list[pa.RecordBatch] = []
        group_size = 0
        for batch in _batches(rows, schema, batch_rows):
            count += batch.num_rows
            group.append(batch)
            group_size += batch.nbytes
            if group_size >= group_bytes:
                writer.write_table(pa.Table.from_batches(group, schema))
                group, group_size = [], 0
        if group:
            writer.write_table(pa.Table.from_batches(group, schema))
    return count


def _batches(
    rows: Iterator[dict[str, Any]], schema: pa.Schema, batch_rows: int
) -> Iterator[pa.RecordBatch]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == batch_rows:
            yield _record_batch(batch, schema)
            batch = []
    if batch:
        yield _record_batch(batch, schema)


def _record_batch(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.RecordBatch:
    try:
        return pa.RecordBatch.from_pylist(rows, schema=schema)
    except (pa.ArrowException, ValueError, TypeError, OverflowError) as error:
        raise TaskError(
            f"Cannot write the rows as Parquet: {error}; check the 'schema'", retryable=False
        ) from None


def open_parquet(source: Source) -> pq.ParquetFile:
    """The Parquet file of ``source``; anything else fails naming the URI."""
    try:
        return pq.ParquetFile(str(source.path))
    except (pa.ArrowException, OSError) as error:
        raise TaskError(
            f"'{source.uri}' is not a Parquet file ({error}); pass the 'uri' of a .parquet file",
            retryable=False,
        ) from None


def ion_rows(parquet: pq.ParquetFile, batch_rows: int) -> Iterator[Any]:
    """The rows of ``parquet`` as Ion values, read ``batch_rows`` at a time."""
    readable = _readable_schema(parquet.schema_arrow)
    for batch in parquet.iter_batches(batch_size=batch_rows):
        table = pa.Table.from_batches([batch]).cast(readable, safe=False)
        for row in table.to_pylist():
            yield _ion_value(row)


# ---------------------------------------------------------------------------------------------
# Avro → Arrow types


_PRIMITIVE_TYPES = {
    "null": pa.null(),
    "boolean": pa.bool_(),
    "int": pa.int32(),
    "long": pa.int64(),
    "float": pa.float32(),
    "double": pa.float64(),
    "bytes": pa.binary(),
    "string": pa.string(),
}


def arrow_schema(record: Mapping[str, Any]) -> pa.Schema:
    """The Arrow schema of an Avro record schema."""
    named = named_types(record)
    return pa.schema([_arrow_field(f["name"], f["type"], named) for f in record["fields"]])


def _arrow_field(name: str, avro: Any, named: Mapping[str, Any]) -> pa.Field:
    nullable = isinstance(avro, list) and "null" in avro
    return pa.field(name, _arrow_type(avro, named), nullable=nullable)


def _arrow_type(avro: Any, named: Mapping[str, Any]) -> pa.DataType:
    if isinstance(avro, list):
        branches = [b for b in avro if b != "null"]
        if len(branches) != 1:
            raise TaskError(
                f"Unsupported union {avro} for Parquet: a field may be one type or null; "
                "simplify the 'schema'",
                retryable=False,
            )
        return _arrow_type(branches[0], named)
    if isinstance(avro, str):
        if avro in named:
            return _arrow_type(named[avro], named)
        if avro in _PRIMITIVE_TYPES:
            return _PRIMITIVE_TYPES[avro]
        raise TaskError(f"Unknown Avro type '{avro}' in 'schema'", retryable=False)
    logical = _logical_type(avro)
    if logical is not None:
        return logical
    kind = avro.get("type")
    if kind == "record":
        return pa.struct([_arrow_field(f["name"], f["type"], named) for f in avro["fields"]])
    if kind == "array":
        return pa.list_(_arrow_type(avro["items"], named))
    if kind == "map":
        return pa.map_(pa.string(), _arrow_type(avro["values"], named))
    if kind == "enum":
        return pa.string()
    if kind == "fixed":
        return pa.binary(int(avro["size"]))
    return _arrow_type(kind, named)


def _logical_type(avro: Mapping[str, Any]) -> pa.DataType | None:
    logical = avro.get("logicalType")
    if logical == "decimal":
        precision = int(avro.get("precision", 38))
        scale = int(avro.get("scale", 0))
        return (
            pa.decimal128(precision, scale)
            if precision <= MAX_DECIMAL128
            else pa.decimal256(precision, scale)
        )
    return {
        "date": pa.date32(),
        "time-millis": pa.time32("ms"),
        "time-micros": pa.time64("us"),
        "timestamp-millis": pa.timestamp("ms", tz="UTC"),
        "timestamp-micros": pa.timestamp("us", tz="UTC"),
        "local-timestamp-millis": pa.timestamp("ms"),
        "local-timestamp-micros": pa.timestamp("us"),
        "uuid": pa.string(),
    }.get(str(logical))


# ---------------------------------------------------------------------------------------------
# Arrow → Ion values


def _readable_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` with nanosecond timestamps and times as microseconds (Python's precision)."""
    return pa.schema([f.with_type(_readable_type(f.type)) for f in schema])


def _readable_type(kind: pa.DataType) -> pa.DataType:
    if pa.types.is_timestamp(kind) and kind.unit == "ns":
        return pa.timestamp("us", tz=kind.tz)
    if pa.types.is_time64(kind) and kind.unit == "ns":
        return pa.time64("us")
    if pa.types.is_dictionary(kind):
        return _readable_type(kind.value_type)
    return kind


def _ion_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _ion_value(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            return {str(k): _ion_value(v) for k, v in value}  # a map column
        return [_ion_value(v) for v in value]
    return value

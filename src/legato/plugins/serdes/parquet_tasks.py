"""``parquet.IonToParquet`` (legacy ``ParquetWriter``) and ``parquet.ParquetToIon`` (legacy
``ParquetReader``), with pyarrow.

* IonToParquet fits the rows to the Avro ``schema`` (given, or inferred from the first
  ``numberOfRowsToScan`` rows, see ``avro_converter``) and writes them in batches: a row group
  is flushed once its rows reach ``rowGroupSize`` bytes (=128 MiB, as parquet-mr), so memory
  holds one row group. ``compressionCodec`` (=GZIP; SNAPPY, ZSTD, UNCOMPRESSED),
  ``parquetVersion`` (=V2; legacy ``version``) picks data page v1/v2, ``pageSize`` and
  ``dictionaryPageSize`` bound pages (=1 MiB).
* Avro types map to Arrow types: long → int64, int → int32, double/float, string, bytes,
  boolean, decimal → decimal128, date → date32, time → time64[us], timestamp → timestamp[us,
  UTC], local-timestamp → timestamp[us], array → list, map → map, record → struct, enum →
  string, fixed → fixed-size binary; a union with null is a nullable column.
* ParquetToIon streams the file's batches back to Ion rows: decimals stay exact, timestamps
  become Ion timestamps (nanoseconds truncated to microseconds), maps become structs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import ValidationInfo, model_validator

from legato.model.property import Dyn
from legato.plugins.serdes.avro_converter import AvroConverterTask
from legato.plugins.serdes.avro_schema import named_types
from legato.plugins.serdes.files import ConvertTask, choice, finish, open_source, output_file
from legato.sdk import plugin
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext, TaskError
from legato.sdk.scripts import note_deprecated

BATCH_ROWS = 10_000
MAX_DECIMAL128 = 38
DEFAULT_ROW_GROUP_BYTES = 128 * 1024 * 1024
DEFAULT_PAGE_BYTES = 1024 * 1024
CODECS = {"UNCOMPRESSED": "NONE", "SNAPPY": "SNAPPY", "GZIP": "GZIP", "ZSTD": "ZSTD"}


@plugin(
    "io.kestra.plugin.serdes.parquet.IonToParquet",
    aliases=("io.kestra.plugin.serdes.parquet.ParquetWriter",),
    title="Convert an Ion file to Parquet.",
)
class IonToParquet(AvroConverterTask):
    """Read Ion rows and write them as a Parquet file."""

    deprecated_properties: ClassVar[dict[str, str]] = {"version": "use 'parquetVersion' instead"}

    compressionCodec: Dyn[Literal["UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"]] = "GZIP"
    parquetVersion: Dyn[Literal["V1", "V2"]] = "V2"
    version: Dyn[Literal["V1", "V2"]] | None = None
    rowGroupSize: Dyn[int] = DEFAULT_ROW_GROUP_BYTES
    pageSize: Dyn[int] = DEFAULT_PAGE_BYTES
    dictionaryPageSize: Dyn[int] = DEFAULT_PAGE_BYTES

    @model_validator(mode="after")
    def _note_deprecated(self, info: ValidationInfo) -> IonToParquet:
        note_deprecated(self, info, self.deprecated_properties)
        return self

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.parquet`` file; metric ``records``."""
        source = open_source(ctx, self)
        fitted = self.fitted_rows(ctx, source)
        schema = arrow_schema(fitted.schema)
        target = output_file(ctx, ".parquet")
        count = self._write(ctx, target, schema, fitted.rows)
        return finish(ctx, target, count)

    def _write(
        self, ctx: RunContext, target: Path, schema: pa.Schema, rows: Iterator[dict[str, Any]]
    ) -> int:
        codec = choice(ctx, self.compressionCodec, "compressionCodec", tuple(CODECS))
        version = self.version if self.version is not None else self.parquetVersion
        page_version = choice(ctx, version, "parquetVersion", ("V1", "V2"))
        group_bytes = max(1, ctx.render_as(self.rowGroupSize, int))
        count = 0
        with pq.ParquetWriter(
            str(target),
            schema,
            compression=CODECS[codec],
            data_page_version="2.0" if page_version == "V2" else "1.0",
            data_page_size=ctx.render_as(self.pageSize, int),
            dictionary_pagesize_limit=ctx.render_as(self.dictionaryPageSize, int),
            use_dictionary=True,
        ) as writer:
            group: list[pa.RecordBatch] = []
            group_size = 0
            for batch in _batches(rows, schema):
                count += batch.num_rows
                group.append(batch)
                group_size += batch.nbytes
                if group_size >= group_bytes:
                    writer.write_table(pa.Table.from_batches(group, schema))
                    group, group_size = [], 0
            if group:
                writer.write_table(pa.Table.from_batches(group, schema))
        return count


def _batches(rows: Iterator[dict[str, Any]], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
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


@plugin(
    "io.kestra.plugin.serdes.parquet.ParquetToIon",
    aliases=("io.kestra.plugin.serdes.parquet.ParquetReader",),
    title="Convert a Parquet file to the Amazon Ion format.",
)
class ParquetToIon(ConvertTask):
    """Read a Parquet file and write its rows as Ion."""

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.ion`` file; metric ``records``."""
        source = open_source(ctx, self)
        try:
            parquet = pq.ParquetFile(str(source.path))
        except (pa.ArrowException, OSError) as error:
            raise TaskError(
                f"'{source.uri}' is not a Parquet file ({error}); pass the 'uri' of a .parquet "
                "file",
                retryable=False,
            ) from None
        target = output_file(ctx, ".ion")
        readable = _readable_schema(parquet.schema_arrow)
        with IonRowWriter(target) as writer:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                table = pa.Table.from_batches([batch]).cast(readable, safe=False)
                writer.write_all(_ion_value(row) for row in table.to_pylist())
        return finish(ctx, target, writer.count)


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
            pa.decimal128(precision, scale) if precision <= 38 else pa.decimal256(precision, scale)
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

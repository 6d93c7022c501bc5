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
* pyarrow is used through ``parquet_arrow``, imported when a task runs, never with this
  declaration module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import ValidationInfo, model_validator

from legato.model.property import Dyn
from legato.plugins.serdes.avro_converter import AvroConverterTask
from legato.plugins.serdes.files import ConvertTask, choice, finish, open_source, output_file
from legato.sdk import plugin
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext
from legato.sdk.scripts import note_deprecated

if TYPE_CHECKING:  # pyarrow loads when a task runs (parquet_arrow), not with the registry
    import pyarrow as pa

BATCH_ROWS = 10_000
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
        from legato.plugins.serdes.parquet_arrow import arrow_schema  # pyarrow: at run

        source = open_source(ctx, self)
        fitted = self.fitted_rows(ctx, source)
        schema = arrow_schema(fitted.schema)
        target = output_file(ctx, ".parquet")
        count = self._write(ctx, target, schema, fitted.rows)
        return finish(ctx, target, count)

    def _write(
        self, ctx: RunContext, target: Path, schema: pa.Schema, rows: Iterator[dict[str, Any]]
    ) -> int:
        from legato.plugins.serdes.parquet_arrow import write_parquet

        codec = choice(ctx, self.compressionCodec, "compressionCodec", tuple(CODECS))
        version = self.version if self.version is not None else self.parquetVersion
        page_version = choice(ctx, version, "parquetVersion", ("V1", "V2"))
        return write_parquet(
            target,
            schema,
            rows,
            compression=CODECS[codec],
            data_page_version="2.0" if page_version == "V2" else "1.0",
            page_bytes=ctx.render_as(self.pageSize, int),
            dictionary_page_bytes=ctx.render_as(self.dictionaryPageSize, int),
            group_bytes=max(1, ctx.render_as(self.rowGroupSize, int)),
            batch_rows=BATCH_ROWS,
        )


@plugin(
    "io.kestra.plugin.serdes.parquet.ParquetToIon",
    aliases=("io.kestra.plugin.serdes.parquet.ParquetReader",),
    title="Convert a Parquet file to the Amazon Ion format.",
)
class ParquetToIon(ConvertTask):
    """Read a Parquet file and write its rows as Ion."""

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.ion`` file; metric ``records``."""
        from legato.plugins.serdes.parquet_arrow import ion_rows, open_parquet  # pyarrow: at run

        source = open_source(ctx, self)
        parquet = open_parquet(source)
        target = output_file(ctx, ".ion")
        with IonRowWriter(target) as writer:
            writer.write_all(ion_rows(parquet, BATCH_ROWS))
        return finish(ctx, target, writer.count)

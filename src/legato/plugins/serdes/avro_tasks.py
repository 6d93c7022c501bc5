"""``avro.IonToAvro`` (legacy ``AvroWriter``) and ``avro.AvroToIon`` (legacy ``AvroReader``),
with fastavro.

* IonToAvro fits the Ion rows to the Avro ``schema`` (given or inferred, see
  ``avro_converter``) and streams them into an Avro object container file (no compression).
* AvroToIon streams the records of an Avro file to Ion rows: logical types become Python
  values (decimal → Decimal, date, time, timestamps), UUIDs and enums strings, fixed bytes. A
  file that cannot be read follows ``onBadLines`` (WARN/SKIP keep the records read so far).
* fastavro is imported when a task runs, never with this declaration module.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from legato.model.property import Dyn
from legato.plugins.serdes.avro_converter import AvroConverterTask
from legato.plugins.serdes.avro_schema import infer_schema
from legato.plugins.serdes.files import (
    BAD_LINE_POLICIES,
    ConvertTask,
    OnBadLines,
    bad_row,
    choice,
    finish,
    ion_rows,
    open_source,
    output_file,
)
from legato.sdk import plugin
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext, TaskError

if TYPE_CHECKING:  # fastavro loads when a task runs, not with the plugin registry
    from fastavro.types import AvroMessage


@plugin(
    "io.kestra.plugin.serdes.avro.IonToAvro",
    aliases=("io.kestra.plugin.serdes.avro.AvroWriter",),
    title="Convert an Ion file to Avro.",
)
class IonToAvro(AvroConverterTask):
    """Read Ion rows and write them as an Avro file."""

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.avro`` file; metric ``records``."""
        import fastavro  # at run, not with the plugin registry

        source = open_source(ctx, self)
        fitted = self.fitted_rows(ctx, source)
        try:
            parsed = fastavro.parse_schema(fitted.schema)
        except (fastavro.schema.SchemaParseException, ValueError, KeyError) as error:
            raise TaskError(f"Invalid 'schema': {error}", retryable=False) from None
        target = output_file(ctx, ".avro")
        counted = _Counted(fitted.rows)
        try:
            with target.open("wb") as out:
                fastavro.writer(out, parsed, counted)
        except (ValueError, TypeError, OverflowError) as error:
            raise TaskError(
                f"Cannot write row {counted.count} as Avro: {error}; check the 'schema'",
                retryable=False,
            ) from None
        return finish(ctx, target, counted.count)


class _Counted:
    """An iterator of rows that counts what it yields."""

    def __init__(self, rows: Any) -> None:
        self.rows = iter(rows)
        self.count = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Any:
        row = next(self.rows)
        self.count += 1
        return row


@plugin(
    "io.kestra.plugin.serdes.avro.AvroToIon",
    aliases=("io.kestra.plugin.serdes.avro.AvroReader",),
    title="Convert an Avro file to the Amazon Ion format.",
)
class AvroToIon(ConvertTask):
    """Read an Avro file and write its records as Ion rows."""

    onBadLines: Dyn[OnBadLines] = "ERROR"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.ion`` file; metric ``records``. A corrupt block follows
        ``onBadLines``: ERROR fails, WARN and SKIP keep the records read before it."""
        import fastavro  # at run, not with the plugin registry

        source = open_source(ctx, self)
        policy = choice(ctx, self.onBadLines, "onBadLines", BAD_LINE_POLICIES)
        target = output_file(ctx, ".ion")
        with source.path.open("rb") as handle, IonRowWriter(target) as writer:
            try:
                records = fastavro.reader(handle)
                writer.write_all(_ion_value(record) for record in records)
            except (ValueError, EOFError, fastavro.read.SchemaResolutionError) as error:
                bad_row(
                    ctx,
                    policy,
                    f"'{source.uri}' is not a readable Avro file at record {writer.count + 1} "
                    f"({error})",
                    "pass the 'uri' of an Avro object container file, or set onBadLines to "
                    "WARN or SKIP to keep the records before the damage",
                )
        return finish(ctx, target, writer.count)


@plugin(
    "io.kestra.plugin.serdes.avro.InferAvroSchemaFromIon",
    title="Infer an Avro schema from the rows of an Ion file.",
)
class InferAvroSchemaFromIon(ConvertTask):
    """Write the Avro schema IonToAvro/IonToParquet would infer (a ``.avsc`` JSON file)."""

    numberOfRowsToScan: Dyn[int] = 100

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.avsc`` file."""
        source = open_source(ctx, self)
        scan = max(1, ctx.render_as(self.numberOfRowsToScan, int))
        schema = infer_schema(itertools.islice(ion_rows(source), scan))
        target = output_file(ctx, ".avsc")
        target.write_text(json.dumps(schema, indent=2), encoding="utf-8")
        return {"uri": ctx.storage.put_file(target)}


def _ion_value(value: AvroMessage | Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _ion_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ion_value(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    return value

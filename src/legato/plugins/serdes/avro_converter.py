"""The properties and row pipeline shared by IonToParquet and IonToAvro (Kestra's
``AbstractAvroConverter``): the schema (given or inferred), the coercion options, and the Ion
rows fitted to the schema with ``onBadLines`` applied.

Invariants: the Ion file is streamed twice at most (a first pass over ``numberOfRowsToScan``
rows when the schema is inferred); a row that does not fit fails the task naming its row
number and field, unless ``onBadLines`` is WARN (logged, skipped) or SKIP.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from legato.model.property import Dyn
from legato.plugins.serdes.avro_schema import infer_schema, named_types, parse_schema
from legato.plugins.serdes.avro_values import FitError, FitOptions, Fitter
from legato.plugins.serdes.files import (
    BAD_LINE_POLICIES,
    ConvertTask,
    OnBadLines,
    Source,
    bad_row,
    choice,
    ion_rows,
    single_char,
)
from legato.plugins.serdes.text_values import zone_of
from legato.sdk.run_context import RunContext, TaskError

TRUE_VALUES = ["t", "true", "enabled", "1", "on", "yes"]
FALSE_VALUES = ["f", "false", "disabled", "0", "off", "no", ""]
NULL_VALUES = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "1.#IND", "1.#QNAN", "NA",
    "n/a", "nan", "null",
]  # fmt: skip


@dataclass(frozen=True)
class FittedRows:
    """The schema in use and the rows fitted to it (a one-shot iterator)."""

    schema: dict[str, Any]
    rows: Iterator[dict[str, Any]]


class AvroConverterTask(ConvertTask):
    """Ion rows converted through an Avro schema."""

    schema_: Dyn[str] | None = Field(default=None, alias="schema")
    numberOfRowsToScan: Dyn[int] = 100
    trueValues: Dyn[list[str]] = TRUE_VALUES
    falseValues: Dyn[list[str]] = FALSE_VALUES
    nullValues: Dyn[list[str]] = NULL_VALUES
    dateFormat: str = "yyyy-MM-dd[XXX]"
    timeFormat: str = "HH:mm[:ss][.SSSSSS][XXX]"
    datetimeFormat: str = "yyyy-MM-dd'T'HH:mm[:ss][.SSSSSS][XXX]"
    decimalSeparator: Dyn[str] = "."
    strictSchema: Dyn[bool] = False
    inferAllFields: Dyn[bool] = False
    timeZoneId: Dyn[str] = "UTC"
    onBadLines: Dyn[OnBadLines] = "ERROR"

    def fitted_rows(self, ctx: RunContext, source: Source) -> FittedRows:
        """The schema and the rows of ``source`` fitted to it."""
        if ctx.render_as(self.inferAllFields, bool):
            raise TaskError(
                "inferAllFields: true is not supported: texts become booleans and nulls only in "
                "fields the schema declares boolean or nullable; remove the property",
                retryable=False,
            )
        schema = self._schema(ctx, source)
        fitter = Fitter(named_types(schema), self._options(ctx))
        policy = choice(ctx, self.onBadLines, "onBadLines", BAD_LINE_POLICIES)
        return FittedRows(schema, _fit_all(ctx, source, schema, fitter, policy))

    def _schema(self, ctx: RunContext, source: Source) -> dict[str, Any]:
        if self.schema_ is not None:
            return parse_schema(ctx.render_string(self.schema_))
        scan = max(1, ctx.render_as(self.numberOfRowsToScan, int))
        return infer_schema(itertools.islice(ion_rows(source), scan))

    def _options(self, ctx: RunContext) -> FitOptions:
        return FitOptions(
            true_values=frozenset(ctx.render_as(self.trueValues, list[str])),
            false_values=frozenset(ctx.render_as(self.falseValues, list[str])),
            null_values=frozenset(ctx.render_as(self.nullValues, list[str])),
            date_format=ctx.render_string(self.dateFormat),
            time_format=ctx.render_string(self.timeFormat),
            datetime_format=ctx.render_string(self.datetimeFormat),
            decimal_separator=single_char(ctx, self.decimalSeparator, "decimalSeparator"),
            strict_schema=ctx.render_as(self.strictSchema, bool),
            zone=zone_of(ctx.render_string(self.timeZoneId)),
        )


def _fit_all(
    ctx: RunContext, source: Source, schema: dict[str, Any], fitter: Fitter, policy: str
) -> Iterator[dict[str, Any]]:
    for number, row in enumerate(ion_rows(source), start=1):
        try:
            yield fitter.fit(schema, row, "")
        except FitError as error:
            bad_row(
                ctx,
                policy,
                f"'{source.uri}' row {number} does not fit the schema: {error}",
                "fix the 'schema' (or raise numberOfRowsToScan when it is inferred), or set "
                "onBadLines to WARN or SKIP to skip such rows",
            )

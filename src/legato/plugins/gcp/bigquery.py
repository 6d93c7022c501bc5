"""``io.kestra.plugin.gcp.bigquery``: Query, datasets, tables and load jobs.

Every BigQuery task retries BigQuery's transient errors on its own (``retryAuto``, matched by
``retryReasons`` and ``retryMessages``). ``Query`` returns rows per ``fetchType`` (=NONE); its
deprecated ``fetch``/``fetchOne``/``store`` booleans are accepted with a warning, but as in Kestra
``store`` excludes ``fetch``/``fetchOne`` and none of them goes with ``destinationTable``. A load
with ``format: CSV`` needs ``csvOptions``. Table definitions, ACLs and encryption configurations
are accepted as maps.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from legato.model.plugin import Plugin
from legato.model.property import Duration, Dyn
from legato.model.violations import PropertyError
from legato.plugins.gcp.base import GcpTask
from legato.sdk import Retry, plugin
from legato.sdk.scripts import note_deprecated

FetchType = Literal["FETCH", "FETCH_ONE", "STORE", "NONE"]
WriteDisposition = Literal["WRITE_TRUNCATE", "WRITE_TRUNCATE_DATA", "WRITE_APPEND", "WRITE_EMPTY"]
CreateDisposition = Literal["CREATE_IF_NEEDED", "CREATE_NEVER"]
SchemaUpdateOption = Literal["ALLOW_FIELD_ADDITION", "ALLOW_FIELD_RELAXATION"]
TimePartitioningType = Literal["DAY", "HOUR", "MONTH", "YEAR"]
Priority = Literal["INTERACTIVE", "BATCH"]
IfExists = Literal["ERROR", "UPDATE", "SKIP"]
LoadFormat = Literal["CSV", "JSON", "AVRO", "PARQUET", "ORC"]

RETRY_REASONS = [
    "rateLimitExceeded", "backendError", "internalError", "jobBackendError", "jobInternalError",
]  # fmt: skip
RETRY_MESSAGES = [
    "due to concurrent update",
    "Retrying the job may solve the problem",
    "Retrying may solve the problem",
]


class BigQueryTask(GcpTask):
    """A task calling BigQuery, with its automatic retry of transient errors."""

    location: Dyn[str] | None = None
    retryAuto: Retry | None = None
    retryReasons: Dyn[list[str]] = RETRY_REASONS
    retryMessages: Dyn[list[str]] = RETRY_MESSAGES


class JobTask(BigQueryTask):
    """A task running a BigQuery job that may write a destination table."""

    destinationTable: Dyn[str] | None = None
    writeDisposition: Dyn[WriteDisposition] | None = None
    createDisposition: Dyn[CreateDisposition] | None = None
    jobTimeout: Dyn[Duration] | None = None
    labels: Dyn[dict[str, str]] | None = None
    dryRun: Dyn[bool] = False


@plugin("io.kestra.plugin.gcp.bigquery.Query", title="Run a SQL query on BigQuery.")
class Query(JobTask):
    deprecated_properties: ClassVar[dict[str, str]] = {
        "fetch": "use 'fetchType: FETCH' instead",
        "fetchOne": "use 'fetchType: FETCH_ONE' instead",
        "store": "use 'fetchType: STORE' instead",
    }

    sql: Dyn[str] | None = None
    legacySql: Dyn[bool] = False
    fetch: bool = False
    store: bool = False
    fetchOne: bool = False
    fetchType: Dyn[FetchType] = "NONE"
    clusteringFields: Dyn[list[str]] | None = None
    schemaUpdateOptions: Dyn[list[SchemaUpdateOption]] | None = None
    timePartitioningField: Dyn[str] | None = None
    timePartitioningType: Dyn[TimePartitioningType] = "DAY"
    rangePartitioningField: Dyn[str] | None = None
    rangePartitioningStart: Dyn[int] | None = None
    rangePartitioningEnd: Dyn[int] | None = None
    rangePartitioningInterval: Dyn[int] | None = None
    defaultDataset: Dyn[str] | None = None
    priority: Dyn[Priority] = "INTERACTIVE"
    allowLargeResults: Dyn[bool] | None = None
    useQueryCache: Dyn[bool] | None = None
    flattenResults: Dyn[bool] = True
    useLegacySql: Dyn[bool] = False
    maximumBillingTier: Dyn[int] | None = None
    maximumBytesBilled: Dyn[int] | None = None
    maxResults: Dyn[int] | None = None

    @model_validator(mode="after")
    def _note_deprecated(self, info: ValidationInfo) -> Query:
        note_deprecated(self, info, self.deprecated_properties)
        return self

    @model_validator(mode="after")
    def _fetch_rules(self) -> Query:
        if self.store and (self.fetch or self.fetchOne):
            raise PropertyError(
                "'store' cannot be combined with 'fetch' or 'fetchOne'; "
                "use a single 'fetchType' instead",
                "store",
            )
        if (self.fetch or self.fetchOne or self.store) and self.destinationTable is not None:
            raise PropertyError(
                "'destinationTable' cannot be combined with 'fetch', 'fetchOne' or 'store'; "
                "remove one of them",
                "destinationTable",
            )
        return self


class Dataset(BigQueryTask):
    """Dataset properties; ``description`` is the task's own ``description``."""

    name: Dyn[str]
    acl: list[dict[str, Any]] | None = None
    defaultTableLifetime: Dyn[int] | None = None
    friendlyName: Dyn[str] | None = None
    defaultEncryptionConfiguration: dict[str, Any] | None = None
    defaultPartitionExpirationMs: Dyn[int] | None = None
    labels: Dyn[dict[str, str]] | None = None


@plugin("io.kestra.plugin.gcp.bigquery.CreateDataset", title="Create a BigQuery dataset.")
class CreateDataset(Dataset):
    ifExists: Dyn[IfExists] = "ERROR"


@plugin("io.kestra.plugin.gcp.bigquery.DeleteDataset", title="Delete a BigQuery dataset.")
class DeleteDataset(BigQueryTask):
    name: Dyn[str]
    deleteContents: Dyn[bool] | None = None


class Table(BigQueryTask):
    """A task acting on ``dataset``.``table``."""

    dataset: Dyn[str]
    table: Dyn[str]


@plugin("io.kestra.plugin.gcp.bigquery.CreateTable", title="Create a BigQuery table.")
class CreateTable(Table):
    tableDefinition: dict[str, Any] | None = None
    friendlyName: Dyn[str] | None = None
    labels: Dyn[dict[str, str]] | None = None
    requirePartitionFilter: Dyn[bool] | None = None
    encryptionConfiguration: dict[str, Any] | None = None
    expirationDuration: Dyn[Duration] | None = None


@plugin("io.kestra.plugin.gcp.bigquery.DeleteTable", title="Delete a BigQuery table.")
class DeleteTable(Table):
    pass


class CsvOptions(BaseModel):
    """How a CSV source is parsed."""

    model_config = ConfigDict(extra="forbid")

    allowJaggedRows: Dyn[bool] | None = None
    allowQuotedNewLines: Dyn[bool] | None = None
    encoding: Dyn[str] | None = None
    fieldDelimiter: Dyn[str] | None = None
    quote: Dyn[str] | None = None
    skipLeadingRows: Dyn[int] | None = None


class AvroOptions(BaseModel):
    """How an Avro source is read."""

    model_config = ConfigDict(extra="forbid")

    useAvroLogicalTypes: Dyn[bool] | None = None


class LoadTask(BigQueryTask):
    """A BigQuery load job into ``destinationTable``."""

    destinationTable: Dyn[str] | None = None
    clusteringFields: Dyn[list[str]] | None = None
    schemaUpdateOptions: Dyn[list[SchemaUpdateOption]] | None = None
    timePartitioningField: Dyn[str] | None = None
    timePartitioningType: Dyn[TimePartitioningType] = "DAY"
    writeDisposition: Dyn[WriteDisposition] | None = None
    autodetect: Dyn[bool] | None = None
    createDisposition: Dyn[CreateDisposition] | None = None
    ignoreUnknownValues: Dyn[bool] | None = None
    maxBadRecords: Dyn[int] | None = None
    schema_: Dyn[dict[str, Any]] | None = Field(default=None, alias="schema")
    format: LoadFormat | None = None
    csvOptions: CsvOptions | None = None
    avroOptions: AvroOptions | None = None

    @model_validator(mode="after")
    def _csv_needs_options(self) -> LoadTask:
        if self.format == "CSV" and self.csvOptions is None:
            raise PropertyError(
                "'format: CSV' needs 'csvOptions' (use 'csvOptions: {}' for BigQuery's defaults)",
                "format",
            )
        return self


@plugin("io.kestra.plugin.gcp.bigquery.Load", title="Load a Kestra storage file into BigQuery.")
class Load(LoadTask):
    from_: Dyn[str] | None = Field(default=None, alias="from")


@plugin("io.kestra.plugin.gcp.bigquery.LoadFromGcs", title="Load GCS objects into BigQuery.")
class LoadFromGcs(LoadTask):
    from_: Dyn[list[str]] | None = Field(default=None, alias="from")


PLUGINS: list[type[Plugin]] = [
    Query, CreateDataset, DeleteDataset, CreateTable, DeleteTable, Load, LoadFromGcs,
]  # fmt: skip

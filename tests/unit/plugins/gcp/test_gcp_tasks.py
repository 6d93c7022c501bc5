"""GCP declarations: documented examples, common credentials, defaults, required, enums."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from plugin_support import declaration_error, validate_declaration

from legato.model.plugin import PluginKind
from legato.model.registry import PluginRegistry
from legato.plugins.gcp import PLUGINS, bigquery, gcs

REGISTRY = PluginRegistry(PLUGINS)
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"


validate = partial(validate_declaration, REGISTRY)
error = partial(declaration_error, REGISTRY)


def test_registers_the_documented_types() -> None:
    names = {
        t.rsplit(".", 2)[-2] + "." + t.rsplit(".", 1)[-1] for t in REGISTRY.types(PluginKind.TASK)
    }
    assert names == {
        "gcs.Upload",
        "gcs.Download",
        "gcs.Delete",
        "gcs.List",
        "gcs.CreateBucket",
        "gcs.DeleteBucket",
        "bigquery.Query",
        "bigquery.CreateDataset",
        "bigquery.DeleteDataset",
        "bigquery.CreateTable",
        "bigquery.DeleteTable",
        "bigquery.Load",
        "bigquery.LoadFromGcs",
    }
    assert all(t.startswith("io.kestra.plugin.gcp.") for t in REGISTRY.types(PluginKind.TASK))


def test_documented_upload_example_and_common_defaults() -> None:
    task, _ = validate(
        {
            "id": "cloud_storage",
            "type": "io.kestra.plugin.gcp.gcs.Upload",
            "from": "kestra:///company/team/data.csv",
            "to": "gs://kestra-demo/data.csv",
        }
    )
    assert isinstance(task, gcs.Upload)
    assert task.from_ == "kestra:///company/team/data.csv"
    assert task.to == "gs://kestra-demo/data.csv"
    assert task.scopes == [CLOUD_PLATFORM]
    assert task.projectId is None
    assert task.serviceAccount is None
    assert task.impersonatedServiceAccount is None


def test_common_credentials_properties() -> None:
    task, _ = validate(
        {
            "id": "d",
            "type": "io.kestra.plugin.gcp.gcs.Download",
            "from": "gs://my_bucket/dir/file.csv",
            "projectId": "my-project",
            "serviceAccount": '{"type": "service_account"}',
            "impersonatedServiceAccount": "robot@my-project.iam.gserviceaccount.com",
            "scopes": ["https://www.googleapis.com/auth/devstorage.read_only"],
        }
    )
    assert isinstance(task, gcs.Download)
    assert task.projectId == "my-project"
    assert task.scopes == ["https://www.googleapis.com/auth/devstorage.read_only"]


def test_delete_and_list_defaults() -> None:
    delete, _ = validate(
        {"id": "d", "type": "io.kestra.plugin.gcp.gcs.Delete", "uri": "gs://b/file.csv"}
    )
    assert isinstance(delete, gcs.Delete) and delete.errorOnMissing is False
    listing, _ = validate(
        {"id": "l", "type": "io.kestra.plugin.gcp.gcs.List", "from": "gs://b/dir/"}
    )
    assert isinstance(listing, gcs.List)
    assert listing.listingType == "DIRECTORY"
    assert listing.filter == "BOTH"
    assert "from" in error({"id": "l", "type": "io.kestra.plugin.gcp.gcs.List"})
    assert "listingType" in error(
        {"id": "l", "type": "io.kestra.plugin.gcp.gcs.List", "from": "gs://b", "listingType": "ALL"}
    )


def test_create_bucket_if_exists_and_storage_class() -> None:
    bucket, _ = validate(
        {
            "id": "b",
            "type": "io.kestra.plugin.gcp.gcs.CreateBucket",
            "name": "my-bucket",
            "location": "EU",
            "storageClass": "NEARLINE",
            "versioningEnabled": True,
        }
    )
    assert isinstance(bucket, gcs.CreateBucket)
    assert bucket.ifExists == "ERROR"
    assert bucket.storageClass == "NEARLINE"
    assert "name" in error({"id": "b", "type": "io.kestra.plugin.gcp.gcs.CreateBucket"})
    assert "ifExists" in error(
        {
            "id": "b",
            "type": "io.kestra.plugin.gcp.gcs.CreateBucket",
            "name": "x",
            "ifExists": "REPLACE",
        }
    )
    assert "name" in error({"id": "b", "type": "io.kestra.plugin.gcp.gcs.DeleteBucket"})


def test_documented_create_dataset_example() -> None:
    task, _ = validate(
        {
            "id": "create_dataset",
            "type": "io.kestra.plugin.gcp.bigquery.CreateDataset",
            "name": "my_dataset",
            "location": "EU",
            "ifExists": "SKIP",
        }
    )
    assert isinstance(task, bigquery.CreateDataset)
    assert task.ifExists == "SKIP"
    bare, _ = validate(
        {"id": "c", "type": "io.kestra.plugin.gcp.bigquery.CreateDataset", "name": "d"}
    )
    assert bare.ifExists == "ERROR"
    assert bare.retryReasons[0] == "rateLimitExceeded"


def test_documented_delete_dataset_and_tables() -> None:
    task, _ = validate(
        {
            "id": "delete_dataset",
            "type": "io.kestra.plugin.gcp.bigquery.DeleteDataset",
            "name": "my-dataset",
            "deleteContents": True,
        }
    )
    assert isinstance(task, bigquery.DeleteDataset) and task.deleteContents is True
    table, _ = validate(
        {
            "id": "t",
            "type": "io.kestra.plugin.gcp.bigquery.DeleteTable",
            "projectId": "my-project",
            "dataset": "my-dataset",
            "table": "my-table$20130908",
        }
    )
    assert isinstance(table, bigquery.DeleteTable)
    message = error({"id": "t", "type": "io.kestra.plugin.gcp.bigquery.CreateTable"})
    assert "dataset" in message and "table" in message
    created, _ = validate(
        {
            "id": "t",
            "type": "io.kestra.plugin.gcp.bigquery.CreateTable",
            "dataset": "d",
            "table": "t",
            "expirationDuration": "P1D",
            "tableDefinition": {"type": "TABLE", "schema": {"fields": []}},
        }
    )
    assert created.expirationDuration == timedelta(days=1)


def test_query_defaults() -> None:
    task, context = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.gcp.bigquery.Query",
            "sql": "SELECT 1 as id, 'John' as name",
        }
    )
    assert isinstance(task, bigquery.Query)
    assert task.fetchType == "NONE"
    assert task.legacySql is False
    assert task.dryRun is False
    assert task.priority == "INTERACTIVE"
    assert task.flattenResults is True
    assert task.timePartitioningType == "DAY"
    assert context.warnings == []


def test_query_deprecated_fetch_warns() -> None:
    task, context = validate(
        {
            "id": "fetch",
            "type": "io.kestra.plugin.gcp.bigquery.Query",
            "fetch": True,
            "sql": "SELECT 1",
        }
    )
    assert task.fetch is True
    assert [name for name, _ in context.warnings] == ["fetch"]


def test_query_destination_and_enums() -> None:
    task, _ = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.gcp.bigquery.Query",
            "sql": "SELECT 1",
            "destinationTable": "my_project.my_dataset.my_table",
            "writeDisposition": "WRITE_APPEND",
            "createDisposition": "CREATE_IF_NEEDED",
            "fetchType": "STORE",
            "jobTimeout": "PT1H",
        }
    )
    assert task.jobTimeout == timedelta(hours=1)
    base = {"id": "q", "type": "io.kestra.plugin.gcp.bigquery.Query", "sql": "SELECT 1"}
    assert "writeDisposition" in error({**base, "writeDisposition": "OVERWRITE"})
    assert "priority" in error({**base, "priority": "URGENT"})
    assert "fetchType" in error({**base, "fetchType": "ALL"})


def test_documented_load_examples() -> None:
    load, _ = validate(
        {
            "id": "load",
            "type": "io.kestra.plugin.gcp.bigquery.Load",
            "from": "kestra:///inputs/file.csv",
            "destinationTable": "my_project.my_dataset.my_table",
            "format": "CSV",
            "csvOptions": {"fieldDelimiter": ";"},
        }
    )
    assert isinstance(load, bigquery.Load)
    assert load.csvOptions is not None and load.csvOptions.fieldDelimiter == ";"
    from_gcs, _ = validate(
        {
            "id": "load",
            "type": "io.kestra.plugin.gcp.bigquery.LoadFromGcs",
            "from": ["gs://myBucket/myFile.csv"],
            "destinationTable": "my_project.my_dataset.my_table",
            "format": "CSV",
            "schema": {"fields": [{"name": "colA", "type": "STRING"}]},
            "csvOptions": {"allowJaggedRows": True, "encoding": "UTF-8"},
        }
    )
    assert isinstance(from_gcs, bigquery.LoadFromGcs)
    assert from_gcs.from_ == ["gs://myBucket/myFile.csv"]
    assert from_gcs.schema_ == {"fields": [{"name": "colA", "type": "STRING"}]}
    base = {"id": "l", "type": "io.kestra.plugin.gcp.bigquery.Load"}
    assert "format" in error({**base, "format": "XML"})
    assert "csvOptions.delimiter" in error({**base, "csvOptions": {"delimiter": ","}})


def test_unknown_property_is_rejected() -> None:
    message = error(
        {
            "id": "u",
            "type": "io.kestra.plugin.gcp.gcs.Upload",
            "from": "kestra:///a",
            "destination": "gs://b/a",
        }
    )
    assert "destination" in message


def test_query_store_excludes_fetch() -> None:
    base = {"id": "q", "type": "io.kestra.plugin.gcp.bigquery.Query", "sql": "SELECT 1"}
    assert "'store' cannot be combined" in error({**base, "store": True, "fetch": True})
    assert "'store' cannot be combined" in error({**base, "store": True, "fetchOne": True})
    assert "'destinationTable' cannot be combined" in error(
        {**base, "fetch": True, "destinationTable": "p.d.t"}
    )


def test_csv_load_needs_csv_options() -> None:
    base = {
        "id": "l",
        "type": "io.kestra.plugin.gcp.bigquery.LoadFromGcs",
        "from": ["gs://b/f.csv"],
        "format": "CSV",
    }
    assert "needs 'csvOptions'" in error(base)
    task, _ = validate({**base, "csvOptions": {}})
    assert isinstance(task, bigquery.LoadFromGcs)
    parquet, _ = validate({**base, "format": "PARQUET"})
    assert parquet.csvOptions is None

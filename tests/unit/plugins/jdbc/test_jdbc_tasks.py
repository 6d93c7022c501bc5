"""JDBC declarations: documented examples, defaults, URL forms, deprecated fetch flags."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from plugin_support import declaration_error, validate_declaration

from legato.errors import FlowValidationError
from legato.model import parsing
from legato.model.plugin import ParseContext, Plugin, PluginKind
from legato.model.property import Expression
from legato.model.registry import PluginRegistry
from legato.plugins.jdbc import PLUGINS, duckdb, mysql, postgres, postgres_copy, sqlite, urls

REGISTRY = PluginRegistry(PLUGINS)
PG_URL = "jdbc:postgresql://127.0.0.1:5432/postgres"


def kind_of(raw: dict[str, Any]) -> PluginKind:
    return PluginKind.TRIGGER if raw["type"].endswith(".Trigger") else PluginKind.TASK


def validate(raw: dict[str, Any]) -> tuple[Plugin, ParseContext]:
    return validate_declaration(REGISTRY, raw, kind_of(raw))


def error(raw: dict[str, Any]) -> str:
    return declaration_error(REGISTRY, raw, kind_of(raw))


def test_registers_every_documented_type() -> None:
    expected = {
        "io.kestra.plugin.jdbc.postgresql.Query",
        "io.kestra.plugin.jdbc.postgresql.Queries",
        "io.kestra.plugin.jdbc.postgresql.CopyIn",
        "io.kestra.plugin.jdbc.postgresql.CopyOut",
        "io.kestra.plugin.jdbc.duckdb.Query",
        "io.kestra.plugin.jdbc.duckdb.Queries",
        "io.kestra.plugin.jdbc.sqlite.Query",
        "io.kestra.plugin.jdbc.sqlite.Queries",
        "io.kestra.plugin.jdbc.mysql.Query",
        "io.kestra.plugin.jdbc.mysql.Queries",
    }
    assert set(REGISTRY.types(PluginKind.TASK)) == expected
    assert set(REGISTRY.types(PluginKind.TRIGGER)) == {
        "io.kestra.plugin.jdbc.postgresql.Trigger",
        "io.kestra.plugin.jdbc.duckdb.Trigger",
        "io.kestra.plugin.jdbc.sqlite.Trigger",
        "io.kestra.plugin.jdbc.mysql.Trigger",
    }


def test_postgres_query_defaults() -> None:
    task, context = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.postgresql.Query",
            "url": PG_URL,
            "sql": "select 1",
        }
    )
    assert isinstance(task, postgres.Query)
    assert task.fetchType == "NONE"
    assert task.fetchSize == 10000
    assert (task.fetch, task.fetchOne, task.store) == (False, False, False)
    assert task.ssl is False
    assert task.sslMode is None
    assert task.connectionPooling is True
    assert task.connectionPoolSize == 10
    assert task.parameters is None
    assert context.warnings == []


def test_postgres_query_requires_url_and_sql() -> None:
    message = error({"id": "q", "type": "io.kestra.plugin.jdbc.postgresql.Query"})
    assert "url" in message and "sql" in message


def test_fetch_type_is_an_enum() -> None:
    base = {
        "id": "q",
        "type": "io.kestra.plugin.jdbc.postgresql.Query",
        "url": PG_URL,
        "sql": "select 1",
    }
    for value in ("FETCH", "FETCH_ONE", "STORE", "NONE"):
        task, _ = validate({**base, "fetchType": value})
        assert task.fetchType == value
    assert "fetchType" in error({**base, "fetchType": "ALL"})


@pytest.mark.parametrize("flag", ["fetch", "fetchOne", "store"])
def test_deprecated_fetch_flags_are_accepted_with_a_warning(flag: str) -> None:
    task, context = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.postgresql.Query",
            "url": PG_URL,
            "sql": "select 1",
            flag: True,
        }
    )
    assert getattr(task, flag) is True
    assert [name for name, _ in context.warnings] == [flag]
    assert "fetchType" in context.warnings[0][1]


def test_postgres_ssl_and_parameters() -> None:
    task, _ = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.postgresql.Query",
            "url": PG_URL,
            "sql": "select * from t where id = :id",
            "parameters": {"id": 3},
            "ssl": True,
            "sslMode": "VERIFY_FULL",
            "sslRootCert": "-----BEGIN CERTIFICATE-----",
        }
    )
    assert isinstance(task, postgres.Query)
    assert task.parameters == {"id": 3}
    assert task.sslMode == "VERIFY_FULL"
    assert "sslMode" in error(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.postgresql.Query",
            "url": PG_URL,
            "sql": "select 1",
            "sslMode": "STRICT",
        }
    )


def test_postgres_queries_transaction_default() -> None:
    task, _ = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.postgresql.Queries",
            "url": PG_URL,
            "sql": "insert into t values (1); select * from t;",
        }
    )
    assert isinstance(task, postgres.Queries)
    assert task.transaction is True


def test_documented_copy_in_example() -> None:
    task, _ = validate(
        {
            "id": "copy_in",
            "type": "io.kestra.plugin.jdbc.postgresql.CopyIn",
            "url": "jdbc:postgresql://127.0.0.1:5432/",
            "username": "pg",
            "password": "pw",
            "format": "CSV",
            "from": "kestra:///company/team/export.csv",
            "table": "my_destination_table",
            "header": True,
            "delimiter": "\t",
        }
    )
    assert isinstance(task, postgres_copy.CopyIn)
    assert task.from_ == "kestra:///company/team/export.csv"
    assert task.format == "CSV"
    assert task.model_dump(by_alias=True, exclude_unset=True)["from"] == task.from_


def test_copy_in_requires_from_and_single_char_options() -> None:
    base = {"id": "c", "type": "io.kestra.plugin.jdbc.postgresql.CopyIn", "url": PG_URL}
    assert "from" in error(base)
    assert "delimiter" in error({**base, "from": "kestra:///a", "delimiter": ";;"})
    assert "format" in error({**base, "from": "kestra:///a", "format": "PARQUET"})


def test_documented_copy_out_example_and_format_default() -> None:
    task, _ = validate(
        {
            "id": "export",
            "type": "io.kestra.plugin.jdbc.postgresql.CopyOut",
            "url": "jdbc:postgresql://sample_postgres:5432/world",
            "format": "CSV",
            "header": True,
            "sql": "SELECT * FROM country LIMIT 10",
            "delimiter": ",",
        }
    )
    assert isinstance(task, postgres_copy.CopyOut)
    bare, _ = validate(
        {"id": "e", "type": "io.kestra.plugin.jdbc.postgresql.CopyOut", "url": PG_URL, "table": "t"}
    )
    assert bare.format == "TEXT"


def test_postgres_trigger_defaults() -> None:
    trigger, _ = validate(
        {
            "id": "watch",
            "type": "io.kestra.plugin.jdbc.postgresql.Trigger",
            "url": PG_URL,
            "sql": "SELECT * FROM my_table",
            "interval": "PT5M",
            "fetchType": "FETCH",
        }
    )
    assert isinstance(trigger, postgres.Trigger)
    assert trigger.interval == timedelta(minutes=5)
    bare, _ = validate(
        {
            "id": "w",
            "type": "io.kestra.plugin.jdbc.postgresql.Trigger",
            "url": PG_URL,
            "sql": "select 1",
        }
    )
    assert bare.interval == timedelta(seconds=60)


def test_task_with_a_wrong_url_says_which_form_is_expected() -> None:
    message = error(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.postgresql.Query",
            "url": "jdbc:mysql://localhost/db",
            "sql": "select 1",
        }
    )
    assert "is not a PostgreSQL JDBC URL" in message
    assert "jdbc:postgresql://host[:port]/database[?parameters]" in message


def test_documented_duckdb_query_example() -> None:
    task, _ = validate(
        {
            "id": "query",
            "type": "io.kestra.plugin.jdbc.duckdb.Query",
            "url": "jdbc:duckdb:",
            "timeZoneId": "Europe/Paris",
            "sql": "CREATE TABLE new_tbl AS SELECT * FROM read_csv_auto('data.csv', header=True);",
            "inputFiles": {"data.csv": "kestra:///company/team/orders.csv"},
            "outputFiles": ["out"],
        }
    )
    assert isinstance(task, duckdb.Query)
    assert task.inputFiles == {"data.csv": "kestra:///company/team/orders.csv"}
    assert task.outputFiles == ["out"]
    assert task.outputDbFile is False


def test_duckdb_url_defaults_to_a_local_database() -> None:
    task, _ = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.duckdb.Query",
            "sql": "SELECT 1",
            "fetchType": "STORE",
            "databaseUri": "kestra:///db/my.duckdb",
        }
    )
    assert task.url == "jdbc:duckdb:"
    trigger, _ = validate(
        {
            "id": "watch",
            "type": "io.kestra.plugin.jdbc.duckdb.Trigger",
            "interval": "PT5M",
            "sql": "SELECT * FROM my_table",
        }
    )
    assert isinstance(trigger, duckdb.Trigger)
    assert "is not a DuckDB JDBC URL" in error(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.duckdb.Queries",
            "sql": "SELECT 1",
            "url": "jdbc:postgresql://h/db",
        }
    )


def test_documented_sqlite_examples() -> None:
    task, _ = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.sqlite.Query",
            "url": "jdbc:sqlite:myfile.db",
            "sqliteFile": "kestra:///a/myfile.sqlite",
            "sql": "select 1",
            "fetchType": "FETCH_ONE",
        }
    )
    assert isinstance(task, sqlite.Query)
    assert task.outputDbFile is False
    trigger, _ = validate(
        {
            "id": "watch",
            "type": "io.kestra.plugin.jdbc.sqlite.Trigger",
            "interval": "PT5M",
            "url": "jdbc:sqlite:myfile.db",
            "sql": "SELECT * FROM my_table",
            "fetchType": "FETCH",
        }
    )
    assert isinstance(trigger, sqlite.Trigger)
    assert "url" in error(
        {"id": "q", "type": "io.kestra.plugin.jdbc.sqlite.Queries", "sql": "select 1"}
    )


def test_unknown_property_is_rejected() -> None:
    message = error(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.sqlite.Query",
            "url": "jdbc:sqlite:x.db",
            "sql": "select 1",
            "fetchsize": 10,
        }
    )
    assert "fetchsize" in message


def test_url_expressions_are_not_checked_against_the_form() -> None:
    url = "jdbc:postgresql://{{ secret('POSTGRES_HOST') }}:5432/postgres"
    task, _ = validate(
        {"id": "q", "type": "io.kestra.plugin.jdbc.postgresql.Query", "url": url, "sql": "select 1"}
    )
    assert task.url == url
    assert urls.check_postgres_url("{{ inputs.url }}") == "{{ inputs.url }}"


def test_invalid_sql_expression_is_reported_in_a_flow() -> None:
    source = (
        "id: f\nnamespace: company.team\ntasks:\n"
        "  - id: q\n    type: io.kestra.plugin.jdbc.duckdb.Query\n    sql: select {{ 1 + \n"
    )
    with pytest.raises(FlowValidationError) as info:
        parsing.parse_flow(source, REGISTRY)
    [violation] = info.value.violations
    assert violation.path == "tasks[0].sql"
    assert "invalid expression" in violation.message


def test_fetch_size_expression_is_kept_for_rendering() -> None:
    task, _ = validate(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.duckdb.Query",
            "sql": "select 1",
            "fetchSize": "{{ inputs.size }}",
        }
    )
    assert isinstance(task.fetchSize, Expression)


def test_mysql_query_with_input_file() -> None:
    task, _ = validate(
        {
            "id": "load",
            "type": "io.kestra.plugin.jdbc.mysql.Query",
            "url": "jdbc:mysql://127.0.0.1:3306/",
            "username": "root",
            "password": "pw",
            "inputFile": "kestra:///data/file.csv",
            "sql": "LOAD DATA LOCAL INFILE '{{ inputFile }}' INTO TABLE discounts",
        }
    )
    assert isinstance(task, mysql.Query)
    assert task.inputFile == "kestra:///data/file.csv"
    assert task.fetchType == "NONE"
    assert "is not a MySQL JDBC URL" in error(
        {
            "id": "q",
            "type": "io.kestra.plugin.jdbc.mysql.Queries",
            "sql": "select 1",
            "url": "jdbc:postgresql://h/db",
        }
    )
    trigger, _ = validate(
        {
            "id": "t",
            "type": "io.kestra.plugin.jdbc.mysql.Trigger",
            "url": "jdbc:mysql://h:3306/db",
            "sql": "select 1",
            "interval": "PT1M",
        }
    )
    assert isinstance(trigger, mysql.Trigger)

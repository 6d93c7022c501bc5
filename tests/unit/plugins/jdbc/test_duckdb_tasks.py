"""DuckDB Query/Queries: working directory, inputFiles, outputFiles, databaseUri,
outputDbFile, offline extensions, result detection and error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jdbc_support import run_task

from legato.sdk.run_context import TaskError

QUERY = "io.kestra.plugin.jdbc.duckdb.Query"
QUERIES = "io.kestra.plugin.jdbc.duckdb.Queries"
CSV = b"order_id,customer_name,total\n1,Ann,10.5\n2,Bob,20\n"


def test_getting_started_flow_reads_csv_and_writes_an_output_file(ctx: Any) -> None:
    uri = ctx.storage.put_bytes(CSV, "orders.csv")
    out = run_task(
        ctx,
        {
            "type": QUERIES,
            "inputFiles": {"data.csv": uri, "extra.json": '[{"k": 1}, {"k": 2}]'},
            "outputFiles": ["out"],
            "fetchType": "FETCH",
            "sql": """
                INSTALL json; LOAD json;
                CREATE TABLE orders AS SELECT * FROM read_csv_auto('data.csv', header=True);
                SELECT sum(k) AS k FROM read_json_auto('{{ workingDir }}/extra.json');
                COPY (SELECT order_id, customer_name FROM orders ORDER BY order_id)
                  TO '{{ outputFiles.out }}' (HEADER, DELIMITER ',');
                SELECT count(*) AS Count FROM orders WHERE total > :min;
            """,
            "parameters": {"min": 5},
        },
    )
    assert out["outputs"] == [
        {"row": None, "rows": [{"k": 3}], "size": 1},
        {"row": None, "rows": [{"Count": 2}], "size": 1},
    ]
    assert ctx.storage.files[out["outputFiles"]["out"]] == b"order_id,customer_name\n1,Ann\n2,Bob\n"
    assert out["outputFiles"]["out"].split("/")[-1].startswith("out_")


def test_output_db_file_then_database_uri_round_trip(ctx: Any) -> None:
    first = run_task(
        ctx,
        {
            "type": QUERIES,
            "sql": "create table t as select range as id from range(5)",
            "outputDbFile": True,
        },
    )
    assert first["outputs"] == [] and first["outputFiles"] == {}
    second = run_task(
        ctx,
        {
            "type": QUERY,
            "databaseUri": first["databaseUri"],
            "sql": "select sum(id) as total from t",
            "fetchType": "FETCH_ONE",
        },
    )
    assert second == {"row": {"total": 10}, "size": 1, "outputFiles": {}}


def test_absolute_database_path_sets_the_working_dir(ctx: Any, tmp_path: Path) -> None:
    path = tmp_path / "nested" / "my.duckdb"
    out = run_task(
        ctx,
        {
            "type": QUERY,
            "url": f"jdbc:duckdb:{path}",
            "inputFiles": {"x.csv": "a\n1\n"},
            "sql": "select a, '{{ dbFilePath }}' as db from read_csv_auto('x.csv')",
            "fetchType": "FETCH_ONE",
        },
    )
    assert out["row"] == {"a": 1, "db": str(path)}
    assert (tmp_path / "nested" / "x.csv").exists() and path.exists()


def test_memory_database_and_types(ctx: Any) -> None:
    out = run_task(
        ctx,
        {
            "type": QUERY,
            "url": "jdbc:duckdb::memory:",
            "timeZoneId": "Europe/Paris",
            "fetchType": "FETCH_ONE",
            "sql": "select TIMESTAMPTZ '2024-01-02 03:04:05+00' as tz, 1.50::decimal(5, 2) as d,"
            " [1, 2] as l, {'a': 1} as s, '\\xAB'::blob as b, INTERVAL 1 DAY as i,"
            " 12345678901234567890::hugeint as h",
        },
    )
    assert out["row"] == {
        "tz": "2024-01-02T04:04:05+01:00",
        "d": 1.5,
        "l": [1, 2],
        "s": {"a": 1},
        "b": "qw==",
        "i": "P0Y0M1DT0H0M0S",
        "h": 12345678901234567890,
    }


def test_row_changing_statements_have_no_result_but_returning_does(ctx: Any) -> None:
    out = run_task(
        ctx,
        {
            "type": QUERIES,
            "fetchType": "FETCH",
            "sql": "create table t (id int); insert into t values (1), (2);"
            " insert into t values (3) returning id; set threads = 1; select 1 as one",
        },
    )
    assert out["outputs"] == [
        {"row": None, "rows": [{"id": 3}], "size": 1},
        {"row": None, "rows": [{"one": 1}], "size": 1},
    ]


def test_queries_roll_back_in_a_transaction(ctx: Any, tmp_path: Path) -> None:
    url = f"jdbc:duckdb:{tmp_path / 'tx.duckdb'}"
    run_task(ctx, {"type": QUERIES, "url": url, "sql": "create table t (id int primary key)"})
    with pytest.raises(TaskError) as info:
        run_task(
            ctx,
            {
                "type": QUERIES,
                "url": url,
                "sql": "insert into t values (1); insert into t values (1)",
            },
        )
    message = str(info.value)
    assert message.startswith("DuckDB rejected the statement: Constraint Error:")
    assert "duplicate key" in message and message.endswith("\n  in: insert into t values (1)")
    count = run_task(
        ctx,
        {"type": QUERY, "url": url, "sql": "select count(*) n from t", "fetchType": "FETCH_ONE"},
    )
    assert count["row"] == {"n": 0}


def test_sql_error_drops_the_caret_lines(ctx: Any) -> None:
    with pytest.raises(TaskError) as info:
        run_task(ctx, {"type": QUERY, "sql": "select * from nope"})
    assert "LINE 1" not in str(info.value)
    assert str(info.value).startswith(
        "DuckDB rejected the statement: Catalog Error: Table with name nope does not exist!"
    )


def test_bad_files_are_named(ctx: Any) -> None:
    with pytest.raises(TaskError, match=r"inputFiles name '\.\./x' contains a '\.\.' segment"):
        run_task(ctx, {"type": QUERY, "sql": "select 1", "inputFiles": {"../x": "a"}})
    with pytest.raises(TaskError, match="outputFiles key 'a/b' must be a plain name"):
        run_task(ctx, {"type": QUERY, "sql": "select 1", "outputFiles": ["a/b"]})
    with pytest.raises(TaskError, match="outputDbFile: the database ':memory:' is not a local"):
        run_task(
            ctx,
            {"type": QUERY, "url": "jdbc:duckdb::memory:", "sql": "select 1", "outputDbFile": True},
        )
    with pytest.raises(TaskError, match="url: 'duckdb:' is not a DuckDB JDBC URL"):
        ctx.variables["u"] = "duckdb:"
        run_task(ctx, {"type": QUERY, "url": "{{ u }}", "sql": "select 1"})


def test_input_files_as_a_json_string(ctx: Any) -> None:
    ctx.variables["files"] = {"a.csv": "v\n7\n"}
    out = run_task(
        ctx,
        {
            "type": QUERY,
            "inputFiles": "{{ files | json }}",
            "sql": "select v from 'a.csv'",
            "fetchType": "FETCH_ONE",
        },
    )
    assert out["row"] == {"v": 7}


def test_store_of_commands_and_of_an_empty_query(ctx: Any) -> None:
    out = run_task(
        ctx,
        {
            "type": QUERIES,
            "fetchType": "STORE",
            "fetchSize": 1,
            "sql": "create table t (a int); insert into t values (1), (2);"
            " select * from t where a < 0; select * from t order by a",
        },
    )
    files = [ctx.storage.files[entry["uri"]] for entry in out["outputs"]]
    assert files == [b"", b"{a:1}\n{a:2}\n"]

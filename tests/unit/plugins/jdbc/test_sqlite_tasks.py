"""SQLite Query/Queries: the database file in the working directory, sqliteFile in,
outputDbFile out, transactions and error messages."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from jdbc_support import run_task

from legato.sdk.run_context import TaskError

QUERY = "io.kestra.plugin.jdbc.sqlite.Query"
QUERIES = "io.kestra.plugin.jdbc.sqlite.Queries"
SETUP = (
    "create table t (id integer primary key, name text); insert into t values (1, 'a'), (2, 'b')"
)


def database_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "seed.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(SETUP)
    return path.read_bytes()


def test_queries_build_a_database_in_the_working_dir_and_upload_it(ctx: Any) -> None:
    out = run_task(
        ctx,
        {
            "type": QUERIES,
            "url": "jdbc:sqlite:shop.db",
            "sql": SETUP + "; select name from t where id = :id; select count(*) as n from t",
            "parameters": {"id": 2},
            "fetchType": "FETCH",
            "outputDbFile": True,
        },
    )
    assert out["outputs"] == [
        {"row": None, "rows": [{"name": "b"}], "size": 1},
        {"row": None, "rows": [{"n": 2}], "size": 1},
    ]
    assert out["databaseUri"].endswith("/shop.db")
    assert (ctx.working_dir() / "shop.db").exists()
    assert ctx.storage.files[out["databaseUri"]][:15] == b"SQLite format 3"


def test_sqlite_file_is_queried(ctx: Any, tmp_path: Path) -> None:
    uri = ctx.storage.put_bytes(database_bytes(tmp_path), "input.db")
    out = run_task(
        ctx,
        {
            "type": QUERY,
            "url": "jdbc:sqlite:data/my.db",
            "sqliteFile": uri,
            "sql": "select * from t order by id",
            "fetchType": "STORE",
        },
    )
    assert ctx.storage.files[out["uri"]] == b'{id:1,name:"a"}\n{id:2,name:"b"}\n'
    assert out["size"] == 2


def test_sqlite_file_needs_a_relative_url(ctx: Any) -> None:
    with pytest.raises(TaskError, match="sqliteFile needs a url naming a relative file"):
        run_task(
            ctx,
            {"type": QUERY, "url": "jdbc:sqlite::memory:", "sqliteFile": "x", "sql": "select 1"},
        )


def test_output_db_file_of_a_memory_database_is_refused(ctx: Any) -> None:
    with pytest.raises(TaskError, match="outputDbFile: the database ':memory:' is not a file"):
        run_task(
            ctx,
            {"type": QUERY, "url": "jdbc:sqlite::memory:", "sql": "select 1", "outputDbFile": True},
        )


def test_absolute_path_is_used_as_is(ctx: Any, tmp_path: Path) -> None:
    path = tmp_path / "abs.db"
    path.write_bytes(database_bytes(tmp_path))
    out = run_task(
        ctx,
        {"type": QUERY, "url": f"jdbc:sqlite:{path}", "sql": "select max(id) m from t",
         "fetchType": "FETCH_ONE"},
    )  # fmt: skip
    assert out == {"row": {"m": 2}, "size": 1}


def test_failing_statement_rolls_back_the_queries(ctx: Any) -> None:
    run_task(ctx, {"type": QUERIES, "url": "jdbc:sqlite:k.db", "sql": SETUP})
    with pytest.raises(TaskError) as info:
        run_task(
            ctx,
            {
                "type": QUERIES,
                "url": "jdbc:sqlite:k.db",
                "sql": "insert into t values (3, 'c'); insert into t values (1, 'dup')",
            },
        )
    assert str(info.value) == (
        "SQLite rejected the statement: UNIQUE constraint failed: t.id\n"
        "  in: insert into t values (1, 'dup')"
    )
    out = run_task(
        ctx,
        {"type": QUERY, "url": "jdbc:sqlite:k.db", "sql": "select count(*) n from t",
         "fetchType": "FETCH_ONE"},
    )  # fmt: skip
    assert out["row"] == {"n": 2}


def test_wrong_rendered_url_names_the_form(ctx: Any) -> None:
    ctx.variables["u"] = "sqlite:my.db"
    with pytest.raises(TaskError, match=r"expected the form jdbc:sqlite:path/to/file\.db"):
        run_task(ctx, {"type": QUERY, "url": "{{ u }}", "sql": "select 1"})


def test_blob_and_real_values(ctx: Any) -> None:
    out = run_task(
        ctx,
        {"type": QUERY, "url": "jdbc:sqlite::memory:", "fetchType": "FETCH_ONE",
         "sql": "select x'dead' as b, 1.5 as r, null as n, 'it''s' as s"},
    )  # fmt: skip
    assert out["row"] == {"b": "3q0=", "r": 1.5, "n": None, "s": "it's"}


def test_store_of_commands_and_of_an_empty_query(ctx: Any) -> None:
    out = run_task(
        ctx,
        {"type": QUERIES, "url": "jdbc:sqlite::memory:", "fetchType": "STORE",
         "sql": SETUP + "; select * from t where 0"},
    )  # fmt: skip
    assert [ctx.storage.files[entry["uri"]] for entry in out["outputs"]] == [b""]
    assert out["outputs"][0]["size"] == 0

"""PostgreSQL Query/Queries on the real server: outputs by fetch type, types, parameters,
transactions, afterSQL, time zones and error messages."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
from jdbc_support import PG_USER, run_task

from legato.expressions.filters.ion import from_ion
from legato.sdk.run_context import TaskError

QUERY = "io.kestra.plugin.jdbc.postgresql.Query"
QUERIES = "io.kestra.plugin.jdbc.postgresql.Queries"


@pytest.fixture
def table(pg: psycopg.Connection[tuple[Any, ...]]) -> str:
    """A fresh table ``(id int primary key, name text)`` with rows 1 'a', 2 'b', 3 'c'."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    pg.execute(f"create table {name} (id int primary key, name text)")
    pg.execute(f"insert into {name} values (1, 'a'), (2, 'b'), (3, 'c')")
    return name


def query(ctx: Any, pg_url: str, sql: str, **props: Any) -> dict[str, Any]:
    return run_task(ctx, {"type": QUERY, "url": pg_url, "username": PG_USER, "sql": sql, **props})


def queries(ctx: Any, pg_url: str, sql: str, **props: Any) -> dict[str, Any]:
    definition = {"type": QUERIES, "url": pg_url, "username": PG_USER, "sql": sql, **props}
    return run_task(ctx, definition)


def test_fetch_returns_rows_and_size(ctx: Any, pg_url: str, table: str) -> None:
    out = query(ctx, pg_url, f"select * from {table} order by id", fetchType="FETCH")
    assert out == {
        "row": None,
        "rows": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}],
        "size": 3,
    }
    assert ctx.metrics == [("fetch.size", 3, "counter")]


def test_fetch_one_returns_the_first_row_or_none(ctx: Any, pg_url: str, table: str) -> None:
    sql = f"select name from {table} order by id;"
    assert query(ctx, pg_url, sql, fetchType="FETCH_ONE") == {"row": {"name": "a"}, "size": 1}
    empty = query(ctx, pg_url, f"select * from {table} where id < 0", fetchType="FETCH_ONE")
    assert empty == {"row": None, "size": 0}


def test_none_returns_no_rows_and_runs_the_statement(
    ctx: Any, pg_url: str, table: str, pg: psycopg.Connection[tuple[Any, ...]]
) -> None:
    assert query(ctx, pg_url, f"delete from {table} where id = 1") == {"row": None}
    assert query(ctx, pg_url, f"select * from {table}") == {"row": None}
    assert pg.execute(f"select count(*) from {table}").fetchone() == (2,)


def test_store_streams_ion_rows_to_internal_storage(ctx: Any, pg_url: str) -> None:
    sql = "select g as n, 'r' || g as label from generate_series(1, 2500) g order by g"
    out = query(ctx, pg_url, sql, fetchType="STORE", fetchSize=100)
    assert out["size"] == 2500 and out["row"] is None
    text = ctx.storage.files[out["uri"]].decode()
    assert text.splitlines()[:2] == ['{n:1,label:"r1"}', '{n:2,label:"r2"}']
    assert len(from_ion(text)) == 2500
    assert list((ctx.working_dir()).glob("*.ion")) == []


def test_deprecated_flags_win_over_fetch_type(ctx: Any, pg_url: str, table: str) -> None:
    out = query(ctx, pg_url, f"select id from {table} order by id", fetchType="NONE", fetchOne=True)
    assert out == {"row": {"id": 1}, "size": 1}
    stored = query(ctx, pg_url, f"select id from {table}", fetchType="FETCH", store=True)
    assert "uri" in stored and stored["size"] == 3


def test_types_come_out_as_kestra_writes_them(ctx: Any, pg_url: str) -> None:
    sql = """
        select timestamptz '2024-01-02 03:04:05.5+00' as tz, timestamp '2024-01-02 03:04:05' as ts,
               date '2024-01-02' as d, time '10:30' as tm, 12.50::numeric as num, 3::bigint as big,
               1.5::float8 as dbl, true as flag, null::text as nothing, '{"a": [1, 2]}'::jsonb as j,
               array[1, 2] as arr, '12345678-1234-5678-1234-567812345678'::uuid as id,
               '\\xdead'::bytea as bin, interval '1 day 2 hours' as span, 'x'::text as txt
    """
    row = query(ctx, pg_url, sql, fetchType="FETCH_ONE")["row"]
    assert row == {
        "tz": "2024-01-02T03:04:05.5Z",
        "ts": "2024-01-02T03:04:05",
        "d": "2024-01-02",
        "tm": "10:30:00",
        "num": 12.5,
        "big": 3,
        "dbl": 1.5,
        "flag": True,
        "nothing": None,
        "j": {"a": [1, 2]},
        "arr": [1, 2],
        "id": "12345678-1234-5678-1234-567812345678",
        "bin": "3q0=",
        "span": "P0Y0M1DT2H0M0S",
        "txt": "x",
    }


def test_store_keeps_ion_types(ctx: Any, pg_url: str) -> None:
    sql = (
        "select 12.50::numeric as num, timestamptz '2024-01-02 03:04:05+00' as tz,"
        " '\\xdead'::bytea as b"
    )
    out = query(ctx, pg_url, sql, fetchType="STORE")
    assert ctx.storage.files[out["uri"]] == b"{num:12.50,tz:2024-01-02T03:04:05Z,b:{{3q0=}}}\n"


def test_time_zone_id_sets_the_zone_of_timestamps(ctx: Any, pg_url: str) -> None:
    sql = "select timestamptz '2024-01-02 03:04:05+00' as tz, current_setting('TimeZone') as zone"
    row = query(ctx, pg_url, sql, fetchType="FETCH_ONE", timeZoneId="Asia/Tokyo")["row"]
    assert row == {"tz": "2024-01-02T12:04:05+09:00", "zone": "Asia/Tokyo"}


def test_unknown_time_zone_id_is_named(ctx: Any, pg_url: str) -> None:
    with pytest.raises(TaskError, match="timeZoneId 'Moon/Base' is not a known time zone"):
        query(ctx, pg_url, "select 1", timeZoneId="Moon/Base")


def test_parameters_are_bound_not_pasted(ctx: Any, pg_url: str, table: str) -> None:
    sql = f"select id, name, :tricky::text as echo from {table} where id = :id and name <> ':id'"
    out = query(
        ctx, pg_url, sql, fetchType="FETCH", parameters={"id": 2, "tricky": "'); drop table x; --"}
    )
    assert out["rows"] == [{"id": 2, "name": "b", "echo": "'); drop table x; --"}]


def test_rendered_parameters_and_sql(ctx: Any, pg_url: str, table: str) -> None:
    ctx.variables["inputs"] = {"wanted": "c"}
    ctx.variables["table"] = table
    out = query(
        ctx,
        pg_url,
        "select id from {{ table }} where name = :name",
        fetchType="FETCH_ONE",
        parameters={"name": "{{ inputs.wanted }}"},
    )
    assert out["row"] == {"id": 3}


def test_missing_parameter_is_named(ctx: Any, pg_url: str) -> None:
    with pytest.raises(TaskError, match="parameters has no value for the placeholder ':nope'"):
        query(ctx, pg_url, "select :nope", parameters={"other": 1})


def test_query_refuses_several_statements(ctx: Any, pg_url: str) -> None:
    with pytest.raises(TaskError, match="sql has 2 statements; use the Queries task"):
        query(ctx, pg_url, "select 1; select 2")


def test_sql_error_shows_the_database_message_and_the_statement(ctx: Any, pg_url: str) -> None:
    with pytest.raises(TaskError) as info:
        query(ctx, pg_url, "SELECT *\n  FROM missing_table_xyz")
    assert str(info.value) == (
        'PostgreSQL rejected the statement: relation "missing_table_xyz" does not exist\n'
        "  in: SELECT * FROM missing_table_xyz"
    )


def test_queries_outputs_one_entry_per_statement_returning_rows(
    ctx: Any, pg_url: str, table: str
) -> None:
    sql = f"""
        insert into {table} values (4, 'd;e');
        select name from {table} where id = :id;
        update {table} set name = 'z' where id = 1;
        select count(*) as n from {table};
    """
    out = queries(ctx, pg_url, sql, fetchType="FETCH", parameters={"id": 4})
    assert out == {
        "outputs": [
            {"row": None, "rows": [{"name": "d;e"}], "size": 1},
            {"row": None, "rows": [{"n": 4}], "size": 1},
        ]
    }
    assert ctx.metrics == [("fetch.size", 2, "counter")]


def test_queries_roll_back_everything_when_one_fails(
    ctx: Any, pg_url: str, table: str, pg: psycopg.Connection[tuple[Any, ...]]
) -> None:
    sql = f"insert into {table} values (10, 'x'); insert into {table} values (1, 'dup')"
    with pytest.raises(TaskError, match="duplicate key value violates unique constraint") as info:
        queries(ctx, pg_url, sql)
    assert f"in: insert into {table} values (1, 'dup')" in str(info.value)
    assert pg.execute(f"select count(*) from {table}").fetchone() == (3,)


def test_queries_without_transaction_keep_what_ran(
    ctx: Any, pg_url: str, table: str, pg: psycopg.Connection[tuple[Any, ...]]
) -> None:
    sql = f"insert into {table} values (10, 'x'); insert into {table} values (1, 'dup')"
    with pytest.raises(TaskError):
        queries(ctx, pg_url, sql, transaction=False)
    assert pg.execute(f"select count(*) from {table}").fetchone() == (4,)


def test_queries_store_each_result(ctx: Any, pg_url: str) -> None:
    out = queries(ctx, pg_url, "select 1 as a; select 2 as b", fetchType="STORE")
    files = [ctx.storage.files[entry["uri"]] for entry in out["outputs"]]
    assert files == [b"{a:1}\n", b"{b:2}\n"]


def test_after_sql_commits_with_the_query(
    ctx: Any, pg_url: str, table: str, pg: psycopg.Connection[tuple[Any, ...]]
) -> None:
    out = query(
        ctx,
        pg_url,
        f"select id from {table} where name <> 'done' order by id",
        fetchType="FETCH",
        afterSQL=f"update {table} set name = 'done' where id <= :upto",
        parameters={"upto": 2},
    )
    assert out["rows"] == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert pg.execute(f"select id from {table} where name = 'done' order by id").fetchall() == [
        (1,),
        (2,),
    ]


def test_failing_after_sql_rolls_back_the_query(
    ctx: Any, pg_url: str, table: str, pg: psycopg.Connection[tuple[Any, ...]]
) -> None:
    with pytest.raises(TaskError, match="in: update nope_table"):
        query(
            ctx,
            pg_url,
            f"delete from {table} where id = 1",
            afterSQL="update nope_table set x = 1",
        )
    assert pg.execute(f"select count(*) from {table}").fetchone() == (3,)


def test_after_sql_takes_one_statement(ctx: Any, pg_url: str) -> None:
    with pytest.raises(TaskError, match="afterSQL runs exactly one SQL statement"):
        query(ctx, pg_url, "select 1", afterSQL="select 2; select 3")


def test_store_of_commands_and_of_an_empty_query(ctx: Any, pg_url: str) -> None:
    sql = (
        "create temp table s (a int); insert into s values (1);"
        " insert into s values (2) returning a; select * from s where false"
    )
    out = queries(ctx, pg_url, sql, fetchType="STORE", transaction=False)
    sizes = [entry["size"] for entry in out["outputs"]]
    files = [ctx.storage.files[entry["uri"]] for entry in out["outputs"]]
    assert (sizes, files) == ([1, 0], [b"{a:2}\n", b""])
    assert query(ctx, pg_url, "vacuum", fetchType="STORE") == {"row": None}


def test_a_failing_commit_is_reported(ctx: Any, pg_url: str) -> None:
    sql = """
        create temp table parent (id int primary key);
        create temp table child (p int references parent deferrable initially deferred);
        insert into child values (42)
    """
    with pytest.raises(TaskError) as info:
        queries(ctx, pg_url, sql)
    assert str(info.value).startswith(
        'PostgreSQL rejected the statement: insert or update on table "child" violates foreign key'
    )
    assert str(info.value).endswith("\n  in: COMMIT")


def test_a_run_killed_between_statements_rolls_back(
    ctx: Any, pg_url: str, table: str, pg: psycopg.Connection[tuple[Any, ...]]
) -> None:
    ctx.kill()
    with pytest.raises(TaskError, match="the task run was killed before all statements ran"):
        queries(ctx, pg_url, f"delete from {table}")
    assert pg.execute(f"select count(*) from {table}").fetchone() == (3,)

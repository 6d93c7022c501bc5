"""MySQL Query/Queries on the real server (MariaDB): outputs by fetch type, cell types,
parameters, transactions, afterSQL, time zones, LOAD DATA LOCAL of inputFile and errors."""

from __future__ import annotations

from typing import Any

import pymysql
import pytest
from jdbc_support import run_task
from mysql_support import MY_PASSWORD, MY_USER, one

from legato.expressions.filters.ion import from_ion
from legato.sdk.run_context import TaskError

QUERY = "io.kestra.plugin.jdbc.mysql.Query"
QUERIES = "io.kestra.plugin.jdbc.mysql.Queries"

Conn = pymysql.connections.Connection


@pytest.fixture
def table(my: Conn) -> str:
    """A fresh table ``t (id int primary key, name text)`` with rows 1 'a', 2 'b', 3 'c'."""
    with my.cursor() as cursor:
        cursor.execute("create table t (id int primary key, name text) engine=InnoDB")
        cursor.execute("insert into t values (1, 'a'), (2, 'b'), (3, 'c')")
    return "t"


def query(ctx: Any, my_url: str, sql: str, **props: Any) -> dict[str, Any]:
    definition = {
        "type": QUERY,
        "url": my_url,
        "username": MY_USER,
        "password": MY_PASSWORD,
        "sql": sql,
        **props,
    }
    return run_task(ctx, definition)


def queries(ctx: Any, my_url: str, sql: str, **props: Any) -> dict[str, Any]:
    return query(ctx, my_url, sql, type=QUERIES, **props)


def count(my: Conn, table: str) -> int:
    return int(one(my, f"select count(*) from {table}")[0])


def test_fetch_returns_rows_and_size(ctx: Any, my_url: str, table: str) -> None:
    out = query(ctx, my_url, f"select * from {table} order by id", fetchType="FETCH")
    assert out == {
        "row": None,
        "rows": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}],
        "size": 3,
    }
    assert ctx.metrics == [("fetch.size", 3, "counter")]


def test_fetch_one_returns_the_first_row_or_none(ctx: Any, my_url: str, table: str) -> None:
    sql = f"select name from {table} order by id;"
    assert query(ctx, my_url, sql, fetchType="FETCH_ONE") == {"row": {"name": "a"}, "size": 1}
    empty = query(ctx, my_url, f"select * from {table} where id < 0", fetchType="FETCH_ONE")
    assert empty == {"row": None, "size": 0}


def test_none_returns_no_rows_and_runs_the_statement(
    ctx: Any, my_url: str, table: str, my: Conn
) -> None:
    assert query(ctx, my_url, f"delete from {table} where id = 1") == {"row": None}
    assert query(ctx, my_url, f"select * from {table}") == {"row": None}
    assert count(my, table) == 2


def test_store_streams_ion_rows_to_internal_storage(ctx: Any, my_url: str) -> None:
    sql = "select seq as n, concat('r', seq) as label from seq_1_to_2500 order by seq"
    out = query(ctx, my_url, sql, fetchType="STORE", fetchSize=100)
    assert out["size"] == 2500 and out["row"] is None
    text = ctx.storage.files[out["uri"]].decode()
    assert text.splitlines()[:2] == ['{n:1,label:"r1"}', '{n:2,label:"r2"}']
    assert len(from_ion(text)) == 2500
    assert list(ctx.working_dir().glob("*.ion")) == []


def test_deprecated_flags_win_over_fetch_type(ctx: Any, my_url: str, table: str) -> None:
    out = query(ctx, my_url, f"select id from {table} order by id", fetchType="NONE", fetchOne=True)
    assert out == {"row": {"id": 1}, "size": 1}
    stored = query(ctx, my_url, f"select id from {table}", fetchType="FETCH", store=True)
    assert "uri" in stored and stored["size"] == 3


def test_types_come_out_as_kestra_writes_them(ctx: Any, my_url: str, my: Conn) -> None:
    with my.cursor() as cursor:
        cursor.execute(
            "create table types (ts timestamp(6) null, dt datetime(3), d date, tm time,"
            " neg time, yr year, num decimal(6, 2), whole decimal(6, 2), big bigint, dbl double,"
            " flag tinyint(1), small tinyint, bit1 bit(1), bits bit(6), j json, bin blob,"
            " txt varchar(10), e enum('x', 'y'), nothing int)"
        )
        cursor.execute(
            "insert into types values ('2024-01-02 03:04:05.5', '2050-12-31 22:59:57.15',"
            " '2030-12-25', '04:05:30', '-01:02:03', 2025, 12.50, 3, -9223372036854775808, 1.5,"
            " true, 7, b'1', b'000101', '{\"color\": \"red\"}', x'deadbeef', 'x', 'y', null)"
        )
    row = query(ctx, my_url, "select * from types", fetchType="FETCH_ONE")["row"]
    assert row == {
        "ts": "2024-01-02T03:04:05.5Z",
        "dt": "2050-12-31T22:59:57.15",
        "d": "2030-12-25",
        "tm": "04:05:30",
        "neg": "-01:02:03",
        "yr": "2025-01-01",
        "num": 12.5,
        "whole": 3,
        "big": -9223372036854775808,
        "dbl": 1.5,
        "flag": True,
        "small": 7,
        "bit1": True,
        "bits": "BQ==",
        "j": '{"color": "red"}',
        "bin": "3q2+7w==",
        "txt": "x",
        "e": "y",
        "nothing": None,
    }


def test_store_keeps_ion_types(ctx: Any, my_url: str) -> None:
    sql = (
        "select cast(12.50 as decimal(6, 2)) as num, cast('2024-01-02' as date) as d,"
        " x'dead' as b, 1 > 0 as cmp"
    )
    out = query(ctx, my_url, sql, fetchType="STORE")
    assert ctx.storage.files[out["uri"]] == b"{num:12.50,d:2024-01-02,b:{{3q0=}},cmp:1}\n"


def test_time_zone_id_shows_timestamps_in_that_zone(ctx: Any, my_url: str, my: Conn) -> None:
    with my.cursor() as cursor:  # the admin session is UTC
        cursor.execute("create table z (ts timestamp null, dt datetime)")
        cursor.execute("insert into z values ('2024-01-02 03:04:05', '2024-01-02 03:04:05')")
    sql = "select ts, dt, @@session.time_zone as zone from z"
    row = query(ctx, my_url, sql, fetchType="FETCH_ONE", timeZoneId="Asia/Tokyo")["row"]
    assert row == {"ts": "2024-01-02T12:04:05+09:00", "dt": "2024-01-02T03:04:05", "zone": "+09:00"}
    utc = query(ctx, my_url, sql, fetchType="FETCH_ONE")["row"]
    assert utc == {"ts": "2024-01-02T03:04:05Z", "dt": "2024-01-02T03:04:05", "zone": "+00:00"}


def test_unknown_time_zone_id_is_named(ctx: Any, my_url: str) -> None:
    with pytest.raises(TaskError, match="timeZoneId 'Moon/Base' is not a known time zone"):
        query(ctx, my_url, "select 1", timeZoneId="Moon/Base")


def test_parameters_are_bound_not_pasted(ctx: Any, my_url: str, table: str) -> None:
    sql = (
        f"select id, name, :tricky as echo, '100%' as pct from {table}"
        " where id = :id and name <> ':id'"
    )
    out = query(
        ctx, my_url, sql, fetchType="FETCH", parameters={"id": 2, "tricky": "'); drop table x; --"}
    )
    assert out["rows"] == [{"id": 2, "name": "b", "echo": "'); drop table x; --", "pct": "100%"}]


def test_rendered_parameters_and_sql(ctx: Any, my_url: str, table: str) -> None:
    ctx.variables["inputs"] = {"wanted": "c"}
    ctx.variables["table"] = table
    out = query(
        ctx,
        my_url,
        "select id from {{ table }} where name = :name",
        fetchType="FETCH_ONE",
        parameters={"name": "{{ inputs.wanted }}"},
    )
    assert out["row"] == {"id": 3}


def test_missing_parameter_is_named(ctx: Any, my_url: str) -> None:
    with pytest.raises(TaskError, match="parameters has no value for the placeholder ':nope'"):
        query(ctx, my_url, "select :nope", parameters={"other": 1})


def test_query_refuses_several_statements(ctx: Any, my_url: str) -> None:
    with pytest.raises(TaskError, match="sql has 2 statements; use the Queries task"):
        query(ctx, my_url, "select 1; select 2")


def test_sql_error_shows_the_database_message_and_the_statement(
    ctx: Any, my_url: str, my_database: str
) -> None:
    with pytest.raises(TaskError) as info:
        query(ctx, my_url, "SELECT *\n  FROM missing_table_xyz")
    assert str(info.value) == (
        f"MySQL rejected the statement: Table '{my_database}.missing_table_xyz' doesn't exist\n"
        "  in: SELECT * FROM missing_table_xyz"
    )


def test_refused_connection_names_host_and_port(ctx: Any) -> None:
    with pytest.raises(TaskError) as info:
        query(ctx, "jdbc:mysql://127.0.0.1:1/test", "select 1")
    message = str(info.value)
    assert message.startswith("Cannot connect to MySQL at 127.0.0.1:1 (database test): ")
    assert message.endswith("Check the task's url (host, port, database), username and password.")


def test_rendered_url_of_the_wrong_form_is_named(ctx: Any) -> None:
    with pytest.raises(TaskError, match="url: 'jdbc:postgresql://h/db' is not a MySQL JDBC URL"):
        query(ctx, "{{ 'jdbc:postgresql://h/db' }}", "select 1")


def test_a_mariadb_url_reaches_the_server(ctx: Any, my_url: str) -> None:
    url = my_url.replace("jdbc:mysql:", "jdbc:mariadb:")
    row = query(ctx, url, "select database() is not null as here", fetchType="FETCH_ONE")["row"]
    assert row == {"here": 1}


def test_credentials_come_from_the_url_when_not_given(ctx: Any, my_url: str) -> None:
    definition = {
        "type": QUERY,
        "url": f"{my_url}?user={MY_USER}&password={MY_PASSWORD}&connectTimeout=5000",
        "sql": "select substring_index(current_user(), '@', 1) as who",
        "fetchType": "FETCH_ONE",
    }
    assert run_task(ctx, definition)["row"] == {"who": MY_USER}


def test_queries_outputs_one_entry_per_statement_returning_rows(
    ctx: Any, my_url: str, table: str
) -> None:
    sql = f"""
        insert into {table} values (4, 'd;e');
        select name from {table} where id = :id;
        update {table} set name = 'z' where id = 1;
        select count(*) as n from {table};
    """
    out = queries(ctx, my_url, sql, fetchType="FETCH", parameters={"id": 4})
    assert out == {
        "outputs": [
            {"row": None, "rows": [{"name": "d;e"}], "size": 1},
            {"row": None, "rows": [{"n": 4}], "size": 1},
        ]
    }
    assert ctx.metrics == [("fetch.size", 2, "counter")]


def test_queries_roll_back_everything_when_one_fails(
    ctx: Any, my_url: str, table: str, my: Conn
) -> None:
    sql = f"insert into {table} values (10, 'x'); insert into {table} values (1, 'dup')"
    with pytest.raises(TaskError) as info:
        queries(ctx, my_url, sql)
    assert str(info.value) == (
        "MySQL rejected the statement: Duplicate entry '1' for key 'PRIMARY'\n"
        f"  in: insert into {table} values (1, 'dup')"
    )
    assert count(my, table) == 3


def test_queries_without_transaction_keep_what_ran(
    ctx: Any, my_url: str, table: str, my: Conn
) -> None:
    sql = f"insert into {table} values (10, 'x'); insert into {table} values (1, 'dup')"
    with pytest.raises(TaskError):
        queries(ctx, my_url, sql, transaction=False)
    assert count(my, table) == 4


def test_queries_store_each_result(ctx: Any, my_url: str) -> None:
    out = queries(ctx, my_url, "select 1 as a; select 2 as b", fetchType="STORE")
    files = [ctx.storage.files[entry["uri"]] for entry in out["outputs"]]
    assert files == [b"{a:1}\n", b"{b:2}\n"]


def test_after_sql_commits_with_the_query(ctx: Any, my_url: str, table: str, my: Conn) -> None:
    out = query(
        ctx,
        my_url,
        f"select id from {table} where name <> 'done' order by id",
        fetchType="FETCH",
        afterSQL=f"update {table} set name = 'done' where id <= :upto",
        parameters={"upto": 2},
    )
    assert out["rows"] == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert one(my, f"select group_concat(id order by id) from {table} where name = 'done'") == (
        "1,2",
    )


def test_failing_after_sql_rolls_back_the_query(
    ctx: Any, my_url: str, table: str, my: Conn
) -> None:
    with pytest.raises(TaskError, match="in: update nope_table"):
        query(
            ctx, my_url, f"delete from {table} where id = 1", afterSQL="update nope_table set x=1"
        )
    assert count(my, table) == 3


def test_a_run_killed_between_statements_rolls_back(
    ctx: Any, my_url: str, table: str, my: Conn
) -> None:
    ctx.kill()
    with pytest.raises(TaskError, match="the task run was killed before all statements ran"):
        queries(ctx, my_url, f"delete from {table}")
    assert count(my, table) == 3


def test_input_file_is_loaded_with_load_data_local(
    ctx: Any, my_url: str, table: str, my: Conn
) -> None:
    uri = ctx.storage.put_bytes(b'id,name\n7,seven\n8,"eight, 8"\n', "discounts.csv")
    sql = f"""
        LOAD DATA LOCAL INFILE '{{{{ inputFile }}}}' INTO TABLE {table}
        FIELDS TERMINATED BY ',' ENCLOSED BY '"' LINES TERMINATED BY '\\n' IGNORE 1 ROWS
    """
    assert query(ctx, my_url, sql, inputFile=uri) == {"row": None}
    rows = query(ctx, my_url, f"select * from {table} where id > 6 order by id", fetchType="FETCH")
    assert rows["rows"] == [{"id": 7, "name": "seven"}, {"id": 8, "name": "eight, 8"}]
    assert count(my, table) == 5


def test_queries_load_inline_input_file_content(ctx: Any, my_url: str, table: str) -> None:
    sql = f"""
        LOAD DATA LOCAL INFILE '{{{{ inputFile }}}}' INTO TABLE {table} FIELDS TERMINATED BY ',';
        SELECT count(*) AS n FROM {table};
    """
    out = queries(ctx, my_url, sql, inputFile="9,nine\n10,ten\n", fetchType="FETCH_ONE")
    assert out == {"outputs": [{"row": {"n": 5}, "size": 1}]}


def test_load_data_local_reads_only_the_working_directory(ctx: Any, my_url: str) -> None:
    sql = "LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t"
    with pytest.raises(TaskError, match="reads files of the task's working directory only"):
        query(ctx, my_url, sql)

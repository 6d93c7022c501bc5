"""CopyIn and CopyOut against the real local PostgreSQL (session database from conftest)."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest
from jdbc_support import PG_HOST, PG_PORT, PG_USER
from pydantic import TypeAdapter

from legato.model.plugin import ParseContext
from legato.model.registry import PluginRegistry
from legato.plugins.jdbc import copy_stream, postgres_copy
from legato.sdk import AnyTask, Task
from legato.sdk.run_context import TaskError

REGISTRY = PluginRegistry(postgres_copy.PLUGINS)
_TASK: TypeAdapter[Task] = TypeAdapter(AnyTask)
COPY_IN = "io.kestra.plugin.jdbc.postgresql.CopyIn"
COPY_OUT = "io.kestra.plugin.jdbc.postgresql.CopyOut"
Pg = psycopg.Connection[tuple[Any, ...]]

TRIPS_CSV = b'VendorID,fare_amount,store_and_fwd_flag\n1,12.5,N\n2,7.25,"Y"\n1,,N\n'


def run(ctx: Any, pg_url: str, definition: dict[str, Any]) -> Any:
    task = _TASK.validate_python(
        {"id": "t", "url": pg_url, "username": "postgres", **definition},
        context=ParseContext(REGISTRY),
    )
    return task.run(ctx)  # type: ignore[attr-defined]


@pytest.fixture
def trips(pg: Pg, request: pytest.FixtureRequest) -> str:
    """An empty table with a mixed-case column name (unquoted, so it folds to lower case)."""
    name = f"trips_{request.node.name[:40].lower()}"
    pg.execute(f"DROP TABLE IF EXISTS {name}")
    pg.execute(f"CREATE TABLE {name} (VendorID int, fare_amount numeric, store_and_fwd_flag text)")
    return name


def test_copy_in_loads_a_csv_file_with_unquoted_mixed_case_columns(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    uri = ctx.storage.put_bytes(TRIPS_CSV, "trips.csv")
    outputs = run(
        ctx,
        pg_url,
        {
            "type": COPY_IN,
            "from": uri,
            "table": trips,
            "format": "CSV",
            "header": True,
            "columns": ["VendorID", "fare_amount", "store_and_fwd_flag"],
        },
    )
    assert outputs == {"rowCount": 3}
    rows = pg.execute(f"SELECT vendorid, fare_amount, store_and_fwd_flag FROM {trips}").fetchall()
    assert [(r[0], None if r[1] is None else str(r[1]), r[2]) for r in rows] == [
        (1, "12.5", "N"),
        (2, "7.25", "Y"),
        (1, None, "N"),
    ]
    assert ("rows", 3, "counter") in ctx.metrics
    statement = (
        f"COPY {trips} (VendorID, fare_amount, store_and_fwd_flag) FROM STDIN "
        "WITH (FORMAT CSV, HEADER TRUE)"
    )
    assert ("DEBUG", f"Starting query: {statement}") in ctx.logger.lines


def test_copy_in_renders_expressions_and_reads_text_format_with_a_null_string(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    ctx.variables["target"] = trips
    ctx.variables["source"] = ctx.storage.put_bytes(b"3|1.5|NA\n4|NA|Y\n", "trips.txt")
    outputs = run(
        ctx,
        pg_url,
        {
            "type": COPY_IN,
            "from": "{{ source }}",
            "table": "{{ target }}",
            "delimiter": "|",
            "nullString": "NA",
        },
    )
    assert outputs == {"rowCount": 2}
    rows = pg.execute(f"SELECT vendorid, store_and_fwd_flag FROM {trips} ORDER BY 1").fetchall()
    assert rows == [(3, None), (4, "Y")]


def test_copy_in_streams_blocks_whose_boundaries_split_rows(
    ctx: Any, pg_url: str, pg: Pg, trips: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copy_stream, "CHUNK_SIZE", 7)
    lines = b"".join(f"{i},{i}.5,N\n".encode() for i in range(500))
    uri = ctx.storage.put_bytes(lines, "many.csv")
    outputs = run(ctx, pg_url, {"type": COPY_IN, "from": uri, "table": trips, "format": "CSV"})
    assert outputs == {"rowCount": 500}
    assert pg.execute(f"SELECT sum(vendorid), count(*) FROM {trips}").fetchone() == (124750, 500)


def test_a_quote_character_option_is_quoted_as_a_literal(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    uri = ctx.storage.put_bytes(b"5;'3.5';'it''s'\n", "quoted.csv")
    definition = {"format": "CSV", "delimiter": ";", "quote": "'", "table": trips}
    run(ctx, pg_url, {"type": COPY_IN, "from": uri, **definition})
    assert pg.execute(f"SELECT store_and_fwd_flag FROM {trips}").fetchone() == ("it's",)


def test_copy_out_of_a_query_writes_a_csv_file_with_a_header(ctx: Any, pg_url: str) -> None:
    outputs = run(
        ctx,
        pg_url,
        {
            "type": COPY_OUT,
            "sql": "SELECT 1 AS int, 't'::bool AS bool UNION SELECT 2, 'f' ORDER BY 1",
            "format": "CSV",
            "header": True,
        },
    )
    assert outputs["rowCount"] == 2
    assert outputs["uri"].startswith("kestra:///") and outputs["uri"].endswith(".csv")
    assert ctx.storage.get_bytes(outputs["uri"]) == b"int,bool\n1,t\n2,f\n"
    assert ("rows", 2, "counter") in ctx.metrics


def test_copy_out_of_a_table_with_columns_in_text_format(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    pg.execute(f"INSERT INTO {trips} VALUES (1, 2.5, NULL), (2, 3, 'Y')")
    outputs = run(
        ctx,
        pg_url,
        {"type": COPY_OUT, "table": trips, "columns": ["VendorID", "store_and_fwd_flag"]},
    )
    assert outputs["rowCount"] == 2
    assert ctx.storage.get_bytes(outputs["uri"]) == b"1\t\\N\n2\tY\n"


def test_binary_format_round_trips_through_copy_out_and_copy_in(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    pg.execute(f"INSERT INTO {trips} VALUES (7, 1.25, 'é'), (8, NULL, 'x')")
    pg.execute(f"CREATE TABLE {trips}_copy (LIKE {trips})")
    exported = run(ctx, pg_url, {"type": COPY_OUT, "table": trips, "format": "BINARY"})
    assert ctx.storage.get_bytes(exported["uri"]).startswith(b"PGCOPY\n\xff\r\n\x00")
    loaded = run(
        ctx,
        pg_url,
        {"type": COPY_IN, "from": exported["uri"], "table": f"{trips}_copy", "format": "BINARY"},
    )
    assert loaded == {"rowCount": 2}
    query = "SELECT vendorid, fare_amount::text, store_and_fwd_flag FROM {} ORDER BY 1"
    assert pg.execute(query.format(f"{trips}_copy")).fetchall() == (
        pg.execute(query.format(trips)).fetchall()
    )


def test_a_missing_table_fails_with_the_server_message_and_the_statement(
    ctx: Any, pg_url: str
) -> None:
    uri = ctx.storage.put_bytes(TRIPS_CSV, "trips.csv")
    with pytest.raises(TaskError) as failure:
        run(ctx, pg_url, {"type": COPY_IN, "from": uri, "table": "no_such_table", "format": "CSV"})
    assert str(failure.value) == (
        'PostgreSQL rejected the COPY: relation "no_such_table" does not exist\n'
        "  in: COPY no_such_table FROM STDIN WITH (FORMAT CSV)"
    )


def test_a_row_with_too_many_columns_names_its_line_and_loads_nothing(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    uri = ctx.storage.put_bytes(b"1,2.5,N\n2,3.5,Y,extra\n", "bad.csv")
    with pytest.raises(TaskError) as failure:
        run(ctx, pg_url, {"type": COPY_IN, "from": uri, "table": trips, "format": "CSV"})
    message = str(failure.value)
    assert message.startswith("PostgreSQL rejected the COPY: extra data after last expected column")
    assert f'  CONTEXT: COPY {trips}, line 2: "2,3.5,Y,extra"' in message
    assert message.endswith(f"  in: COPY {trips} FROM STDIN WITH (FORMAT CSV)")
    assert pg.execute(f"SELECT count(*) FROM {trips}").fetchone() == (0,)


def test_a_missing_column_fails_naming_it(ctx: Any, pg_url: str, trips: str) -> None:
    uri = ctx.storage.put_bytes(b"1\n", "one.csv")
    definition = {"table": trips, "format": "CSV", "columns": ["VendorID", "tip_amount"]}
    with pytest.raises(TaskError, match=r'column "tip_amount" of relation .* does not exist'):
        run(ctx, pg_url, {"type": COPY_IN, "from": uri, **definition})


def test_a_header_line_read_as_data_fails_on_line_one(ctx: Any, pg_url: str, trips: str) -> None:
    uri = ctx.storage.put_bytes(TRIPS_CSV, "trips.csv")
    with pytest.raises(TaskError) as failure:
        run(ctx, pg_url, {"type": COPY_IN, "from": uri, "table": trips, "format": "CSV"})
    message = str(failure.value)
    assert 'invalid input syntax for type integer: "VendorID"' in message
    assert f"CONTEXT: COPY {trips}, line 1, column vendorid" in message


def test_header_true_skips_the_first_line_whatever_it_holds(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    uri = ctx.storage.put_bytes(b"9,9,first\n1,2,N\n", "noheader.csv")
    definition = {"table": trips, "format": "CSV", "header": True}
    assert run(ctx, pg_url, {"type": COPY_IN, "from": uri, **definition}) == {"rowCount": 1}
    assert pg.execute(f"SELECT vendorid FROM {trips}").fetchall() == [(1,)]


def test_copy_in_without_a_table_says_to_set_it(ctx: Any, pg_url: str) -> None:
    uri = ctx.storage.put_bytes(TRIPS_CSV, "trips.csv")
    with pytest.raises(TaskError, match="CopyIn needs a target: set 'table'") as failure:
        run(ctx, pg_url, {"type": COPY_IN, "from": uri})
    assert failure.value.retryable is False


def test_copy_out_needs_sql_or_a_table(ctx: Any, pg_url: str) -> None:
    with pytest.raises(TaskError, match=r"CopyOut \(without 'sql'\) needs a target"):
        run(ctx, pg_url, {"type": COPY_OUT})


def test_an_unknown_source_file_fails_naming_it(ctx: Any, pg_url: str, trips: str) -> None:
    with pytest.raises(TaskError, match=r"missing\.csv"):
        run(ctx, pg_url, {"type": COPY_IN, "from": "kestra:///nowhere/missing.csv", "table": trips})


def test_a_killed_copy_in_stops_and_loads_nothing(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    uri = ctx.storage.put_bytes(TRIPS_CSV, "trips.csv")
    ctx.killed = True
    with pytest.raises(TaskError, match="the task run was killed"):
        run(ctx, pg_url, {"type": COPY_IN, "from": uri, "table": trips, "format": "CSV"})
    assert pg.execute(f"SELECT count(*) FROM {trips}").fetchone() == (0,)


def test_a_killed_copy_out_stops(ctx: Any, pg_url: str) -> None:
    ctx.killed = True
    with pytest.raises(TaskError, match="the task run was killed"):
        run(ctx, pg_url, {"type": COPY_OUT, "sql": "SELECT generate_series(1, 100000)"})


def test_socket_timeout_is_accepted_with_a_warning(ctx: Any, pg_url: str, trips: str) -> None:
    run(ctx, pg_url, {"type": COPY_OUT, "table": trips, "socketTimeout": 30})
    assert any(level == "WARN" and "socketTimeout" in text for level, text in ctx.logger.lines)


def test_the_file_encoding_is_decoded_by_the_server(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    uri = ctx.storage.put_bytes("1,1,café\n".encode("latin-1"), "latin1.csv")
    definition = {"table": trips, "format": "CSV", "encoding": "LATIN1"}
    run(ctx, pg_url, {"type": COPY_IN, "from": uri, **definition})
    assert pg.execute(f"SELECT store_and_fwd_flag FROM {trips}").fetchone() == ("café",)


def test_force_null_and_force_not_null_decide_what_an_empty_value_is(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    pg.execute(f"ALTER TABLE {trips} ADD COLUMN note text")
    uri = ctx.storage.put_bytes(b'1,1,"",\n', "empty.csv")
    definition = {
        "table": trips,
        "format": "CSV",
        "forceNull": ["store_and_fwd_flag"],
        "forceNotNull": ["note"],
    }
    run(ctx, pg_url, {"type": COPY_IN, "from": uri, **definition})
    assert pg.execute(f"SELECT store_and_fwd_flag, note FROM {trips}").fetchone() == (None, "")


def test_force_quote_star_quotes_every_non_null_value(
    ctx: Any, pg_url: str, pg: Pg, trips: str
) -> None:
    pg.execute(f"INSERT INTO {trips} VALUES (1, NULL, 'N')")
    definition = {"table": trips, "format": "CSV", "forceQuote": ["*"]}
    outputs = run(ctx, pg_url, {"type": COPY_OUT, **definition})
    assert ctx.storage.get_bytes(outputs["uri"]) == b'"1",,"N"\n'


def test_a_kill_cancels_a_copy_waiting_on_a_lock(
    ctx: Any, pg_url: str, pg: Pg, trips: str, pg_database: str
) -> None:
    uri = ctx.storage.put_bytes(TRIPS_CSV, "trips.csv")
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=pg_database) as holder:
        holder.execute(f"LOCK TABLE {trips} IN ACCESS EXCLUSIVE MODE")
        threading.Timer(0.5, ctx.kill).start()
        started = time.monotonic()
        with pytest.raises(TaskError, match="the task run was killed"):
            run(ctx, pg_url, {"type": COPY_IN, "from": uri, "table": trips, "format": "CSV"})
        assert time.monotonic() - started < 10
        holder.rollback()
    assert pg.execute(f"SELECT count(*) FROM {trips}").fetchone() == (0,)

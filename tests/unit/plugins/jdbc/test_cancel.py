"""A kill of the task run cancels the running statement, on each database."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from jdbc_support import PG_USER, run_task
from mysql_support import MY_PASSWORD, MY_USER, my_admin, one

from legato.plugins.jdbc.cancel import cancelled_on_kill
from legato.sdk.run_context import TaskError


def killed_run_fails(ctx: Any, definition: dict[str, Any], message: str) -> float:
    """Run ``definition`` and kill the task run half a second in: the run must fail with
    ``message`` (a regex). Returns the seconds the run took."""
    threading.Timer(0.5, ctx.kill).start()
    started = time.monotonic()
    with pytest.raises(TaskError, match=message):
        run_task(ctx, definition)
    return time.monotonic() - started


def test_a_killed_postgres_statement_is_cancelled(ctx: Any, pg_url: str) -> None:
    definition = {
        "type": "io.kestra.plugin.jdbc.postgresql.Query",
        "url": pg_url,
        "username": PG_USER,
        "sql": "select pg_sleep(30)",
    }
    assert killed_run_fails(ctx, definition, "canceling statement due to user request") < 10


def test_a_killed_mysql_statement_is_killed_on_the_server(ctx: Any, my_url: str) -> None:
    definition = {
        "type": "io.kestra.plugin.jdbc.mysql.Query",
        "url": my_url,
        "username": MY_USER,
        "password": MY_PASSWORD,
        "sql": "select sleep(30) as slept, 'legato-cancel-probe' as probe",
    }
    interrupted = "MySQL rejected the statement: Query execution was interrupted"
    assert killed_run_fails(ctx, definition, interrupted) < 10
    with my_admin() as server:
        running = one(
            server,
            "select count(*) from information_schema.processlist"
            " where info like '%legato-cancel-probe%' and info not like '%processlist%'",
        )
    assert running == (0,)


def test_a_killed_duckdb_statement_is_interrupted(ctx: Any) -> None:
    definition = {
        "type": "io.kestra.plugin.jdbc.duckdb.Query",
        "url": "jdbc:duckdb::memory:",
        "sql": "select count(*) from range(100000000000) a",
    }
    interrupted = "DuckDB rejected the statement: INTERRUPT Error"
    assert killed_run_fails(ctx, definition, interrupted) < 10


def test_a_killed_sqlite_statement_is_interrupted(ctx: Any) -> None:
    endless = (
        "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"
    )
    definition = {
        "type": "io.kestra.plugin.jdbc.sqlite.Query",
        "url": "jdbc:sqlite::memory:",
        "sql": endless,
    }
    killed_run_fails(ctx, definition, "SQLite rejected the statement: interrupted")


def test_cancel_is_not_called_after_the_block(ctx: Any) -> None:
    calls: list[str] = []
    with cancelled_on_kill(ctx, lambda: calls.append("cancel")):
        pass
    ctx.kill()
    time.sleep(0.4)
    assert calls == []


def test_a_failing_cancel_is_ignored(ctx: Any) -> None:
    calls: list[str] = []

    def broken() -> None:
        calls.append("tried")
        raise RuntimeError("already closed")

    with cancelled_on_kill(ctx, broken):  # an escaping error would fail the test (thread hook)
        ctx.kill()
        time.sleep(0.4)
    assert calls == ["tried"]

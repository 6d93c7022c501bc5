"""Database plain writes on SQLite: inline when the lock is free, on the database thread when
another connection holds it; committed whole or rolled back."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from legato.store.sql.database import Database, configure_sqlite


def _database(path: Path) -> Database:
    engine = sa.create_engine(f"sqlite+pysqlite:///{path}", pool_size=2, max_overflow=2)
    configure_sqlite(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    return Database(engine, threads=1)


def _names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM t ORDER BY id")]


def _add(name: str) -> Any:
    def work(db: Any) -> str:
        db.execute("INSERT INTO t (name) VALUES (?)", (name,))
        return threading.current_thread().name

    return work


def test_plain_write_runs_inline_and_commits(tmp_path: Path) -> None:
    db = _database(tmp_path / "x.db")

    async def scenario() -> str:
        try:
            return await db.write_plain(_add("a"))
        finally:
            await db.dispose()

    assert asyncio.run(scenario()) == threading.current_thread().name
    assert _names(tmp_path / "x.db") == ["a"]


def test_plain_write_rolls_back_when_work_raises(tmp_path: Path) -> None:
    db = _database(tmp_path / "x.db")

    def failing(conn: Any) -> None:
        conn.execute("INSERT INTO t (name) VALUES ('lost')")
        raise RuntimeError("boom")

    async def scenario() -> None:
        try:
            with pytest.raises(RuntimeError, match="boom"):
                await db.write_plain(failing)
            await db.write_plain(_add("kept"))
        finally:
            await db.dispose()

    asyncio.run(scenario())
    assert _names(tmp_path / "x.db") == ["kept"]


def test_plain_write_waits_on_the_database_thread_when_locked(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    db = _database(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    async def scenario() -> str:
        try:
            await db.write_plain(_add("first"))  # the inline connection exists from here
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO t (name) VALUES ('other')")
            asyncio.get_running_loop().call_later(0.2, other.execute, "COMMIT")
            return await db.write_plain(_add("after"))
        finally:
            await db.dispose()

    thread = asyncio.run(scenario())
    other.close()
    assert thread != threading.current_thread().name  # not inline: the lock was taken
    assert _names(path) == ["first", "other", "after"]


def test_plain_write_from_another_thread_uses_the_database_thread(tmp_path: Path) -> None:
    db = _database(tmp_path / "x.db")

    async def scenario() -> str:
        try:
            await db.write_plain(_add("owner"))
            return await asyncio.to_thread(asyncio.run, db.write_plain(_add("elsewhere")))
        finally:
            await db.dispose()

    thread = asyncio.run(scenario())
    assert thread.startswith("legato-sqlite")
    assert _names(tmp_path / "x.db") == ["owner", "elsewhere"]


def test_probe_finding_nothing_returns_the_default(tmp_path: Path) -> None:
    db = _database(tmp_path / "x.db")
    probe = ("SELECT 1 FROM t WHERE name = ?", ("z",))

    async def scenario() -> tuple[str, str]:
        try:
            skipped = await db.write_plain_when(probe, _add("never"), "skipped")
            await db.write_plain(_add("z"))
            written = await db.write_plain_when(probe, _add("second"), "skipped")
            return skipped, written
        finally:
            await db.dispose()

    skipped, written = asyncio.run(scenario())
    assert skipped == "skipped"
    assert written != "skipped"
    assert _names(tmp_path / "x.db") == ["z", "second"]


def test_plain_reads_see_committed_rows_on_the_loop_and_from_other_threads(
    tmp_path: Path,
) -> None:
    db = _database(tmp_path / "x.db")
    query = ("SELECT name FROM t WHERE name <> ? ORDER BY id", ("skip",))

    async def scenario() -> tuple[list[Any], list[Any], list[Any]]:
        try:
            before = await db.read_plain(query)  # the loop's thread: owns the inline connection
            await db.write_plain(_add("a"))
            await db.write_plain(_add("skip"))
            on_loop = await db.read_plain(query)
            elsewhere = await asyncio.to_thread(asyncio.run, db.read_plain(query))
            return before, on_loop, elsewhere
        finally:
            await db.dispose()

    before, on_loop, elsewhere = asyncio.run(scenario())
    assert before == []
    assert on_loop == elsewhere == [("a",)]

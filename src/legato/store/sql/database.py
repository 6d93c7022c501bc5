"""One SQL database: a synchronous SQLAlchemy engine driven from asyncio through threads.

Why threads rather than async drivers: a repository operation runs several statements, and an
async driver pays an event-loop round trip per statement (measured: ~6 ms per task on SQLite
with aiosqlite). Here a whole operation (``work(conn)``) runs in one hop to a database thread.

Invariants: every write runs in ``write(work)``, one transaction committed when ``work``
returns and rolled back when it raises. SQLite gets one database thread per ``Database`` (so
writers of one process queue without spinning on the busy timeout), writes begin with ``BEGIN
IMMEDIATE`` (the write lock is taken up front: two writers never deadlock on a lock upgrade),
the journal is WAL with ``synchronous=NORMAL``. PostgreSQL gets one thread per pooled
connection; transactions are READ COMMITTED. A caller cancelled while its work runs does not
stop the work: the transaction still commits or rolls back as a whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

T = TypeVar("T")
WRITE_OPTION = "legato_write"


class Database:
    """A synchronous engine whose operations run on dedicated threads."""

    def __init__(self, engine: sa.Engine, threads: int) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._threads = ThreadPoolExecutor(threads, thread_name_prefix=f"legato-{self.dialect}")

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    async def write(self, work: Callable[[sa.Connection], T]) -> T:
        """``work`` inside one write transaction, committed when it returns."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._write, work)

    async def write_when(
        self, check: Callable[[sa.Connection], bool], work: Callable[[sa.Connection], T], default: T
    ) -> T:
        """``write(work)`` when ``check`` (run first, in a read transaction) finds something to
        do, else ``default``: idle polls then never take SQLite's write lock. On PostgreSQL the
        check would only add round trips, so ``work`` runs directly."""

        def guarded() -> T:
            if self.is_sqlite and not self._read(check):
                return default
            return self._write(work)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, guarded)

    async def read(self, work: Callable[[sa.Connection], T]) -> T:
        """``work`` on a connection that writes nothing."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._read, work)

    def _write(self, work: Callable[[sa.Connection], T]) -> T:
        with self.engine.connect() as raw:
            conn = raw.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                return work(conn)

    def _read(self, work: Callable[[sa.Connection], T]) -> T:
        with self.engine.connect() as conn:
            return work(conn)

    def by_code_point(self, column: sa.ColumnElement[str]) -> sa.ColumnElement[str]:
        """``column`` ordered by code point in every dialect (as Python sorts strings)."""
        return column if self.is_sqlite else column.collate("C")

    def insert(self, table: sa.Table) -> Any:
        """An INSERT supporting ``on_conflict_do_update``/``do_nothing`` in this dialect."""
        return sqlite.insert(table) if self.is_sqlite else postgresql.insert(table)

    def upsert(
        self,
        conn: sa.Connection,
        table: sa.Table,
        rows: Sequence[dict[str, Any]],
        keys: Sequence[str],
    ) -> None:
        """Insert ``rows``, replacing the rows with the same ``keys``."""
        if not rows:
            return
        statement = self.insert(table)
        changed = {c: statement.excluded[c] for c in rows[0] if c not in keys}
        conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changed), rows)

    async def dispose(self) -> None:
        """Close every connection and stop the database threads."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, self.engine.dispose)
        self._threads.shutdown(wait=True)


def configure_sqlite(engine: sa.Engine, busy_timeout_ms: int = 30_000) -> None:
    """WAL, ``synchronous=NORMAL``, a busy timeout, and explicit ``BEGIN [IMMEDIATE]``."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

"""One SQL database: a synchronous SQLAlchemy engine driven from asyncio through threads.

Why threads rather than async drivers: a repository operation runs several statements, and an
async driver pays an event-loop round trip per statement (measured: ~6 ms per task on SQLite
with aiosqlite). Here a whole operation (``work(conn)``) runs in one hop to a database thread.

Invariants: every write runs in ``write(work)``, one transaction committed when ``work``
returns and rolled back when it raises. SQLite gets one database thread per ``Database`` (so
writers of one process queue without spinning on the busy timeout), writes begin with ``BEGIN
IMMEDIATE`` (the write lock is taken up front: two writers never deadlock on a lock upgrade),
the journal is WAL with ``synchronous=NORMAL``. SQLite probes (``probe``: one plain SQL query
asking whether there is work, run before every claim) and the hot-path writes
(``write_plain``: same transaction rules) bypass SQLAlchemy on a driver connection the database
thread keeps in autocommit mode (explicit ``BEGIN IMMEDIATE``/``COMMIT``): a statement costs
~10-20 µs instead of ~100 µs. Plain writes even run on the event loop's thread, on a connection
of its own with no busy timeout, when the write lock is free at once (they never wait there:
a locked database sends them to the database thread, which waits). PostgreSQL gets one thread
per pooled connection; transactions are READ COMMITTED. A caller cancelled while its work runs
does not stop the work: the transaction still commits or rolls back as a whole.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from legato.store.sql.checkpointer import BACKSTOP_PAGES, Checkpointer

T = TypeVar("T")
WRITE_OPTION = "legato_write"

#: a plain SQL query (``?`` placeholders, SQLite only) and its parameters
Probe = tuple[str, Sequence[Any]]


def sqlite_instant(moment: datetime) -> str:
    """``moment`` as SQLite columns of ``UTCDateTime`` hold it (UTC text, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Database:
    """A synchronous engine whose operations run on dedicated threads."""

    def __init__(
        self, engine: sa.Engine, threads: int, checkpointer: Checkpointer | None = None
    ) -> None:
        self.engine = engine
        #: SQLite: the background WAL checkpointer, stopped by ``dispose``
        self.checkpointer = checkpointer
        if checkpointer is not None:
            checkpointer.start()
        self.dialect = engine.dialect.name
        self._threads = ThreadPoolExecutor(threads, thread_name_prefix=f"legato-{self.dialect}")
        #: SQLite: the pooled connection of ``probe`` (used by the one database thread only)
        self._prober: Any = None
        #: SQLite: (owner thread, pooled connection) for plain writes run on the caller's thread
        self._inline: tuple[int, Any] | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    async def write(self, work: Callable[[sa.Connection], T]) -> T:
        """``work`` inside one write transaction, committed when it returns."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._write, work)

    async def write_when(self, check: Probe, work: Callable[[sa.Connection], T], default: T) -> T:
        """``write(work)`` when the SQLite probe ``check`` finds a row, else ``default``: idle
        polls then never take SQLite's write lock. On PostgreSQL the check would only add round
        trips, so ``work`` runs directly."""

        def guarded() -> T:
            if self.is_sqlite and self._probe(check) is None:
                return default
            return self._write(work)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, guarded)

    async def read(self, work: Callable[[sa.Connection], T]) -> T:
        """``work`` on a connection that writes nothing."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._read, work)

    async def probe(self, query: Probe) -> Any:
        """The first row of a plain SQL query (SQLite only), None when there is none."""
        if not self.is_sqlite:
            raise NotImplementedError("probes are plain SQLite queries")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._probe, query)

    async def write_plain(self, work: Callable[[Any], T]) -> T:
        """SQLite: ``work(driver connection)`` inside one ``BEGIN IMMEDIATE`` transaction,
        committed when it returns, rolled back when it raises (no SQLAlchemy on the way).

        Run on the caller's thread when the write lock is free at once (a thread hop costs more
        than a short transaction), else on the database thread."""
        inline = self._inline_driver()
        if inline is not None and _begin_at_once(inline):
            return _finish_transaction(inline, work)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._write_plain, work)

    async def write_plain_when(self, check: Probe, work: Callable[[Any], T], default: T) -> T:
        """``write_plain(work)`` when the probe ``check`` finds a row, else ``default``."""
        inline = self._inline_driver()
        if inline is not None:
            try:
                found = inline.execute(check[0], tuple(check[1])).fetchone()
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
            else:
                return default if found is None else await self.write_plain(work)

        def guarded() -> T:
            if self._probe(check) is None:
                return default
            return self._write_plain(work)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, guarded)

    async def read_plain(self, query: Probe) -> list[tuple[Any, ...]]:
        """SQLite: the rows of one plain ``SELECT``, without SQLAlchemy; on the caller's
        thread when it owns the inline connection (a single statement reads a consistent
        snapshot in WAL mode, and the inline connection is never inside a transaction between
        two calls), else on the database thread."""
        sql, params = query
        inline = self._inline_driver()
        if inline is not None:
            try:
                rows: list[tuple[Any, ...]] = inline.execute(sql, tuple(params)).fetchall()
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
            else:
                return rows
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._threads, lambda: self._driver().execute(sql, tuple(params)).fetchall()
        )

    def _inline_driver(self) -> Any:
        """The driver connection of the first thread that wrote in plain SQL (the event loop's;
        busy timeout 0: a locked database sends the work to the database thread), None on any
        other thread."""
        if not self.is_sqlite:
            raise NotImplementedError("plain SQL runs on SQLite only")
        ident = threading.get_ident()
        if self._inline is None:
            fairy: Any = self.engine.raw_connection()
            fairy.driver_connection.execute("PRAGMA busy_timeout=0")
            self._inline = (ident, fairy)
        owner, fairy = self._inline
        return fairy.driver_connection if owner == ident else None

    def _driver(self) -> Any:
        if not self.is_sqlite:
            raise NotImplementedError("plain SQL runs on SQLite only")
        if self._prober is None:
            self._prober = self.engine.raw_connection()
        return self._prober.driver_connection

    def _write_plain(self, work: Callable[[Any], T]) -> T:
        db = self._driver()
        db.execute("BEGIN IMMEDIATE")
        return _finish_transaction(db, work)

    def _probe(self, query: Probe) -> Any:
        sql, params = query
        return self._driver().execute(sql, tuple(params)).fetchone()

    def _close_inline(self) -> None:
        if self._inline is not None:
            self._inline[1].close()
            self._inline = None

    def _close_prober(self) -> None:
        if self._prober is not None:
            self._prober.close()
            self._prober = None
        self.engine.dispose()

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
        if self.is_sqlite:
            return sqlite.insert(table)
        # imported here: the PostgreSQL dialect package costs ~60 ms to import
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)

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
        self._close_inline()
        await loop.run_in_executor(self._threads, self._close_prober)
        self._threads.shutdown(wait=True)
        if self.checkpointer is not None:
            await asyncio.to_thread(self.checkpointer.stop)


def _busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _begin_at_once(db: Any) -> bool:
    """``BEGIN IMMEDIATE`` on ``db`` unless another connection holds the write lock."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if _busy(error):
            return False
        raise
    return True


def _finish_transaction(db: Any, work: Callable[[Any], T]) -> T:
    """``work(db)`` in the transaction just begun on ``db``: committed, or rolled back."""
    try:
        result = work(db)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite may have rolled back already
            db.execute("ROLLBACK")
        raise
    return result


def configure_sqlite(
    engine: sa.Engine, busy_timeout_ms: int = 30_000, *, background_checkpoints: bool = False
) -> None:
    """WAL, ``synchronous=NORMAL``, a busy timeout, and explicit ``BEGIN [IMMEDIATE]``; with
    ``background_checkpoints`` (a ``Checkpointer`` runs), commits checkpoint only as a
    backstop."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if background_checkpoints:
            cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

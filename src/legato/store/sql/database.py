"""One SQL database: its async engine, its transactions and the dialect-specific statements.

Invariants: every write runs in ``write()``, one transaction committed on success and rolled
back on any error. On SQLite, writes begin with ``BEGIN IMMEDIATE`` (the write lock is taken
up front, so two writers never deadlock on a lock upgrade) and writers of one process queue on
an asyncio lock rather than spinning on the busy timeout. On PostgreSQL, transactions are READ
COMMITTED and claims use ``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

WRITE_OPTION = "legato_write"


class Database:
    """An async engine with the transactions the repositories use."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A connection inside a write transaction (committed when the block succeeds)."""
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock, self.engine.connect() as raw:
            conn = await raw.execution_options(**{WRITE_OPTION: True})
            async with conn.begin():
                yield conn

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection inside a read-only transaction."""
        async with self.engine.connect() as conn:
            yield conn

    def insert(self, table: sa.Table) -> Any:
        """An INSERT supporting ``on_conflict_do_update``/``do_nothing`` in this dialect."""
        return sqlite.insert(table) if self.is_sqlite else postgresql.insert(table)

    async def upsert(
        self,
        conn: AsyncConnection,
        table: sa.Table,
        rows: Sequence[dict[str, Any]],
        keys: Sequence[str],
    ) -> None:
        """Insert ``rows``, replacing the rows with the same ``keys``."""
        if not rows:
            return
        statement = self.insert(table)
        changed = {c: statement.excluded[c] for c in rows[0] if c not in keys}
        await conn.execute(
            statement.on_conflict_do_update(index_elements=list(keys), set_=changed), rows
        )

    async def dispose(self) -> None:
        await self.engine.dispose()


def configure_sqlite(engine: AsyncEngine, busy_timeout_ms: int = 30_000) -> None:
    """WAL, ``synchronous=NORMAL``, a busy timeout, and explicit ``BEGIN [IMMEDIATE]``."""

    @sa.event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @sa.event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

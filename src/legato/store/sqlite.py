"""The SQLite dialect adapter: a pysqlite engine on one database file, migrated on open.

Invariants: the file's folder is created if missing; the connection runs in WAL mode with
``synchronous=NORMAL`` and a busy timeout; writes begin with ``BEGIN IMMEDIATE``; the WAL is
checkpointed by a background thread (``checkpointer``), commits only as a backstop.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from legato._kernel.clock import Clock, SystemClock
from legato.store.bundle import Store
from legato.store.sql import Database, build_store
from legato.store.sql.checkpointer import Checkpointer
from legato.store.sql.database import configure_sqlite
from legato.store.sql.migrate import migrate


async def open_sqlite(path: Path, clock: Clock | None = None) -> Store:
    """The store in the SQLite file at ``path`` (created and migrated when needed)."""
    path = path.expanduser().absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(f"sqlite+pysqlite:///{path}", pool_size=2, max_overflow=2)
    configure_sqlite(engine, background_checkpoints=True)
    db = Database(engine, threads=1, checkpointer=Checkpointer(path))
    try:
        await migrate(db)
    except BaseException:
        await db.dispose()
        raise
    return build_store(db, clock or SystemClock(), f"sqlite:///{path}")

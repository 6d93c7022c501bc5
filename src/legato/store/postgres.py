"""The PostgreSQL dialect adapter: a psycopg 3 engine, migrated on open.

Invariants: transactions are READ COMMITTED; job claims use ``FOR UPDATE SKIP LOCKED``;
wake-ups are by polling (LISTEN/NOTIFY is not used yet).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from legato._kernel.clock import Clock, SystemClock
from legato.store.bundle import Store
from legato.store.sql import Database, build_store
from legato.store.sql.migrate import migrate


def driver_url(url: str) -> str:
    """``url`` with the psycopg driver (``postgres://``, ``postgresql://`` accepted)."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


async def open_postgres(url: str, clock: Clock | None = None, *, pool_size: int = 10) -> Store:
    """The store in the PostgreSQL database at ``url`` (migrated when needed)."""
    engine = sa.create_engine(driver_url(url), pool_size=pool_size, max_overflow=0)
    db = Database(engine, threads=pool_size)
    try:
        await migrate(db)
    except BaseException:
        await db.dispose()
        raise
    return build_store(db, clock or SystemClock(), url)

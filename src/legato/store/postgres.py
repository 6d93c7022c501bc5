"""The PostgreSQL dialect adapter: a psycopg 3 engine, migrated on open.

Invariants: transactions are READ COMMITTED; job claims use ``FOR UPDATE SKIP LOCKED``;
commits that store work ``NOTIFY`` (``sql/notify.py``) and the store's ``changes``
(``sql/pg_feed.PgChangeFeed``) ``LISTEN``, so processes sharing the database wake at once;
polling stays as the fallback.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from legato._kernel.clock import Clock, SystemClock
from legato.store.bundle import Store
from legato.store.sql import Database, build_store
from legato.store.sql.migrate import migrate
from legato.store.sql.pg_feed import PgChangeFeed


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
    feed = PgChangeFeed(libpq_url(url))
    store = build_store(db, clock or SystemClock(), url)

    async def close() -> None:
        await asyncio.to_thread(feed.close)
        await db.dispose()

    return replace(store, closer=close, changes=feed)


def libpq_url(url: str) -> str:
    """``url`` as libpq takes it (``postgresql://…`` without a SQLAlchemy driver name)."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)

"""Bring a database to the latest schema with the Alembic migrations shipped in the package.

Invariants: migrating is idempotent and runs in one transaction; concurrent openers of one
database serialize (PostgreSQL: a transaction-scoped advisory lock; SQLite: ``BEGIN
IMMEDIATE``), so exactly one of them applies each revision. A database already at ``HEAD``
is recognized by one query, without importing Alembic (about a quarter of a second of start-up:
Alembic pulls in Mako and Pygments); ``HEAD`` must name the newest revision of
``migrations/versions`` (a test compares it with Alembic's own answer).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from legato.store.sql.database import Database

MIGRATIONS = Path(__file__).with_name("migrations")
#: the newest revision in ``migrations/versions``: update it with every new migration
HEAD = "0002"
#: an arbitrary constant naming Legato's migration lock among PostgreSQL advisory locks
ADVISORY_LOCK = 0x4C454741544F


def _at_head(connection: sa.Connection) -> bool:
    """Whether the database's Alembic version is ``HEAD`` (False when it has none)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return False
    versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
    return list(versions) == [HEAD]


def _upgrade(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        lock = sa.text("SELECT pg_advisory_xact_lock(:key)")
        connection.execute(lock, {"key": ADVISORY_LOCK})
    if _at_head(connection):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(db: Database) -> None:
    """Apply every migration the database lacks."""
    await db.write(_upgrade)

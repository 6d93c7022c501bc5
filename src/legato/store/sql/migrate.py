"""Bring a database to the latest schema with the Alembic migrations shipped in the package.

Invariants: migrating is idempotent and runs in one transaction; concurrent openers of one
database serialize (PostgreSQL: a transaction-scoped advisory lock; SQLite: ``BEGIN
IMMEDIATE``), so exactly one of them applies each revision.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from legato.store.sql.database import Database

MIGRATIONS = Path(__file__).with_name("migrations")
#: an arbitrary constant naming Legato's migration lock among PostgreSQL advisory locks
ADVISORY_LOCK = 0x4C454741544F


def _upgrade(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        lock = sa.text("SELECT pg_advisory_xact_lock(:key)")
        connection.execute(lock, {"key": ADVISORY_LOCK})
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(db: Database) -> None:
    """Apply every migration the database lacks."""
    await db.write(_upgrade)

"""Alembic environment for both dialects: runs on the connection ``migrate`` hands over.

Invariant: migrations only run inside ``legato.store.sql.migrate.migrate`` (never with a URL
from an ini file), on a connection already inside a transaction that the caller commits.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()

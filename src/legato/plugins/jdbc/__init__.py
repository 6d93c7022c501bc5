"""Plugin group jdbc: PostgreSQL, DuckDB, SQLite and MySQL tasks and triggers (Kestra plugin-jdbc).

PostgreSQL, MySQL, SQLite and DuckDB Query/Queries and PostgreSQL CopyIn/CopyOut run; the
triggers are declarations only (validation).
"""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.jdbc import duckdb, mysql, postgres, postgres_copy, sqlite

PLUGINS: list[type[Plugin]] = [
    *postgres.PLUGINS, *postgres_copy.PLUGINS, *duckdb.PLUGINS, *sqlite.PLUGINS, *mysql.PLUGINS,
]  # fmt: skip

"""Plugin group jdbc: PostgreSQL, DuckDB and SQLite tasks and triggers of Kestra's plugin-jdbc.

Declarations only (validation); running them comes later.
"""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.jdbc import duckdb, postgres, sqlite

PLUGINS: list[type[Plugin]] = [*postgres.PLUGINS, *duckdb.PLUGINS, *sqlite.PLUGINS]

"""``SqlSession`` over the standard ``sqlite3`` module (see ``session.py`` for the contract).

The connection runs in auto-commit mode (``isolation_level=None``); ``begin`` issues ``BEGIN``.
Placeholders become ``?``. Rows are read lazily from the cursor, so a streamed result is simply
the cursor itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from legato.plugins.jdbc.session import ResultSet, bind, column_names


class SqliteSession:
    """A sqlite3 connection driven statement by statement."""

    dialect = "SQLite"
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, database: str) -> None:
        self._conn = sqlite3.connect(database, isolation_level=None)

    def execute(
        self, sql: str, parameters: Mapping[str, Any] | None, *, stream: int | None = None
    ) -> ResultSet | None:
        query, values = bind(sql, parameters, lambda _: "?")
        cursor = self._conn.execute(query, values or ())
        if cursor.description is None:
            return None
        if stream:
            cursor.arraysize = stream
        return ResultSet(column_names(cursor.description), iter(cursor))

    def begin(self) -> None:
        self._conn.execute("BEGIN")

    def commit(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")

    def rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def cancel(self) -> None:
        self._conn.interrupt()

    def close(self) -> None:
        self._conn.close()

    def error_message(self, error: Exception) -> str:
        return str(error).strip() or type(error).__name__

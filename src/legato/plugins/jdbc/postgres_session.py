"""``SqlSession`` over a psycopg connection (see ``session.py`` for the contract).

Placeholders become ``%s`` (literal ``%`` doubled); a streamed result uses psycopg's chunked
``Cursor.stream`` so a large result never sits in memory whole. A statement without a result
(DDL, DML without ``RETURNING``) answers None, streamed or not (psycopg's ``stream`` runs such a
statement, then reports that it "didn't produce a result": that client-side report means None);
a streamed query without rows answers an empty ``ResultSet``.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from typing import Any

import psycopg

from legato.plugins.jdbc.session import ResultSet, bind, column_names


class PostgresSession:
    """A psycopg connection driven statement by statement."""

    dialect = "PostgreSQL"
    errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn
        conn.autocommit = True

    def execute(
        self, sql: str, parameters: Mapping[str, Any] | None, *, stream: int | None = None
    ) -> ResultSet | None:
        query, values = bind(sql, parameters, lambda _: "%s", escape_percent=True)
        cursor = self._conn.cursor()
        if stream:
            return self._streamed(cursor, query, values, stream)
        cursor.execute(query.encode(), values)
        if cursor.description is None:
            return None
        return ResultSet(column_names(cursor.description), iter(cursor))

    def _streamed(
        self,
        cursor: psycopg.Cursor[tuple[Any, ...]],
        query: str,
        values: list[Any] | None,
        size: int,
    ) -> ResultSet | None:
        rows = cursor.stream(query.encode(), values, size=max(size, 1))
        try:
            first = next(rows, None)
        except psycopg.ProgrammingError as error:
            if _no_result(error):
                return None
            raise
        columns = column_names(cursor.description or [])
        if first is None:  # a query with no row (a command would have raised above)
            return ResultSet(columns, iter(()))
        return ResultSet(columns, chain([first], rows))

    def begin(self) -> None:
        self._conn.autocommit = False

    def commit(self) -> None:
        self._conn.commit()

    def rollback(self) -> None:
        self._conn.rollback()

    def cancel(self) -> None:
        self._conn.cancel_safe(timeout=5.0)

    def close(self) -> None:
        self._conn.close()

    def error_message(self, error: Exception) -> str:
        diag = getattr(error, "diag", None)
        primary = getattr(diag, "message_primary", None)
        message = primary or (str(error).strip().splitlines() or [type(error).__name__])[0]
        detail = getattr(diag, "message_detail", None)
        return f"{message} ({detail})" if detail else message


def _no_result(error: psycopg.ProgrammingError) -> bool:
    """Whether ``error`` is psycopg's own report of a streamed command without rows."""
    return error.sqlstate is None and "didn't produce a result" in str(error)

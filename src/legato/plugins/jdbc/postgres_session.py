"""``SqlSession`` over a psycopg connection (see ``session.py`` for the contract).

Placeholders become ``%s`` (literal ``%`` doubled); a streamed result uses psycopg's chunked
``Cursor.stream`` so a large result never sits in memory whole. A statement without a result
(DDL, DML without ``RETURNING``) answers None.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
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
        first = next(rows, None)
        if cursor.description is None:
            return None
        ahead: Iterator[Sequence[Any]] = chain([first], rows) if first is not None else rows
        return ResultSet(column_names(cursor.description), ahead)

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

"""SQLite hot-path writes as plain SQL on the driver connection, inside the current transaction.

Why: SQLAlchemy spends ~50-100 µs preparing each execution of a prebuilt statement (parameter
construction, execution context, events), several times what SQLite needs for the statement
itself; a task goes through about a dozen of them.

Invariants: every function takes the ``sqlite3`` connection of an open transaction
(``Database.write_plain``) and commits nothing itself; values are written as
SQLAlchemy writes them on SQLite (``UTCDateTime``: naive UTC text with microseconds, naive
datetimes refused), so rows written either way read back the same. Table and column names come
from the code, never from data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from legato.store.sql.database import sqlite_instant

#: keys per DELETE statement (SQLite allows 32,766 parameters)
_CHUNK = 500


def driver(conn: sa.Connection) -> Any:
    """The ``sqlite3`` connection under a SQLAlchemy connection."""
    return conn.connection.driver_connection


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value} cannot be stored: give it a timezone")
        return sqlite_instant(value)
    return value


@cache
def _insert_sql(table: str, columns: tuple[str, ...], upsert_key: str | None) -> str:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    if upsert_key is not None:
        changed = ", ".join(f"{c} = excluded.{c}" for c in columns if c != upsert_key)
        sql += f" ON CONFLICT ({upsert_key}) DO UPDATE SET {changed}"
    return sql


def insert(
    db: Any, table: str, rows: Sequence[dict[str, Any]], upsert_key: str | None = None
) -> None:
    """Insert ``rows`` (all with the keys of the first) into ``table``; with ``upsert_key``, a
    row whose key exists replaces the stored one."""
    if not rows:
        return
    columns = tuple(rows[0])
    sql = _insert_sql(table, columns, upsert_key)
    values = [tuple(_value(row[c]) for c in columns) for row in rows]
    if len(values) == 1:
        db.execute(sql, values[0])
    else:
        db.executemany(sql, values)


def delete(db: Any, table: str, column: str, keys: Sequence[Any]) -> int:
    """Delete the rows of ``table`` whose ``column`` is in ``keys``; the number deleted."""
    deleted = 0
    for start in range(0, len(keys), _CHUNK):
        chunk = tuple(keys[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        sql = f"DELETE FROM {table} WHERE {column} IN ({marks})"
        deleted += int(db.execute(sql, chunk).rowcount)
    return deleted

"""What the statement runner needs from a database connection, whatever the dialect.

A ``SqlSession`` runs one statement at a time and answers with a ``ResultSet`` (column names and
a lazy row iterator) when the statement returns rows, ``None`` otherwise (DDL, plain DML). It
starts in auto-commit mode; ``begin`` opens a transaction that ``commit``/``rollback`` end.

Invariants:

* ``parameters`` (the rendered ``parameters`` map, or None) bind ``:name`` placeholders through
  the driver, never by pasting values into the SQL; an empty or absent map leaves the SQL as is.
* ``stream`` (a row count) asks for a result read in chunks of that size instead of all at
  once; rows of a ``ResultSet`` must be consumed before the next ``execute``.
* Errors of the driver are instances of ``errors``; ``error_message`` gives the database's own
  words for one (no driver noise such as ``LINE 1:`` carets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from legato.plugins.jdbc.sql_text import bind_named


@dataclass
class ResultSet:
    """The rows a statement returned."""

    columns: list[str]
    rows: Iterator[Sequence[Any]]


class SqlSession(Protocol):
    """A connection the statement runner drives (see the module invariants)."""

    @property
    def dialect(self) -> str:
        """The database's name in messages (``PostgreSQL``, ``SQLite``, ``DuckDB``)."""
        ...

    @property
    def errors(self) -> tuple[type[Exception], ...]: ...

    def execute(
        self, sql: str, parameters: Mapping[str, Any] | None, *, stream: int | None = None
    ) -> ResultSet | None: ...

    def begin(self) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def cancel(self) -> None:
        """Interrupt the running statement (called from another thread)."""
        ...

    def close(self) -> None: ...

    def error_message(self, error: Exception) -> str: ...


def bind(
    sql: str,
    parameters: Mapping[str, Any] | None,
    placeholder: Callable[[int], str],
    *,
    escape_percent: bool = False,
) -> tuple[str, list[Any] | None]:
    """``sql`` ready for the driver and its values (None when there is nothing to bind)."""
    if not parameters:
        return sql, None
    query, values = bind_named(sql, parameters, placeholder, escape_percent=escape_percent)
    return (query, values) if values else (sql, None)


def column_names(description: Sequence[Sequence[Any]]) -> list[str]:
    """Column labels of a DB-API ``cursor.description``."""
    return [str(column[0]) for column in description]

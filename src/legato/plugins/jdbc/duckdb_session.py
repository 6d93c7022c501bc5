"""``SqlSession`` over the ``duckdb`` Python package (see ``session.py`` for the contract).

Invariants:

* Placeholders become ``?``; a streamed result is read with ``fetchmany(stream)``.
* A statement that returns nothing by nature (SET, LOAD, PRAGMA settings…) answers None, and so
  does one that changes rows (INSERT, UPDATE, DELETE, CREATE, COPY…) unless it returns more than
  DuckDB's row count (``RETURNING``), as DuckDB's JDBC driver reports them.
* ``INSTALL x`` of an extension already built into (or installed with) the package is skipped,
  so ``INSTALL json; LOAD json;`` works offline; any other ``INSTALL`` runs as written.
* ``time_zone`` sets the session ``TimeZone``; ``search_path`` sets ``file_search_path`` so
  relative file names in SQL resolve in the working directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from legato.plugins.jdbc.session import ResultSet, bind, column_names

_INSTALL = re.compile(r"^\s*(?:FORCE\s+)?INSTALL\s+['\"]?(\w+)['\"]?\s*;?\s*$", re.IGNORECASE)
_ROW_COUNT = [("Count", "BIGINT")]
_QUERY_RESULT = duckdb.ExpectedResultType.QUERY_RESULT
_CHANGED_ROWS = duckdb.ExpectedResultType.CHANGED_ROWS


def sql_literal(text: str) -> str:
    """``text`` as a single-quoted SQL literal."""
    return "'" + text.replace("'", "''") + "'"


class DuckDbSession:
    """A DuckDB connection driven statement by statement."""

    dialect = "DuckDB"
    errors: tuple[type[Exception], ...] = (duckdb.Error,)

    def __init__(
        self, database: str, *, search_path: Path | None = None, time_zone: str | None = None
    ) -> None:
        self._conn = duckdb.connect(database)
        if search_path is not None:
            self._conn.execute(f"SET file_search_path = {sql_literal(str(search_path))}")
        if time_zone:
            self._conn.execute(f"SET TimeZone = {sql_literal(time_zone)}")

    def execute(
        self, sql: str, parameters: Mapping[str, Any] | None, *, stream: int | None = None
    ) -> ResultSet | None:
        if self._is_builtin_install(sql):
            return None
        query, values = bind(sql, parameters, lambda _: "?")
        expected = self._expected_results(query)
        self._conn.execute(query, values)
        description = self._conn.description
        if description is None or (expected is not None and _QUERY_RESULT not in expected):
            return None
        if expected is not None and _CHANGED_ROWS in expected and _only_row_count(description):
            return None
        return ResultSet(column_names(description), self._rows(stream))

    def _rows(self, stream: int | None) -> Iterator[Sequence[Any]]:
        if not stream:
            yield from self._conn.fetchall()
            return
        while chunk := self._conn.fetchmany(stream):
            yield from chunk

    def _expected_results(self, query: str) -> set[Any] | None:
        """The result kinds DuckDB announces for ``query`` (None when it cannot tell)."""
        try:
            statements = self._conn.extract_statements(query)
        except duckdb.Error:
            return None  # executing it will report the error
        return {kind for statement in statements for kind in statement.expected_result_type}

    def _is_builtin_install(self, sql: str) -> bool:
        match = _INSTALL.match(sql)
        if match is None:
            return False
        found = self._conn.execute(
            "SELECT installed OR install_mode = 'STATICALLY_LINKED' FROM duckdb_extensions() "
            "WHERE extension_name = lower(?)",
            [match.group(1)],
        ).fetchone()
        return bool(found and found[0])

    def begin(self) -> None:
        self._conn.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except duckdb.TransactionException:
            return  # no transaction is active: nothing to commit

    def rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except duckdb.TransactionException:
            return  # no transaction is active: nothing to undo

    def cancel(self) -> None:
        self._conn.interrupt()

    def close(self) -> None:
        self._conn.close()

    def error_message(self, error: Exception) -> str:
        text = str(error).strip()
        return text.split("\n\nLINE ")[0].strip() or type(error).__name__


def _only_row_count(description: Sequence[Sequence[Any]]) -> bool:
    return [(str(c[0]), str(c[1])) for c in description] == _ROW_COUNT

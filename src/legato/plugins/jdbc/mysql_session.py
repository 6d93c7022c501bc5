"""``SqlSession`` over a PyMySQL connection (see ``session.py`` for the contract).

Invariants:

* Placeholders become ``%s`` (literal ``%`` doubled when values are bound); a streamed result
  reads an unbuffered cursor in chunks, so a large result never sits in memory whole.
* Rows go through ``mysql_cells.row_converter``; ``TIMESTAMP`` wall times are read in the
  session's fixed offset: the current UTC offset of ``timeZoneId`` (else UTC).
* ``LOAD DATA LOCAL INFILE 'path'`` may only read a file inside ``infile_dir`` (the task's
  working directory, where ``inputFile`` is copied), as Kestra allows Connector/J to load from
  its working directory only; another path fails before anything is sent.
* ``cancel`` sends ``KILL QUERY <connection id>`` from a second connection; a statement that
  ends once cancelled (``SLEEP`` just returns) still fails with "Query execution was
  interrupted", so a killed run never looks successful.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

import pymysql
from pymysql.constants import ER
from pymysql.cursors import Cursor, SSCursor

from legato.plugins.jdbc.mysql_cells import row_converter
from legato.plugins.jdbc.mysql_connect import MySqlServer
from legato.plugins.jdbc.session import ResultSet, bind, column_names
from legato.sdk.run_context import TaskError

_LOCAL_INFILE = re.compile(
    r"\bLOAD\s+(?:DATA|XML)\s+(?:LOW_PRIORITY\s+|CONCURRENT\s+)?LOCAL\s+INFILE\s+"
    r"(?:'((?:[^'\\]|\\.|'')*)'|\"((?:[^\"\\]|\\.|\"\")*)\")",
    re.IGNORECASE,
)
INTERRUPTED = "Query execution was interrupted"


def fixed_zone(zone: tzinfo) -> timezone:
    """``zone``'s current offset from UTC as a fixed zone (UTC itself for UTC)."""
    offset = datetime.now(zone).utcoffset()
    return UTC if not offset else timezone(offset)


class MySqlSession:
    """A PyMySQL connection driven statement by statement."""

    dialect = "MySQL"
    errors: tuple[type[Exception], ...] = (pymysql.Error,)

    def __init__(self, server: MySqlServer, *, zone: tzinfo, infile_dir: Path) -> None:
        self._server = server
        self._zone = fixed_zone(zone)
        self._infile_dir = infile_dir.resolve()
        self._conn = server.connect(session_zone=self._zone, local_infile=True)
        self._cancelled = threading.Event()

    def execute(
        self, sql: str, parameters: Mapping[str, Any] | None, *, stream: int | None = None
    ) -> ResultSet | None:
        self._check_local_files(sql)
        query, values = bind(sql, parameters, lambda _: "%s", escape_percent=True)
        cursor = self._conn.cursor(SSCursor if stream else Cursor)
        cursor.execute(query, values)
        if self._cancelled.is_set():
            raise pymysql.err.OperationalError(ER.QUERY_INTERRUPTED, INTERRUPTED)
        if cursor.description is None:
            return None
        convert = row_converter(cursor.description, self._zone)
        rows = self._chunks(cursor, stream) if stream else iter(cursor.fetchall())
        return ResultSet(column_names(cursor.description), (convert(row) for row in rows))

    @staticmethod
    def _chunks(cursor: Cursor, size: int) -> Iterator[Sequence[Any]]:
        while chunk := cursor.fetchmany(max(size, 1)):
            yield from chunk

    def _check_local_files(self, sql: str) -> None:
        for match in _LOCAL_INFILE.finditer(sql):
            name = match.group(1) if match.group(1) is not None else match.group(2)
            path = Path(name)
            if not (path.is_absolute() and path.resolve().is_relative_to(self._infile_dir)):
                raise TaskError(
                    f"LOAD DATA LOCAL INFILE reads files of the task's working directory only; "
                    f"'{name}' is not in {self._infile_dir}. Give the file as inputFile and "
                    "load '{{ inputFile }}'.",
                    retryable=False,
                )

    def begin(self) -> None:
        self._conn.begin()

    def commit(self) -> None:
        self._conn.commit()

    def rollback(self) -> None:
        self._conn.rollback()

    def cancel(self) -> None:
        self._cancelled.set()
        killer = self._server.connect()
        try:
            with killer.cursor() as cursor:
                cursor.execute(f"KILL QUERY {int(self._conn.thread_id())}")
        finally:
            killer.close()

    def close(self) -> None:
        if self._conn.open:
            self._conn.close()

    def error_message(self, error: Exception) -> str:
        if len(error.args) > 1 and isinstance(error.args[1], str):
            return error.args[1].strip() or type(error).__name__
        return str(error).strip() or type(error).__name__

"""Streaming a local file through a PostgreSQL ``COPY`` (CopyIn) and a ``COPY`` into one (CopyOut).

Invariants:

* Files are streamed in ``CHUNK_SIZE`` blocks, never held whole in memory: CopyIn reads the
  file and writes each block to ``cursor.copy``; CopyOut writes each block the server sends.
* Bytes pass unchanged in both directions (so BINARY and any ``ENCODING`` work): the server
  decodes, not us.
* The kill flag is checked between blocks; a killed task run aborts the ``COPY`` (the server
  rolls it back) and raises ``TaskError`` saying so, also when the kill cancelled the ``COPY``
  on the server first.
* The caller owns the transaction: these functions neither commit nor roll back.
* A server error becomes a ``TaskError`` carrying PostgreSQL's message, its DETAIL, HINT and
  CONTEXT lines (CONTEXT names the line of the file, e.g. ``COPY trips, line 3: "…"``) and the
  ``COPY`` statement.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from legato.sdk.run_context import TaskError

CHUNK_SIZE = 1 << 20

Connection = psycopg.Connection[tuple[Any, ...]]


def copy_in(conn: Connection, statement: str, source: Path, is_killed: Callable[[], bool]) -> int:
    """Send ``source`` to ``statement`` (a ``COPY … FROM STDIN``); the number of rows loaded."""
    try:
        with conn.cursor() as cursor:
            with cursor.copy(statement) as copy, source.open("rb") as data:
                while block := data.read(CHUNK_SIZE):
                    _stop_if_killed(is_killed, statement)
                    copy.write(block)
            return cursor.rowcount
    except psycopg.Error as error:
        raise _failure(error, statement, is_killed) from error


def copy_out(conn: Connection, statement: str, target: Path, is_killed: Callable[[], bool]) -> int:
    """Write what ``statement`` (a ``COPY … TO STDOUT``) sends into ``target``; the row count."""
    try:
        with conn.cursor() as cursor:
            with cursor.copy(statement) as copy, target.open("wb") as out:
                for block in copy:
                    _stop_if_killed(is_killed, statement)
                    out.write(block)
            return cursor.rowcount
    except psycopg.Error as error:
        raise _failure(error, statement, is_killed) from error


def copy_failure(error: psycopg.Error, statement: str) -> str:
    """The task's failure message for ``error``, raised by ``statement``."""
    diag = error.diag
    lines = [f"PostgreSQL rejected the COPY: {diag.message_primary or str(error).strip()}"]
    for label, text in (("DETAIL", diag.message_detail), ("HINT", diag.message_hint)):
        if text:
            lines.append(f"  {label}: {text}")
    if diag.context:
        lines += [f"  CONTEXT: {line}" for line in diag.context.strip().splitlines()]
    lines.append(f"  in: {statement}")
    return "\n".join(lines)


def _failure(error: psycopg.Error, statement: str, is_killed: Callable[[], bool]) -> TaskError:
    if is_killed():
        return _killed(statement)
    return TaskError(copy_failure(error, statement))


def _stop_if_killed(is_killed: Callable[[], bool], statement: str) -> None:
    if is_killed():
        raise _killed(statement)


def _killed(statement: str) -> TaskError:
    return TaskError(f"The COPY was stopped: the task run was killed\n  in: {statement}")

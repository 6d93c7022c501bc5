"""``io.kestra.plugin.jdbc.postgresql.CopyIn|CopyOut``: PostgreSQL's ``COPY`` as tasks.

CopyIn streams the internal-storage file ``from`` into ``table`` (``COPY … FROM STDIN``) and
outputs ``rowCount``; CopyOut streams ``COPY (sql) TO STDOUT`` (or ``COPY table …`` when there is
no ``sql``) into a new internal-storage file and outputs ``uri`` and ``rowCount``. Both record
the ``rows`` counter metric and log the statement at DEBUG, as Kestra does.

Invariants:

* The statement is Kestra's (``copy_statement``): table and columns as given, unquoted.
* Options map PostgreSQL's ``COPY`` options (``format`` TEXT|CSV|BINARY =TEXT, ``delimiter``,
  ``header``, ``quote``…); literal single-character options must be exactly one character,
  rendered ones are checked by the server.
* The ``COPY`` runs in one transaction on its own connection (``connect_postgres``): committed
  when it succeeds, rolled back when it fails or the task run is killed. A kill is seen
  between blocks of the file, and a ``COPY`` waiting on the server (a lock, a slow query) is
  cancelled (``cancelled_on_kill``).
* ``socketTimeout`` is accepted but not applied (libpq has no read timeout); setting it logs a
  warning.
* psycopg (``postgres_connect``, ``copy_stream``) is imported when a task runs, never with this
  declaration module.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BeforeValidator, Field

from legato.model.plugin import Plugin
from legato.model.property import Dyn, is_expression
from legato.plugins.jdbc import copy_statement
from legato.plugins.jdbc.cancel import cancelled_on_kill
from legato.plugins.jdbc.postgres import PostgresConnection
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext, TaskError

if TYPE_CHECKING:  # psycopg loads when a task runs, not with the plugin registry
    from legato.plugins.jdbc.copy_stream import Connection

    Transfer = Callable[[Connection, str, Path, Callable[[], bool]], int]

CopyFormat = Literal["TEXT", "CSV", "BINARY"]


def _one_character(value: Any) -> Any:
    """Refuse a literal of another length than one, with a hint for the escaped tab."""
    if isinstance(value, str) and len(value) != 1 and not is_expression(value):
        hint = ' (for a tab, write "\\t" in a double-quoted YAML string)' if value == "\\t" else ""
        raise ValueError(f"must be exactly one character, got {value!r}{hint}")
    return value


Char = Annotated[str, BeforeValidator(_one_character), Field(min_length=1, max_length=1)]
T = TypeVar("T")

EXTENSIONS = {"TEXT": ".txt", "CSV": ".csv", "BINARY": ".bin"}


class Copy(PostgresConnection, RunnableTask):
    """The ``COPY`` options shared by CopyIn and CopyOut."""

    table: Dyn[str] | None = None
    columns: Dyn[list[str]] | None = None
    format: Dyn[CopyFormat] = "TEXT"
    oids: Dyn[bool] | None = None
    freeze: Dyn[bool] | None = None
    delimiter: Dyn[Char] | None = None
    nullString: Dyn[str] | None = None
    header: Dyn[bool] | None = None
    quote: Dyn[Char] | None = None
    escape: Dyn[Char] | None = None
    forceQuote: Dyn[list[str]] | None = None
    forceNotNull: Dyn[list[str]] | None = None
    forceNull: Dyn[list[str]] | None = None
    encoding: Dyn[str] | None = None
    socketTimeout: Dyn[Annotated[int, Field(ge=0)]] | None = None

    def copy_options(self, ctx: RunContext) -> copy_statement.CopyOptions:
        """The rendered options of this task."""
        return copy_statement.CopyOptions(
            format=self.copy_format(ctx),
            oids=_optional(ctx, self.oids, bool),
            freeze=_optional(ctx, self.freeze, bool),
            delimiter=_optional(ctx, self.delimiter, str),
            null_string=_optional(ctx, self.nullString, str),
            header=_optional(ctx, self.header, bool),
            quote=_optional(ctx, self.quote, str),
            escape=_optional(ctx, self.escape, str),
            force_quote=_optional(ctx, self.forceQuote, list[str]) or [],
            force_not_null=_optional(ctx, self.forceNotNull, list[str]) or [],
            force_null=_optional(ctx, self.forceNull, list[str]) or [],
            encoding=_optional(ctx, self.encoding, str),
        )

    def copy_format(self, ctx: RunContext) -> str:
        return str(ctx.render_as(self.format, CopyFormat))  # type: ignore[arg-type]

    def table_source(self, ctx: RunContext, kind: str) -> str:
        """``table (columns)`` as rendered; a missing table fails naming what to set."""
        table = _optional(ctx, self.table, str)
        if not table or not table.strip():
            raise TaskError(
                f"{kind} needs a target: set 'table' to the (optionally schema-qualified) name "
                "of an existing table",
                retryable=False,
            )
        columns = _optional(ctx, self.columns, list[str]) or []
        return copy_statement.table_source(table, columns)

    def run_copy(self, ctx: RunContext, statement: str, transfer: Transfer, path: Path) -> int:
        """Run ``statement`` with ``transfer`` over ``path`` in one committed transaction (the
        connection's context commits on success, rolls back on error); the row count."""
        from legato.plugins.jdbc.postgres_connect import connect_postgres  # psycopg: at run

        if self.socketTimeout is not None:
            ctx.logger.warn("socketTimeout is not applied: libpq has no socket read timeout")
        ctx.logger.debug(f"Starting query: {statement}")
        with (
            connect_postgres(ctx, self) as conn,
            cancelled_on_kill(ctx, lambda: conn.cancel_safe(timeout=5.0)),
        ):
            rows = transfer(conn, statement, path, ctx.is_killed)
        ctx.metric("rows", rows)
        return rows


@plugin("io.kestra.plugin.jdbc.postgresql.CopyIn", title="Load a file into a PostgreSQL table.")
class CopyIn(Copy):
    """Load the internal-storage file ``from`` into ``table``; output ``rowCount``."""

    from_: Dyn[str] = Field(alias="from")

    def run(self, ctx: RunContext) -> dict[str, Any]:
        from legato.plugins.jdbc.copy_stream import copy_in  # psycopg: at run

        source = self.table_source(ctx, "CopyIn")
        statement = copy_statement.copy_statement(
            source, copy_statement.FROM_STDIN, self.copy_options(ctx)
        )
        local = ctx.storage.open_local(ctx.render_string(self.from_))
        rows = self.run_copy(ctx, statement, copy_in, local)
        return {"rowCount": rows}


@plugin(
    "io.kestra.plugin.jdbc.postgresql.CopyOut",
    title="Export a PostgreSQL table or query to a file.",
)
class CopyOut(Copy):
    """Export ``sql`` (or ``table``) into an internal-storage file; output ``uri``, ``rowCount``."""

    sql: Dyn[str] | None = None

    def run(self, ctx: RunContext) -> dict[str, Any]:
        from legato.plugins.jdbc.copy_stream import copy_out  # psycopg: at run

        query = _optional(ctx, self.sql, str)
        if query is not None and query.strip():
            source = copy_statement.query_source(query)
        else:
            source = self.table_source(ctx, "CopyOut (without 'sql')")
        options = self.copy_options(ctx)
        statement = copy_statement.copy_statement(source, copy_statement.TO_STDOUT, options)
        handle, name = tempfile.mkstemp(suffix=EXTENSIONS[options.format], dir=ctx.working_dir())
        os.close(handle)
        target = Path(name)
        rows = self.run_copy(ctx, statement, copy_out, target)
        return {"uri": ctx.storage.put_file(target), "rowCount": rows}


def _optional(ctx: RunContext, value: Any, type_: type[T]) -> T | None:
    """``value`` rendered as ``type_``, or None when the property is not set."""
    return None if value is None else ctx.render_as(value, type_)


PLUGINS: list[type[Plugin]] = [CopyIn, CopyOut]

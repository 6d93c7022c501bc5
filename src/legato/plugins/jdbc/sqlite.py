"""``io.kestra.plugin.jdbc.sqlite``: Query, Queries and Trigger.

``url`` (required, ``jdbc:sqlite:file.db``) names the database file in the working directory;
``sqliteFile`` (a ``kestra://`` URI) is copied there first, and ``outputDbFile`` (=false)
uploads it back after the run (output ``databaseUri``); see ``sqlite_database.py``. Statements
run with ``statements.py`` on a ``SqliteSession``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.base import JdbcTrigger, QueriesTask, QueryTask
from legato.plugins.jdbc.sqlite_database import database_path, place_sqlite_file, upload_database
from legato.plugins.jdbc.statements import Settings, render_settings, run_queries, run_query
from legato.plugins.jdbc.urls import SqliteUrl
from legato.sdk import plugin
from legato.sdk.run_context import RunContext

if TYPE_CHECKING:  # sqlite3 loads when a task runs, as the other JDBC drivers do
    from legato.plugins.jdbc.sqlite_session import SqliteSession

    Runner = Callable[[Settings, SqliteSession, str], dict[str, Any]]


class SqliteConnection(BaseModel):
    """SQLite connection: the database file and where it comes from."""

    url: SqliteUrl
    username: Dyn[str] | None = None
    password: Dyn[str] | None = None
    sqliteFile: Dyn[str] | None = None
    outputDbFile: Dyn[bool] = False


@plugin("io.kestra.plugin.jdbc.sqlite.Query", title="Query a SQLite database.")
class Query(SqliteConnection, QueryTask):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        return _run_on_database(
            ctx, self, lambda settings, session, sql: run_query(ctx, settings, session, sql)
        )


@plugin("io.kestra.plugin.jdbc.sqlite.Queries", title="Run several queries on SQLite.")
class Queries(SqliteConnection, QueriesTask):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        transaction = ctx.render_as(self.transaction, bool)
        return _run_on_database(
            ctx,
            self,
            lambda settings, session, sql: run_queries(
                ctx, settings, session, sql, transaction=transaction
            ),
        )


@plugin(
    "io.kestra.plugin.jdbc.sqlite.Trigger",
    title="Trigger a flow when a SQLite query returns rows.",
)
class Trigger(SqliteConnection, JdbcTrigger):
    pass


def _run_on_database(ctx: RunContext, task: Query | Queries, runner: Runner) -> dict[str, Any]:
    """Place the database, run ``runner`` on a session, upload the database if asked."""
    from legato.plugins.jdbc.sqlite_session import SqliteSession  # sqlite3: at run

    database = database_path(ctx, ctx.render_string(task.url))
    if task.sqliteFile is not None:
        place_sqlite_file(ctx, database, ctx.render_string(task.sqliteFile))
    settings = render_settings(ctx, task)
    sql = ctx.render_string(task.sql)
    with closing(SqliteSession(database)) as session:
        outputs = runner(settings, session, sql)
    if ctx.render_as(task.outputDbFile, bool):
        outputs["databaseUri"] = upload_database(ctx, database)
    return outputs


PLUGINS: list[type[Plugin]] = [Query, Queries, Trigger]

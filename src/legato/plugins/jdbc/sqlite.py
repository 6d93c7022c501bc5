"""``io.kestra.plugin.jdbc.sqlite``: Query, Queries and Trigger.

``url`` (required, ``jdbc:sqlite:file.db``) names the database file in the working directory;
``sqliteFile`` (a ``kestra://`` URI) is copied there first, and ``outputDbFile`` (=false)
uploads it back after the run.
"""

from __future__ import annotations

from pydantic import BaseModel

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.base import JdbcTrigger, QueriesTask, QueryTask
from legato.plugins.jdbc.urls import SqliteUrl
from legato.sdk import plugin


class SqliteConnection(BaseModel):
    """SQLite connection: the database file and where it comes from."""

    url: SqliteUrl
    username: Dyn[str] | None = None
    password: Dyn[str] | None = None
    sqliteFile: Dyn[str] | None = None
    outputDbFile: Dyn[bool] = False


@plugin("io.kestra.plugin.jdbc.sqlite.Query", title="Query a SQLite database.")
class Query(SqliteConnection, QueryTask):
    pass


@plugin("io.kestra.plugin.jdbc.sqlite.Queries", title="Run several queries on SQLite.")
class Queries(SqliteConnection, QueriesTask):
    pass


@plugin(
    "io.kestra.plugin.jdbc.sqlite.Trigger",
    title="Trigger a flow when a SQLite query returns rows.",
)
class Trigger(SqliteConnection, JdbcTrigger):
    pass


PLUGINS: list[type[Plugin]] = [Query, Queries, Trigger]

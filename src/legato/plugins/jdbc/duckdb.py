"""``io.kestra.plugin.jdbc.duckdb``: Query, Queries and Trigger.

``url`` defaults to ``jdbc:duckdb:`` (a temporary database in the working directory). The
tasks add ``inputFiles`` (file name → content or URI, or a JSON string; readable from SQL by
name), ``outputFiles`` (a list of *keys*: each becomes a file ``{{ outputFiles.key }}`` uploaded
after the run), ``databaseUri`` (a ``kestra://`` DuckDB file to open) and ``outputDbFile``
(=false, upload the database file).
"""

from __future__ import annotations

from pydantic import BaseModel

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.base import JdbcTrigger, QueriesTask, QueryTask
from legato.plugins.jdbc.urls import DuckDbUrl
from legato.sdk import plugin
from legato.sdk.scripts import InputFiles


class DuckDbConnection(BaseModel):
    """DuckDB connection: an optional URL, by default a temporary local database."""

    url: DuckDbUrl = "jdbc:duckdb:"
    username: Dyn[str] | None = None
    password: Dyn[str] | None = None


class DuckDbFiles(DuckDbConnection):
    """Files DuckDB reads and writes in the task's working directory."""

    inputFiles: InputFiles | None = None
    outputFiles: Dyn[list[str]] | None = None
    databaseUri: Dyn[str] | None = None
    outputDbFile: Dyn[bool] = False
    communityExtensions: Dyn[list[str]] | None = None


@plugin("io.kestra.plugin.jdbc.duckdb.Query", title="Query a DuckDB database.")
class Query(DuckDbFiles, QueryTask):
    pass


@plugin("io.kestra.plugin.jdbc.duckdb.Queries", title="Run several queries on DuckDB.")
class Queries(DuckDbFiles, QueriesTask):
    pass


@plugin(
    "io.kestra.plugin.jdbc.duckdb.Trigger",
    title="Trigger a flow when a DuckDB query returns rows.",
)
class Trigger(DuckDbConnection, JdbcTrigger):
    pass


PLUGINS: list[type[Plugin]] = [Query, Queries, Trigger]

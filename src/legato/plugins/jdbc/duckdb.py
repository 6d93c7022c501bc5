"""``io.kestra.plugin.jdbc.duckdb``: Query, Queries and Trigger.

``url`` defaults to ``jdbc:duckdb:`` (a temporary database in the working directory). The
tasks add ``inputFiles`` (file name → content or URI, or a JSON string; readable from SQL by
name), ``outputFiles`` (a list of *keys*: each becomes a file ``{{ outputFiles.key }}`` uploaded
after the run), ``databaseUri`` (a ``kestra://`` DuckDB file to open) and ``outputDbFile``
(=false, upload the database file); ``duckdb_workspace.py`` handles these files. Statements run
with ``statements.py`` on a ``DuckDbSession`` whose ``file_search_path`` is the working
directory (relative file names in SQL resolve there); duckdb itself is imported when a task
runs, never with this declaration module.
``communityExtensions`` is accepted; extensions are not downloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.base import JdbcTrigger, QueriesTask, QueryTask
from legato.plugins.jdbc.duckdb_workspace import finish_workspace, prepare_workspace
from legato.plugins.jdbc.statements import Settings, render_settings, run_queries, run_query
from legato.plugins.jdbc.urls import DuckDbUrl
from legato.sdk import plugin
from legato.sdk.run_context import RunContext
from legato.sdk.scripts import InputFiles

if TYPE_CHECKING:  # duckdb loads when a task runs, not with the plugin registry
    from legato.plugins.jdbc.duckdb_session import DuckDbSession

    Runner = Callable[[Settings, DuckDbSession, str], dict[str, Any]]


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
    def run(self, ctx: RunContext) -> dict[str, Any]:
        return _run_in_workspace(
            ctx, self, lambda settings, session, sql: run_query(ctx, settings, session, sql)
        )


@plugin("io.kestra.plugin.jdbc.duckdb.Queries", title="Run several queries on DuckDB.")
class Queries(DuckDbFiles, QueriesTask):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        transaction = ctx.render_as(self.transaction, bool)
        return _run_in_workspace(
            ctx,
            self,
            lambda settings, session, sql: run_queries(
                ctx, settings, session, sql, transaction=transaction
            ),
        )


@plugin(
    "io.kestra.plugin.jdbc.duckdb.Trigger",
    title="Trigger a flow when a DuckDB query returns rows.",
)
class Trigger(DuckDbConnection, JdbcTrigger):
    pass


def _run_in_workspace(ctx: RunContext, task: Query | Queries, runner: Runner) -> dict[str, Any]:
    """Prepare the files, run ``runner`` on a session, upload the output files."""
    from legato.plugins.jdbc.duckdb_session import DuckDbSession  # duckdb: at run

    workspace = prepare_workspace(
        ctx,
        ctx.render_string(task.url),
        input_files=task.inputFiles,
        output_keys=task.outputFiles,
        database_uri=task.databaseUri,
    )
    variables = workspace.variables
    settings = render_settings(ctx, task, variables)
    sql = ctx.render_string(task.sql, variables)
    session = DuckDbSession(
        workspace.database, search_path=workspace.directory, time_zone=settings.time_zone
    )
    with closing(session):
        outputs = runner(settings, session, sql)
    output_db = ctx.render_as(task.outputDbFile, bool)
    return {**outputs, **finish_workspace(ctx, workspace, output_db=output_db)}


PLUGINS: list[type[Plugin]] = [Query, Queries, Trigger]

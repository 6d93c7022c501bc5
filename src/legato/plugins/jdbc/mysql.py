"""``io.kestra.plugin.jdbc.mysql``: Query, Queries and Trigger.

``url`` (``jdbc:mysql://host[:port][/db]``, checked when literal), ``username`` and ``password``;
the tasks add ``inputFile``, a ``kestra://`` file (or inline content) copied to the working
directory as ``inputFile`` so SQL can ``LOAD DATA LOCAL INFILE '{{ inputFile }}'`` (the variable
is the file's absolute path, set even without ``inputFile``, as Kestra does).

Query and Queries run on one connection per task run (``mysql_connect``, ``mysql_session``)
with the shared statement semantics of ``statements.py``; cells as ``mysql_cells.py``. PyMySQL
is imported when a task runs, never with this declaration module. The Trigger is a declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.base import JdbcTrigger, QueriesTask, QueryTask
from legato.plugins.jdbc.statements import Settings, render_settings, run_queries, run_query
from legato.plugins.jdbc.urls import MySqlUrl
from legato.sdk import plugin
from legato.sdk.run_context import RunContext

if TYPE_CHECKING:  # PyMySQL loads when a task runs, not with the plugin registry
    from legato.plugins.jdbc.mysql_session import MySqlSession

    Runner = Callable[[Settings, MySqlSession, str], dict[str, Any]]

INPUT_FILE = "inputFile"


class MySqlConnection(BaseModel):
    """MySQL connection properties."""

    url: MySqlUrl
    username: Dyn[str] | None = None
    password: Dyn[str] | None = None


class MySqlInputFile(MySqlConnection):
    """A file to load with ``LOAD DATA LOCAL INFILE``."""

    inputFile: Dyn[str] | None = None


@plugin("io.kestra.plugin.jdbc.mysql.Query", title="Query a MySQL database.")
class Query(MySqlInputFile, QueryTask):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        return _run_on_server(
            ctx, self, lambda settings, session, sql: run_query(ctx, settings, session, sql)
        )


@plugin("io.kestra.plugin.jdbc.mysql.Queries", title="Run several queries on MySQL.")
class Queries(MySqlInputFile, QueriesTask):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        transaction = ctx.render_as(self.transaction, bool)
        return _run_on_server(
            ctx,
            self,
            lambda settings, session, sql: run_queries(
                ctx, settings, session, sql, transaction=transaction
            ),
        )


@plugin(
    "io.kestra.plugin.jdbc.mysql.Trigger",
    title="Trigger a flow when a MySQL query returns rows.",
)
class Trigger(MySqlConnection, JdbcTrigger):
    pass


def _run_on_server(ctx: RunContext, task: Query | Queries, runner: Runner) -> dict[str, Any]:
    """Place ``inputFile``, then run ``runner`` on a session of the task's server."""
    from legato.plugins.jdbc.mysql_connect import mysql_server  # PyMySQL: at run
    from legato.plugins.jdbc.mysql_session import MySqlSession

    working = ctx.working_dir()
    extra = {INPUT_FILE: str(_place_input_file(ctx, task, working))}
    settings = render_settings(ctx, task, extra)
    sql = ctx.render_string(task.sql, extra)
    server = mysql_server(ctx, task)
    with closing(MySqlSession(server, zone=settings.zone, infile_dir=working)) as session:
        return runner(settings, session, sql)


def _place_input_file(ctx: RunContext, task: MySqlInputFile, working: Path) -> Path:
    """Copy ``inputFile`` (a ``kestra://`` URI or content) into the working directory."""
    target = (working / INPUT_FILE).resolve()
    if task.inputFile is None:
        return target
    source = ctx.render_string(task.inputFile)
    if source.startswith("kestra://"):
        target.write_bytes(ctx.storage.get_bytes(source))
    else:
        target.write_text(source, encoding="utf-8")
    return target


PLUGINS: list[type[Plugin]] = [Query, Queries, Trigger]

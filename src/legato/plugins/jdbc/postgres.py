"""``io.kestra.plugin.jdbc.postgresql``: Query, Queries, Trigger (CopyIn/CopyOut in postgres_copy).

All share the PostgreSQL connection: ``url`` (``jdbc:postgresql://host[:port]/db``, checked when
literal), ``username``, ``password``, ``ssl`` (=false), ``sslMode`` and the PEM ``sslRootCert``,
``sslCert``, ``sslKey``, ``sslKeyPassword``. CopyIn/CopyOut map PostgreSQL's ``COPY`` options
(``format`` TEXT|CSV|BINARY =TEXT, ``delimiter``, ``header``, ``quote``…); single-character
options must be exactly one character.

Query and Queries run on one connection per task run (``postgres_connect``; ``timeZoneId`` is
the session time zone) with the shared statement semantics of ``statements.py``.
``connectionPooling``/``connectionPoolSize`` are accepted and have no effect: a task run holds a
single connection. psycopg (``postgres_connect``, ``postgres_session``) is imported when a task
runs, never with this declaration module.
"""

from __future__ import annotations

from contextlib import closing
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, Field

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.base import JdbcTrigger, QueriesTask, QueryTask
from legato.plugins.jdbc.statements import Settings, render_settings, run_queries, run_query
from legato.plugins.jdbc.urls import PostgresUrl
from legato.sdk import plugin
from legato.sdk.run_context import RunContext

if TYPE_CHECKING:  # psycopg loads when a task runs, not with the plugin registry
    from legato.plugins.jdbc.postgres_session import PostgresSession

SslMode = Literal["DISABLE", "ALLOW", "PREFER", "REQUIRE", "VERIFY_CA", "VERIFY_FULL"]


class PostgresConnection(BaseModel):
    """PostgreSQL connection and SSL properties."""

    url: PostgresUrl
    username: Dyn[str] | None = None
    password: Dyn[str] | None = None
    ssl: Dyn[bool] = False
    sslMode: Dyn[SslMode] | None = None
    sslRootCert: Dyn[str] | None = None
    sslCert: Dyn[str] | None = None
    sslKey: Dyn[str] | None = None
    sslKeyPassword: Dyn[str] | None = None


class PooledPostgresConnection(PostgresConnection):
    """Connection pooling, available on the statement tasks."""

    connectionPooling: Dyn[bool] = True
    connectionPoolSize: Dyn[Annotated[int, Field(ge=1)]] = 10


def _session(ctx: RunContext, task: PostgresConnection, settings: Settings) -> PostgresSession:
    from legato.plugins.jdbc.postgres_connect import connect_postgres  # psycopg: at run
    from legato.plugins.jdbc.postgres_session import PostgresSession

    return PostgresSession(connect_postgres(ctx, task, time_zone=settings.time_zone))


@plugin("io.kestra.plugin.jdbc.postgresql.Query", title="Query a PostgreSQL server.")
class Query(PooledPostgresConnection, QueryTask):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        settings = render_settings(ctx, self)
        sql = ctx.render_string(self.sql)
        with closing(_session(ctx, self, settings)) as session:
            return run_query(ctx, settings, session, sql)


@plugin(
    "io.kestra.plugin.jdbc.postgresql.Queries",
    title="Run several queries on a PostgreSQL server.",
)
class Queries(PooledPostgresConnection, QueriesTask):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        settings = render_settings(ctx, self)
        sql = ctx.render_string(self.sql)
        transaction = ctx.render_as(self.transaction, bool)
        with closing(_session(ctx, self, settings)) as session:
            return run_queries(ctx, settings, session, sql, transaction=transaction)


@plugin(
    "io.kestra.plugin.jdbc.postgresql.Trigger",
    title="Trigger a flow when a PostgreSQL query returns rows.",
)
class Trigger(PooledPostgresConnection, JdbcTrigger):
    pass


PLUGINS: list[type[Plugin]] = [Query, Queries, Trigger]

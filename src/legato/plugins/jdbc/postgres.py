"""``io.kestra.plugin.jdbc.postgresql``: Query, Queries, Trigger (CopyIn/CopyOut in postgres_copy).

All share the PostgreSQL connection: ``url`` (``jdbc:postgresql://host[:port]/db``, checked when
literal), ``username``, ``password``, ``ssl`` (=false), ``sslMode`` and the PEM ``sslRootCert``,
``sslCert``, ``sslKey``, ``sslKeyPassword``. CopyIn/CopyOut map PostgreSQL's ``COPY`` options
(``format`` TEXT|CSV|BINARY =TEXT, ``delimiter``, ``header``, ``quote``…); single-character
options must be exactly one character.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.base import JdbcTrigger, QueriesTask, QueryTask
from legato.plugins.jdbc.urls import PostgresUrl
from legato.sdk import plugin

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


@plugin("io.kestra.plugin.jdbc.postgresql.Query", title="Query a PostgreSQL server.")
class Query(PooledPostgresConnection, QueryTask):
    pass


@plugin(
    "io.kestra.plugin.jdbc.postgresql.Queries",
    title="Run several queries on a PostgreSQL server.",
)
class Queries(PooledPostgresConnection, QueriesTask):
    pass


@plugin(
    "io.kestra.plugin.jdbc.postgresql.Trigger",
    title="Trigger a flow when a PostgreSQL query returns rows.",
)
class Trigger(PooledPostgresConnection, JdbcTrigger):
    pass


PLUGINS: list[type[Plugin]] = [Query, Queries, Trigger]

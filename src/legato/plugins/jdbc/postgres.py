"""``io.kestra.plugin.jdbc.postgresql``: Query, Queries, CopyIn, CopyOut and Trigger.

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
from legato.sdk import RunnableTask, plugin

SslMode = Literal["DISABLE", "ALLOW", "PREFER", "REQUIRE", "VERIFY_CA", "VERIFY_FULL"]
CopyFormat = Literal["TEXT", "CSV", "BINARY"]
Char = Annotated[str, Field(min_length=1, max_length=1)]


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


@plugin("io.kestra.plugin.jdbc.postgresql.CopyIn", title="Load a file into a PostgreSQL table.")
class CopyIn(Copy):
    from_: Dyn[str] = Field(alias="from")


@plugin(
    "io.kestra.plugin.jdbc.postgresql.CopyOut",
    title="Export a PostgreSQL table or query to a file.",
)
class CopyOut(Copy):
    sql: Dyn[str] | None = None


PLUGINS: list[type[Plugin]] = [Query, Queries, CopyIn, CopyOut, Trigger]

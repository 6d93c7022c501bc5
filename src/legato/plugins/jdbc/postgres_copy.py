"""``io.kestra.plugin.jdbc.postgresql.CopyIn|CopyOut``: PostgreSQL's ``COPY`` as tasks.

CopyIn/CopyOut map PostgreSQL's ``COPY`` options (``format`` TEXT|CSV|BINARY =TEXT,
``delimiter``, ``header``, ``quote``…); single-character options must be exactly one character.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.postgres import PostgresConnection
from legato.sdk import RunnableTask, plugin

CopyFormat = Literal["TEXT", "CSV", "BINARY"]
Char = Annotated[str, Field(min_length=1, max_length=1)]


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


PLUGINS: list[type[Plugin]] = [CopyIn, CopyOut]

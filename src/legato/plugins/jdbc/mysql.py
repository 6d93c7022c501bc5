"""``io.kestra.plugin.jdbc.mysql``: Query, Queries and Trigger.

``url`` (``jdbc:mysql://host[:port]/db``, checked when literal), ``username`` and ``password``;
the tasks add ``inputFile``, a ``kestra://`` file copied to the working directory so SQL can
``LOAD DATA LOCAL INFILE '{{ inputFile }}'``.
"""

from __future__ import annotations

from pydantic import BaseModel

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.jdbc.base import JdbcTrigger, QueriesTask, QueryTask
from legato.plugins.jdbc.urls import MySqlUrl
from legato.sdk import plugin


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
    pass


@plugin("io.kestra.plugin.jdbc.mysql.Queries", title="Run several queries on MySQL.")
class Queries(MySqlInputFile, QueriesTask):
    pass


@plugin(
    "io.kestra.plugin.jdbc.mysql.Trigger",
    title="Trigger a flow when a MySQL query returns rows.",
)
class Trigger(MySqlConnection, JdbcTrigger):
    pass


PLUGINS: list[type[Plugin]] = [Query, Queries, Trigger]

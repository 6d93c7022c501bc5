"""JDBC URL forms, checked when the ``url`` property is a literal (not an expression).

* PostgreSQL: ``jdbc:postgresql://host[:port][,host2[:port]…]/[database][?parameters]``; the
  database may be empty (Kestra's own examples connect to ``…:5432/``), the port is numeric, the
  ``/`` after the host is required (as pgjdbc requires it). pgjdbc's short forms
  ``jdbc:postgresql:database``, ``jdbc:postgresql:/`` and ``jdbc:postgresql://?service=…`` are
  accepted too.
* MySQL: ``jdbc:mysql://host[:port][/database][?parameters]`` (also the ``:loadbalance`` and
  ``:replication`` variants of Connector/J, and ``jdbc:mariadb://…``, which Kestra's MySQL tasks
  turn into ``jdbc:mysql://…`` before connecting).
* DuckDB: ``jdbc:duckdb:[path]``; an empty path is an in-memory database, ``md:db?…`` reaches
  MotherDuck.
* SQLite: ``jdbc:sqlite:path``; the path names the database file and may not be empty.

A wrong URL is rejected with a message naming the URL and the expected form. The ``check_*``
functions let an expression through (it is checked once rendered); the ``require_*`` ones, for
rendered URLs at run time, do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated
from urllib.parse import unquote

from pydantic import AfterValidator

from legato.model.property import Dyn, is_expression

_HOST = r"(?:\[[0-9A-Fa-f:.]+\]|[^\s/:?,\[\]]+)(?::\d{1,5})?"
_POSTGRES = re.compile(
    rf"^jdbc:postgresql:(?://{_HOST}(?:,{_HOST})*/[^\s?/]*|//(?=\?)|/|[^\s/?:]+)(?:\?\S*)?$"
)
_MYSQL = re.compile(
    rf"^jdbc:(?:mysql(?::loadbalance|:replication)?|mariadb)://(?:{_HOST}(?:,{_HOST})*)?(?:/[^\s?/]*)?"
    r"(?:\?\S*)?$"
)
_DUCKDB = re.compile(r"^jdbc:duckdb:\S*$")
_SQLITE = re.compile(r"^jdbc:sqlite:\S+$")

POSTGRES_FORM = "jdbc:postgresql://host[:port]/database[?parameters]"
MYSQL_FORM = "jdbc:mysql://host[:port][/database][?parameters]"
DUCKDB_FORM = "jdbc:duckdb:[path] (empty path = in-memory database)"
SQLITE_FORM = "jdbc:sqlite:path/to/file.db"


def _checker(
    pattern: re.Pattern[str], dialect: str, form: str, *, allow_expressions: bool = True
) -> Callable[[str], str]:
    def check(url: str) -> str:
        if (allow_expressions and is_expression(url)) or pattern.match(url):
            return url
        raise ValueError(f"'{url}' is not a {dialect} JDBC URL; expected the form {form}")

    return check


check_postgres_url = _checker(_POSTGRES, "PostgreSQL", POSTGRES_FORM)
check_mysql_url = _checker(_MYSQL, "MySQL", MYSQL_FORM)
check_duckdb_url = _checker(_DUCKDB, "DuckDB", DUCKDB_FORM)
check_sqlite_url = _checker(_SQLITE, "SQLite", SQLITE_FORM)

require_postgres_url = _checker(_POSTGRES, "PostgreSQL", POSTGRES_FORM, allow_expressions=False)
require_mysql_url = _checker(_MYSQL, "MySQL", MYSQL_FORM, allow_expressions=False)
require_duckdb_url = _checker(_DUCKDB, "DuckDB", DUCKDB_FORM, allow_expressions=False)
require_sqlite_url = _checker(_SQLITE, "SQLite", SQLITE_FORM, allow_expressions=False)

PostgresUrl = Dyn[Annotated[str, AfterValidator(check_postgres_url)]]
MySqlUrl = Dyn[Annotated[str, AfterValidator(check_mysql_url)]]
DuckDbUrl = Dyn[Annotated[str, AfterValidator(check_duckdb_url)]]
SqliteUrl = Dyn[Annotated[str, AfterValidator(check_sqlite_url)]]


def query_params(query: str) -> dict[str, str]:
    """The ``name=value`` pairs of a URL's query, decoded (a name alone has an empty value)."""
    params: dict[str, str] = {}
    for pair in query.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            params[unquote(name)] = unquote(value)
    return params


def host_port(part: str, default_port: int) -> tuple[str, int]:
    """``host[:port]`` or ``[ipv6][:port]`` as (host, port), ``default_port`` when none."""
    if part.startswith("["):
        host, _, port = part[1:].partition("]")
        port = port.removeprefix(":")
    else:
        host, _, port = part.partition(":")
    return host, int(port) if port else default_port

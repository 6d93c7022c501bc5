"""A rendered ``jdbc:mysql:`` URL, taken apart into what a MySQL client connects with.

Form (Connector/J's): ``jdbc:mysql://host[:port][,host[:port]…][/database][?params]`` (also
``jdbc:mysql:loadbalance://`` and ``jdbc:mysql:replication://``, and ``jdbc:mariadb://``, which
Kestra's MySQL tasks rewrite to ``jdbc:mysql://``). A host without a port uses
3306, no host means ``localhost``; IPv6 hosts are bracketed. With several hosts the first one is
used (a task run holds one connection; there is no failover).

Query parameters use Connector/J's names and are percent-decoded; ``user``, ``password`` and
``connectTimeout`` (milliseconds) are used, the others (``useSSL``, ``serverTimezone``…) are
ignored, as the connection is made by a Python client that has no counterpart for them.

Invariant: a URL that does not have the form raises ``ValueError`` naming the URL and the
expected form (the same check ``urls.py`` applies to literal URLs at validation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from legato.plugins.jdbc.urls import host_port, query_params, require_mysql_url

DEFAULT_PORT = 3306
DEFAULT_CONNECT_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class MySqlUrl:
    """Where a MySQL URL points: the host, port, database and Connector/J query parameters."""

    host: str = "localhost"
    port: int = DEFAULT_PORT
    database: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def address(self) -> str:
        """``host:port``, for messages."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def connect_timeout(self) -> float:
        """Seconds to wait for the server: ``connectTimeout`` (ms) when positive, else 10."""
        try:
            millis = int(self.params.get("connectTimeout", "0"))
        except ValueError:
            return DEFAULT_CONNECT_TIMEOUT_SECONDS
        return millis / 1000 if millis > 0 else DEFAULT_CONNECT_TIMEOUT_SECONDS


def parse_mysql_url(url: str) -> MySqlUrl:
    """Take ``url`` apart; a malformed one raises ``ValueError`` naming the expected form."""
    rest = require_mysql_url(url.strip()).split("//", 1)[1]
    rest, _, query = rest.partition("?")
    authority, _, database = rest.partition("/")
    params = query_params(query)
    first = authority.split(",")[0]
    if not first:
        return MySqlUrl(database=unquote(database) or None, params=params)
    host, port = host_port(first, DEFAULT_PORT)
    return MySqlUrl(host=host, port=port, database=unquote(database) or None, params=params)

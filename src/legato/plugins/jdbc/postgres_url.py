"""A rendered ``jdbc:postgresql:`` URL, taken apart into libpq connection parameters.

Forms (pgjdbc's): ``jdbc:postgresql://host[:port][,host[:port]…]/[database][?params]``,
``jdbc:postgresql:database``, ``jdbc:postgresql:/`` (localhost, default database) and
``jdbc:postgresql://?service=name``. A host without a port uses 5432; IPv6 hosts are bracketed.

Query parameters use pgjdbc's names and are percent-decoded; those libpq understands are mapped
(``user``, ``password``, ``ssl``, ``sslmode``, ``sslrootcert``, ``sslcert``, ``sslkey``,
``sslpassword``, ``ApplicationName``, ``connectTimeout``, ``options``, ``currentSchema``,
``service``); other pgjdbc parameters (``loginTimeout``, ``prepareThreshold``…) have no libpq
counterpart and are ignored, as pgjdbc ignores unknown ones. ``ssl=true`` without ``sslmode``
means ``verify-full`` (pgjdbc's rule).

Invariant: a URL that does not have one of the forms raises ``ValueError`` naming the URL and
the expected form (the same check ``urls.py`` applies to literal URLs at validation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from legato.plugins.jdbc.urls import host_port, query_params, require_postgres_url

DEFAULT_PORT = 5432
PREFIX = "jdbc:postgresql:"

_RENAMED = {
    "user": "user",
    "password": "password",
    "sslmode": "sslmode",
    "sslrootcert": "sslrootcert",
    "sslcert": "sslcert",
    "sslkey": "sslkey",
    "sslpassword": "sslpassword",
    "ApplicationName": "application_name",
    "applicationName": "application_name",
    "connectTimeout": "connect_timeout",
    "options": "options",
    "service": "service",
}


@dataclass(frozen=True)
class PostgresUrl:
    """Where a PostgreSQL URL points: hosts, database and pgjdbc query parameters."""

    hosts: tuple[tuple[str, int], ...] = (("localhost", DEFAULT_PORT),)
    database: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def address(self) -> str:
        """``host:port`` (comma-separated when several), for messages."""
        return ",".join(f"{host}:{port}" for host, port in self.hosts)

    def libpq_params(self) -> dict[str, str]:
        """The URL as libpq keyword parameters (``host``, ``port``, ``dbname``…)."""
        out: dict[str, str] = {}
        if self.hosts:
            out["host"] = ",".join(host for host, _ in self.hosts)
            out["port"] = ",".join(str(port) for _, port in self.hosts)
        if self.database:
            out["dbname"] = self.database
        for name, value in self.params.items():
            if name in _RENAMED:
                out[_RENAMED[name]] = value
        if self.params.get("ssl", "").lower() == "true" and "sslmode" not in out:
            out["sslmode"] = "verify-full"
        schema = self.params.get("currentSchema")
        if schema:
            out["options"] = join_options(out.get("options"), f"-c search_path={schema}")
        return out


def join_options(existing: str | None, extra: str) -> str:
    """libpq ``options`` with ``extra`` appended."""
    return f"{existing} {extra}" if existing else extra


def parse_postgres_url(url: str) -> PostgresUrl:
    """Take ``url`` apart; a malformed one raises ``ValueError`` naming the expected form."""
    rest = require_postgres_url(url.strip())[len(PREFIX) :]
    rest, _, query = rest.partition("?")
    params = query_params(query)
    if not rest.startswith("//"):
        database = rest.lstrip("/") or None
        return PostgresUrl(database=database, params=params)
    authority, _, database = rest[2:].partition("/")
    parts = authority.split(",") if authority else []
    hosts = tuple(host_port(part, DEFAULT_PORT) for part in parts)
    return PostgresUrl(hosts=hosts, database=unquote(database) or None, params=params)

"""Kestra's PostgreSQL datasource (a JDBC URL, username, password) as a SQLAlchemy URL.

``jdbc:postgresql://host:5432/kestra`` with username ``kestra`` becomes
``postgresql+psycopg://kestra@host:5432/kestra``. ``jdbc:postgresql:kestra`` (no host) means
localhost, as the JDBC driver reads it. Plain ``postgresql://`` URLs are accepted too (their
``user:password@`` fills what the datasource did not give).

Query parameters: ``user`` and ``password`` fill what the datasource did not give,
``currentSchema`` becomes libpq's ``options=-csearch_path=…``, ``ApplicationName`` and
``connectTimeout`` their libpq names; libpq's own parameters (``sslmode``…) pass through.
Any other parameter is refused by name (psycopg would refuse it when connecting).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode

JDBC_PREFIX = "jdbc:postgresql:"
_PLAIN_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")
_RENAMED = {"ApplicationName": "application_name", "connectTimeout": "connect_timeout"}
_LIBPQ = frozenset(
    {
        "sslmode",
        "sslcert",
        "sslkey",
        "sslrootcert",
        "sslpassword",
        "application_name",
        "connect_timeout",
        "options",
        "target_session_attrs",
        "gssencmode",
        "channel_binding",
    }
)


def sqlalchemy_url(url: str, username: str | None, password: str | None) -> str:
    """The ``postgresql+psycopg://`` URL of a Kestra PostgreSQL datasource.

    Raises ``ValueError`` saying what is wrong with ``url``.
    """
    rest = _after_scheme(url.strip())
    location, _, query = rest.partition("?")
    host, slash, database = location.partition("/")
    if not slash or not database:
        raise ValueError(f"'{url}' names no database; write jdbc:postgresql://host:5432/database")
    if "@" in host:
        written, _, host = host.rpartition("@")
        name, _, secret = written.partition(":")
        username, password = username or unquote(name), password or unquote(secret)
    params: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name == "user":
            username = username or value
        elif name == "password":
            password = password or value
        elif name == "currentSchema":
            params["options"] = f"-csearch_path={value}"
        elif name in _RENAMED or name in _LIBPQ:
            params[_RENAMED.get(name, name)] = value
        else:
            raise ValueError(
                f"the parameter '{name}' of '{url}' is not supported; "
                "use libpq parameters such as sslmode, or remove it"
            )
    userinfo = ""
    if username:
        userinfo = quote(username, safe="")
        if password:
            userinfo += ":" + quote(password, safe="")
        userinfo += "@"
    tail = f"?{urlencode(params)}" if params else ""
    return f"postgresql+psycopg://{userinfo}{host or 'localhost'}/{database}{tail}"


def _after_scheme(url: str) -> str:
    """``host:port/database?query`` of a JDBC or plain PostgreSQL URL."""
    if url.startswith(JDBC_PREFIX):
        rest = url[len(JDBC_PREFIX) :]
        return rest[2:] if rest.startswith("//") else "localhost/" + rest
    for prefix in _PLAIN_PREFIXES:
        if url.startswith(prefix):
            return url[len(prefix) :]
    raise ValueError(f"'{url}' is not a PostgreSQL URL; write jdbc:postgresql://host:5432/database")

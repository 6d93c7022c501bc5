"""Opening a PostgreSQL connection from a task's rendered connection properties.

``connect_postgres(ctx, task)`` is the one way JDBC PostgreSQL tasks (Query, Queries, CopyIn,
CopyOut) reach the server: it renders ``url``, ``username``, ``password``, ``ssl``, ``sslMode``
and the PEM properties of a ``PostgresConnection`` and returns an open, synchronous
``psycopg.Connection`` (autocommit off: the caller commits, or uses ``with conn:``).

Invariants:

* ``username``/``password`` properties win over ``user``/``password`` URL parameters.
* ``sslMode`` (VERIFY_CA → ``verify-ca``) wins over the URL's ``sslmode``; ``ssl: true`` alone
  means ``verify-full`` (pgjdbc's default once SSL is on). PEM contents of ``sslRootCert``,
  ``sslCert`` and ``sslKey`` are written to owner-only files in the task's working directory
  (removed with it) and passed to libpq by path; ``sslKeyPassword`` decrypts the key.
* ``time_zone`` (a task's ``timeZoneId``) becomes the session ``TimeZone``.
* Connecting gives up after 10 s unless the URL sets ``connectTimeout``.
* Failures raise ``TaskError``: a malformed URL (not retryable) names the expected form; a
  refused or failed connection names ``host:port`` and the database and says to check the url
  and credentials; an unknown time zone names ``timeZoneId``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.conninfo import make_conninfo

from legato.plugins.jdbc.postgres_url import PostgresUrl, parse_postgres_url
from legato.sdk.run_context import RunContext, TaskError

if TYPE_CHECKING:  # postgres.py imports this module to run its tasks
    from legato.plugins.jdbc.postgres import PostgresConnection

CONNECT_TIMEOUT_SECONDS = "10"

_PEM_FILES = {"sslRootCert": "sslrootcert", "sslCert": "sslcert", "sslKey": "sslkey"}


def connect_postgres(
    ctx: RunContext, task: PostgresConnection, *, time_zone: str | None = None
) -> psycopg.Connection[tuple[Any, ...]]:
    """Open a connection as ``task``'s properties describe (see the module invariants)."""
    target = _parse(ctx.render_string(task.url))
    params = target.libpq_params()
    params.update(_credentials(ctx, task))
    params.update(_ssl_params(ctx, task))
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    try:
        conn = psycopg.connect(make_conninfo("", **params))
    except psycopg.Error as error:
        raise TaskError(_connect_failure(target, params, error)) from error
    if time_zone:
        _set_time_zone(conn, time_zone)
    return conn


def _parse(url: str) -> PostgresUrl:
    try:
        return parse_postgres_url(url)
    except ValueError as error:
        raise TaskError(f"url: {error}", retryable=False) from error


def _credentials(ctx: RunContext, task: PostgresConnection) -> dict[str, str]:
    out: dict[str, str] = {}
    if task.username is not None:
        out["user"] = ctx.render_string(task.username)
    if task.password is not None:
        out["password"] = ctx.render_string(task.password)
    return out


def _ssl_params(ctx: RunContext, task: PostgresConnection) -> dict[str, str]:
    out: dict[str, str] = {}
    if task.sslMode is not None:
        out["sslmode"] = ctx.render_string(task.sslMode).lower().replace("_", "-")
    elif ctx.render_as(task.ssl, bool):
        out["sslmode"] = "verify-full"
    for prop, libpq_name in _PEM_FILES.items():
        pem = getattr(task, prop)
        if pem is not None:
            out[libpq_name] = str(_write_pem(ctx, prop, ctx.render_string(pem)))
    if task.sslKeyPassword is not None:
        out["sslpassword"] = ctx.render_string(task.sslKeyPassword)
    return out


def _write_pem(ctx: RunContext, prop: str, content: str) -> Path:
    folder = ctx.working_dir() / ".postgres-ssl"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{prop}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(content if content.endswith("\n") else content + "\n")
    return path


def _connect_failure(target: PostgresUrl, params: dict[str, str], error: psycopg.Error) -> str:
    database = params.get("dbname") or params.get("user") or "(default)"
    detail = str(error).strip() or type(error).__name__
    return (
        f"Cannot connect to PostgreSQL at {target.address} (database {database}): {detail}\n"
        "Check the task's url (host, port, database), username and password."
    )


def _set_time_zone(conn: psycopg.Connection[tuple[Any, ...]], time_zone: str) -> None:
    try:
        conn.execute("SELECT set_config('TimeZone', %s, false)", [time_zone])
        conn.commit()
    except psycopg.Error as error:
        conn.close()
        raise TaskError(
            f"timeZoneId: PostgreSQL does not know the time zone '{time_zone}' ({error}); "
            "use a name such as 'Europe/Paris' or 'UTC'.",
            retryable=False,
        ) from error

"""Opening connections to a MySQL (or MariaDB) server from a task's rendered connection properties.

``mysql_server(ctx, task)`` renders ``url``, ``username`` and ``password`` into a
``MySqlServer``; ``MySqlServer.connect`` opens a PyMySQL connection (auto-commit on, utf8mb4).
A task run opens one connection for its statements and, to cancel one, a second short-lived one
that sends ``KILL QUERY`` (``mysql_session.py``).

Invariants:

* ``username``/``password`` properties win over ``user``/``password`` URL parameters.
* ``session_zone`` (a fixed UTC offset) becomes the session ``time_zone`` (``+09:00``), so the
  wall times the server sends for ``TIMESTAMP`` columns are unambiguous; servers often lack the
  named time-zone tables, so a name is never sent.
* ``local_infile`` lets ``LOAD DATA LOCAL INFILE`` send client files (the session decides which).
* Connecting gives up after 10 s unless the URL sets ``connectTimeout`` (milliseconds).
* Failures raise ``TaskError``: a malformed URL (not retryable) names the expected form; a
  refused or failed connection names ``host:port`` and the database and says to check the url
  and credentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import pymysql

from legato.plugins.jdbc.mysql_url import MySqlUrl, parse_mysql_url
from legato.sdk.run_context import RunContext, TaskError

if TYPE_CHECKING:  # mysql.py imports this module to run its tasks
    from legato.plugins.jdbc.mysql import MySqlConnection


@dataclass(frozen=True)
class MySqlServer:
    """A MySQL server and the credentials a task reaches it with."""

    target: MySqlUrl
    user: str | None
    password: str | None

    def connect(
        self, *, session_zone: tzinfo | None = None, local_infile: bool = False
    ) -> pymysql.connections.Connection:
        """An open auto-commit connection (see the module invariants)."""
        init = f"SET time_zone = '{utc_offset(session_zone)}'" if session_zone else None
        try:
            return pymysql.connect(
                host=self.target.host,
                port=self.target.port,
                user=self.user,
                password=self.password or "",
                database=self.target.database,
                charset="utf8mb4",
                autocommit=True,
                local_infile=local_infile,
                connect_timeout=self.target.connect_timeout,
                init_command=init,
            )
        except pymysql.Error as error:
            raise TaskError(self._failure(error)) from error

    def _failure(self, error: pymysql.Error) -> str:
        database = self.target.database or "(none)"
        detail = error.args[1] if len(error.args) > 1 else str(error)
        return (
            f"Cannot connect to MySQL at {self.target.address} (database {database}): "
            f"{str(detail).strip() or type(error).__name__}\n"
            "Check the task's url (host, port, database), username and password."
        )


def mysql_server(ctx: RunContext, task: MySqlConnection) -> MySqlServer:
    """The server and credentials of ``task``'s rendered connection properties."""
    try:
        target = parse_mysql_url(ctx.render_string(task.url))
    except ValueError as error:
        raise TaskError(f"url: {error}", retryable=False) from error
    user = ctx.render_string(task.username) if task.username is not None else None
    password = ctx.render_string(task.password) if task.password is not None else None
    return MySqlServer(
        target,
        user if user is not None else target.params.get("user"),
        password if password is not None else target.params.get("password"),
    )


def utc_offset(zone: tzinfo, at: datetime | None = None) -> str:
    """``zone``'s offset from UTC at ``at`` (now by default) as MySQL writes it: ``+05:30``."""
    moment = at or datetime.now(zone)
    offset = zone.utcoffset(moment.replace(tzinfo=None)) or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"

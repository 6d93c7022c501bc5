"""Where a SQLite task's database file lives, and bringing it in and out of internal storage.

Invariants:

* ``jdbc:sqlite:name.db`` (a relative path) names a file in the task's working directory, so
  every task run starts from its own database unless ``sqliteFile`` provides one;
  ``jdbc:sqlite:/abs/path.db`` is that file; ``jdbc:sqlite::memory:`` (or ``:memory:``) is an
  in-memory database. URL parameters (``?…``) are ignored.
* ``sqliteFile`` (a ``kestra://`` URI, or inline content) is written to the URL's relative path
  in the working directory before the run; with an absolute path or an in-memory URL it fails.
* ``outputDbFile`` uploads the database file after the run → output ``databaseUri``.
"""

from __future__ import annotations

from pathlib import Path

from legato.plugins.jdbc.urls import require_sqlite_url
from legato.sdk.run_context import RunContext, TaskError

PREFIX = "jdbc:sqlite:"
MEMORY = ":memory:"


def database_path(ctx: RunContext, url: str) -> str:
    """The file (or ``:memory:``) a rendered SQLite URL designates."""
    try:
        rest = require_sqlite_url(url.strip())[len(PREFIX) :]
    except ValueError as error:
        raise TaskError(f"url: {error}", retryable=False) from None
    name = rest.split("?", 1)[0]
    if name in (MEMORY, f"file:{MEMORY}"):
        return MEMORY
    path = Path(name)
    return str(path if path.is_absolute() else ctx.working_dir() / path)


def place_sqlite_file(ctx: RunContext, database: str, source: str) -> None:
    """Write ``source`` (``kestra://`` URI or content) where the task's database is."""
    working = ctx.working_dir()
    target = Path(database)
    if database == MEMORY or not target.is_relative_to(working):
        raise TaskError(
            f"sqliteFile needs a url naming a relative file (jdbc:sqlite:my.db), not '{database}'",
            retryable=False,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.startswith("kestra://"):
        target.write_bytes(ctx.storage.get_bytes(source))
    else:
        target.write_text(source, encoding="utf-8")


def upload_database(ctx: RunContext, database: str) -> str:
    """Upload the database file; its ``kestra://`` URI."""
    path = Path(database)
    if database == MEMORY or not path.is_file():
        raise TaskError(
            f"outputDbFile: the database '{database}' is not a file; use a url such as "
            "jdbc:sqlite:my.db",
            retryable=False,
        )
    return ctx.storage.put_file(path, path.name)

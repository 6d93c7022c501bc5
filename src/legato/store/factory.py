"""Open the store a URL names: ``memory://``, ``sqlite:///path`` or ``postgresql://…``.

SQLite URLs follow SQLAlchemy: ``sqlite:///rel/legato.db`` is relative to the working
folder, ``sqlite:////abs/legato.db`` absolute (the ``+aiosqlite`` driver suffix is accepted).

Invariants: a SQL store is migrated before it is returned, so a fresh ``$LEGATO_HOME`` works;
the embedded default is ``$LEGATO_HOME/legato.db`` (``~/.legato`` when unset).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from legato._kernel.clock import Clock
from legato.errors import LegatoError
from legato.store.bundle import Store


class StoreURLError(LegatoError):
    """A store URL names no known database."""


def legato_home(env: Mapping[str, str] | None = None) -> Path:
    """``$LEGATO_HOME``, else ``~/.legato``, as an absolute path."""
    values = os.environ if env is None else env
    return Path(values.get("LEGATO_HOME") or "~/.legato").expanduser().absolute()


def default_sqlite_url(env: Mapping[str, str] | None = None) -> str:
    """The embedded database: ``sqlite:///$LEGATO_HOME/legato.db``."""
    return f"sqlite:///{legato_home(env) / 'legato.db'}"


async def open_store(url: str, *, clock: Clock | None = None) -> Store:
    """The store at ``url``, migrated; ``close()`` it when done."""
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme == "memory":
        from legato.store.memory import memory_store

        return memory_store(clock)
    if scheme in ("sqlite", "sqlite+aiosqlite"):
        if not rest.startswith("/") or rest in ("/", "/:memory:"):
            raise StoreURLError(
                f"store URL {url!r} names no database file: write sqlite:///relative/legato.db "
                "or sqlite:////absolute/legato.db"
            )
        from legato.store.sqlite import open_sqlite

        return await open_sqlite(Path(rest[1:]), clock)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        from legato.store.postgres import open_postgres

        return await open_postgres(url, clock)
    raise StoreURLError(
        f"unknown store URL {url!r}: use memory://, sqlite:///path/to/legato.db "
        "or postgresql://user@host:port/database"
    )

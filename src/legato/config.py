"""Settings: where Legato keeps its database and files, and how many worker threads it runs.

Read once by the CLI (never at import time) from ``LEGATO_*`` environment variables, with
command-line options taking precedence. Invariants:

* ``home`` is absolute; the database and storage default to paths inside it, so one
  ``LEGATO_HOME`` is one self-contained installation.
* ``database_url`` is a SQLAlchemy URL (``sqlite+aiosqlite:///…`` or
  ``postgresql+psycopg://…``) or ``memory://`` for the in-memory store.
* ``worker_threads`` ≥ 1.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

MEMORY_URL = "memory://"
DEFAULT_WORKER_THREADS = 8


@dataclass(frozen=True)
class Settings:
    """One installation's configuration."""

    home: Path
    database_url: str
    storage_path: Path
    worker_threads: int = DEFAULT_WORKER_THREADS

    def __post_init__(self) -> None:
        if self.worker_threads < 1:
            raise ValueError(
                f"worker threads must be at least 1, got {self.worker_threads}; "
                "set LEGATO_WORKER_THREADS to a positive number"
            )

    @classmethod
    def for_home(cls, home: Path, *, worker_threads: int = DEFAULT_WORKER_THREADS) -> Settings:
        """The defaults for an installation rooted at ``home``: SQLite and files inside it."""
        root = home.expanduser().absolute()
        return cls(
            home=root,
            database_url=sqlite_url(root / "legato.db"),
            storage_path=root / "storage",
            worker_threads=worker_threads,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``LEGATO_HOME``, ``LEGATO_DATABASE_URL``, ``LEGATO_STORAGE_PATH`` and
        ``LEGATO_WORKER_THREADS`` (defaults: ``~/.legato``, SQLite and storage under it, 8)."""
        values = os.environ if env is None else env
        home = Path(values.get("LEGATO_HOME") or "~/.legato")
        threads_text = values.get("LEGATO_WORKER_THREADS") or str(DEFAULT_WORKER_THREADS)
        try:
            threads = int(threads_text)
        except ValueError:
            raise ValueError(
                f"LEGATO_WORKER_THREADS must be a whole number, got {threads_text!r}"
            ) from None
        settings = cls.for_home(home, worker_threads=threads)
        if values.get("LEGATO_DATABASE_URL"):
            settings = replace(settings, database_url=values["LEGATO_DATABASE_URL"])
        if values.get("LEGATO_STORAGE_PATH"):
            storage = Path(values["LEGATO_STORAGE_PATH"]).expanduser().absolute()
            settings = replace(settings, storage_path=storage)
        return settings

    def with_home(self, home: Path) -> Settings:
        """These settings moved to another home (database and storage follow the home)."""
        return Settings.for_home(home, worker_threads=self.worker_threads)

    @property
    def is_memory(self) -> bool:
        """Whether the store lives in memory only (nothing survives the process)."""
        return self.database_url == MEMORY_URL


def sqlite_url(path: Path) -> str:
    """The async SQLAlchemy URL of a SQLite database file."""
    return f"sqlite+aiosqlite:///{path}"

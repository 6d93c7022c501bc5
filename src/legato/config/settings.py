"""``Settings``: one installation's resolved configuration, what bootstrap and the CLI consume.

Invariants:

* ``home`` is absolute; the database, the storage and the task working directories default
  to paths inside it, so one home is one self-contained installation.
* ``database_url`` is a SQLAlchemy URL (``sqlite+aiosqlite:///…`` or
  ``postgresql+psycopg://…``) or ``memory://`` for the in-memory store.
* ``worker_threads`` ≥ 1.
* ``plugin_defaults`` are the configured (global) plugin defaults, applied after a flow's own
  ``pluginDefaults`` to every flow parsed (see ``legato.model.parsing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from legato.model.plugin import PluginDefault
from legato.sdk.task_settings import DockerFallback, TaskSettings

MEMORY_URL = "memory://"
DEFAULT_WORKER_THREADS = 8
DEFAULT_HOME = Path("~/.legato")


@dataclass(frozen=True)
class Settings:
    """One installation's configuration."""

    home: Path
    database_url: str
    storage_path: Path
    worker_threads: int = DEFAULT_WORKER_THREADS
    #: where task runs get their working directories (``kestra.tasks.tmp-dir.path``);
    #: None means ``home/work``
    tmp_dir: Path | None = None
    plugin_defaults: tuple[PluginDefault, ...] = ()
    docker_fallback: DockerFallback = "process"

    def __post_init__(self) -> None:
        if self.worker_threads < 1:
            raise ValueError(
                f"worker threads must be at least 1, got {self.worker_threads}; "
                "set legato.worker-threads (or LEGATO_WORKER_THREADS) to a positive number"
            )

    @classmethod
    def for_home(cls, home: Path, *, worker_threads: int = DEFAULT_WORKER_THREADS) -> Settings:
        """The defaults for an installation rooted at ``home``: SQLite and files inside it."""
        root = absolute(home)
        return cls(
            home=root,
            database_url=sqlite_url(root / "legato.db"),
            storage_path=root / "storage",
            worker_threads=worker_threads,
        )

    @property
    def is_memory(self) -> bool:
        """Whether the store lives in memory only (nothing survives the process)."""
        return self.database_url == MEMORY_URL

    @property
    def work_root(self) -> Path:
        """The folder holding the working directories of task runs."""
        return self.tmp_dir if self.tmp_dir is not None else self.home / "work"

    @property
    def task_settings(self) -> TaskSettings:
        """What running tasks see of these settings."""
        return TaskSettings(docker_fallback=self.docker_fallback)


def absolute(path: Path) -> Path:
    """``path`` with ``~`` expanded, made absolute against the working folder."""
    return path.expanduser().absolute()


def sqlite_url(path: Path) -> str:
    """The async SQLAlchemy URL of a SQLite database file."""
    return f"sqlite+aiosqlite:///{path}"

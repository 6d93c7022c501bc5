"""Shared pieces of the JDBC task tests: the local PostgreSQL server, a killable fake
RunContext (the shared one of ``plugin_support``) and running a JDBC task on it.

The server comes from PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import plugin_support
import psycopg
import pytest
from plugin_support import fake_run_context_class

from legato.model.registry import PluginRegistry
from legato.plugins.jdbc import PLUGINS

PG_HOST = os.environ.get("PGHOST", "127.0.0.1")
PG_PORT = os.environ.get("PGPORT", "5432")
PG_USER = os.environ.get("PGUSER", "postgres")
REGISTRY = PluginRegistry(PLUGINS)


def killable_context(base: Path) -> Any:
    """A ``FakeRunContext`` whose ``wait_killed`` really waits, and that ``kill()`` ends (setting
    ``killed = True`` works too, as on the plain fake)."""

    class KillableContext(fake_run_context_class()):  # type: ignore[misc]
        def __post_init__(self) -> None:
            super().__post_init__()
            self.kill_event = threading.Event()

        def kill(self) -> None:
            self.killed = True
            self.kill_event.set()

        def is_killed(self) -> bool:
            return bool(self.killed) or self.kill_event.is_set()

        def wait_killed(self, timeout: float) -> bool:
            return self.is_killed() or self.kill_event.wait(timeout)

    return KillableContext(base)


def admin() -> psycopg.Connection[tuple[Any, ...]]:
    try:
        return psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
        )
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is unreachable at {PG_USER}@{PG_HOST}:{PG_PORT} ({error}); start it "
            "(e.g. `service postgresql start`) or point PGHOST/PGPORT/PGUSER at a server",
            pytrace=False,
        )


def run_task(ctx: Any, definition: dict[str, Any]) -> dict[str, Any]:
    """Validate ``definition`` (``id`` defaults to ``t``) as a JDBC task and run it on ``ctx``."""
    return plugin_support.run_task(REGISTRY, ctx, definition)

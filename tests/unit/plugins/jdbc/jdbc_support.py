"""Shared pieces of the JDBC task tests: the local PostgreSQL server and a fake RunContext.

The server comes from PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest

PG_HOST = os.environ.get("PGHOST", "127.0.0.1")
PG_PORT = os.environ.get("PGPORT", "5432")
PG_USER = os.environ.get("PGUSER", "postgres")


def run_support() -> Any:
    """The core plugins' ``run_support`` module (its ``FakeRunContext``)."""
    if "run_support" in sys.modules:
        return sys.modules["run_support"]
    path = Path(__file__).parents[1] / "core" / "run_support.py"
    spec = importlib.util.spec_from_file_location("run_support", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_support"] = module
    spec.loader.exec_module(module)
    return module


def killable_context(base: Path) -> Any:
    """A ``FakeRunContext`` whose ``wait_killed`` really waits, and that ``kill()`` ends (setting
    ``killed = True`` works too, as on the plain fake)."""

    class KillableContext(run_support().FakeRunContext):  # type: ignore[misc]
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
    from legato.model.plugin import ParseContext, PluginKind
    from legato.model.registry import PluginRegistry
    from legato.plugins.jdbc import PLUGINS

    registry = PluginRegistry(PLUGINS)
    cls = registry.get(PluginKind.TASK, definition["type"])
    task = cls.model_validate({"id": "t", **definition}, context=ParseContext(registry=registry))
    outputs: dict[str, Any] = task.run(ctx)  # type: ignore[attr-defined]
    return outputs

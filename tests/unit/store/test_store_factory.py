"""open_store: URL forms, migration on open of a fresh home, idempotent re-open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from legato.store.factory import StoreURLError, default_sqlite_url, open_store
from legato.store.postgres import driver_url
from legato.store.sql.migrate import HEAD

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_default_sqlite_url_lives_in_legato_home(tmp_path: Path) -> None:
    assert default_sqlite_url({"LEGATO_HOME": str(tmp_path)}) == f"sqlite:///{tmp_path}/legato.db"
    home = Path("~/.legato").expanduser()
    assert default_sqlite_url({}) == f"sqlite:///{home}/legato.db"


async def test_a_fresh_home_is_created_and_migrated(tmp_path: Path) -> None:
    url = default_sqlite_url({"LEGATO_HOME": str(tmp_path / "new-home")})
    store = await open_store(url)
    await store.flows.save("ns", "f", "id: f")
    await store.close()
    database = tmp_path / "new-home" / "legato.db"
    with sqlite3.connect(database) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        mode = conn.execute("PRAGMA journal_mode").fetchone()
    assert {"flows", "executions", "executor_events", "worker_jobs", "kv", "logs"} <= tables
    assert version == [(HEAD,)]
    assert mode == ("wal",)
    again = await open_store(f"sqlite+aiosqlite:///{database}")
    record = await again.flows.get("ns", "f")
    await again.close()
    assert record is not None and record.revision == 1


async def test_memory_url() -> None:
    store = await open_store("memory://")
    assert await store.flows.list() == []
    await store.close()


@pytest.mark.parametrize(
    "url", ["mysql://localhost/db", "sqlite://", "sqlite:///:memory:", "nothing"]
)
async def test_unknown_urls_say_what_to_write(url: str) -> None:
    with pytest.raises(StoreURLError, match="sqlite:///"):
        await open_store(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://postgres@127.0.0.1:5432/db",
            "postgresql+psycopg://postgres@127.0.0.1:5432/db",
        ),
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
    ],
)
def test_postgres_urls_use_psycopg(url: str, expected: str) -> None:
    assert driver_url(url) == expected

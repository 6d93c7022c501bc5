"""The Alembic migrations build exactly the tables of ``schema.metadata`` in both dialects."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import pg_url

from legato.store.factory import open_store
from legato.store.postgres import driver_url
from legato.store.sql.schema import metadata

pytestmark = pytest.mark.anyio


def _differences(url: str) -> list[object]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff: list[object] = compare_metadata(context, metadata)
            return diff
    finally:
        engine.dispose()


async def test_sqlite_migrations_match_the_schema(tmp_path: Path) -> None:
    store = await open_store(f"sqlite:///{tmp_path / 'legato.db'}")
    await store.close()
    assert _differences(f"sqlite:///{tmp_path / 'legato.db'}") == []


def test_postgres_migrations_match_the_schema(pg_template: str) -> None:
    assert _differences(driver_url(pg_url(pg_template))) == []


async def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'legato.db'}"
    for _ in range(2):
        store = await open_store(url)
        await store.close()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert versions == [("0002",)]


def test_head_names_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from legato.store.sql.migrate import HEAD, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


async def test_a_database_at_head_opens_without_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'legato.db'}"
    store = await open_store(url)
    await store.close()
    script = (
        "import asyncio, sys\n"
        "from legato.store.factory import open_store\n"
        "async def main():\n"
        f"    store = await open_store({url!r})\n"
        "    await store.close()\n"
        "asyncio.run(main())\n"
        "print('alembic' in sys.modules)\n"
    )
    opened = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert opened.stdout.strip() == "False"


async def test_a_database_of_the_first_revision_is_brought_to_head(tmp_path: Path) -> None:
    """An installation made before migration 0002 keeps its data and gains the new column."""
    from alembic import command
    from alembic.config import Config

    from legato.store.sql.migrate import HEAD, MIGRATIONS

    url = f"sqlite:///{tmp_path / 'legato.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            sa.text(
                "INSERT INTO worker_jobs (id, execution_id, task_run_id, payload)"
                " VALUES ('j1', 'e1', 'tr1', '{}')"
            )
        )
    engine.dispose()
    store = await open_store(url)
    assert await store.worker_queue.killed("w1") == []
    [old] = await store.worker_queue.claim("w1", 5)
    assert old.id == "j1"
    assert await store.worker_queue.cancel(["tr1"]) == ["tr1"]
    assert await store.worker_queue.killed("w1") == ["tr1"]
    await store.close()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert versions == [(HEAD,)]
    assert _differences(url) == []

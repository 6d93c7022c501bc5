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
    assert versions == [("0001",)]

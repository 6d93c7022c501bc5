"""Fixtures running each store contract on every adapter: memory, SQLite and PostgreSQL.

PostgreSQL: one template database per session is created and migrated, then cloned per test
with ``CREATE DATABASE … TEMPLATE`` (fast, and every test starts from an empty schema). The
server comes from PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres). These tests never
skip: an unreachable server fails them with a message saying how to start one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from legato._kernel.clock import FixedClock
from legato.store.bundle import Store
from legato.store.factory import open_store
from legato.store.memory import memory_store

ADAPTERS = ["memory", "sqlite", "postgres"]
START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _pg_settings() -> tuple[str, str, str]:
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = os.environ.get("PGPORT", "5432")
    user = os.environ.get("PGUSER", "postgres")
    return host, port, user


def pg_url(database: str) -> str:
    host, port, user = _pg_settings()
    return f"postgresql://{user}@{host}:{port}/{database}"


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    host, port, user = _pg_settings()
    try:
        return psycopg.connect(
            host=host, port=int(port), user=user, dbname="postgres", autocommit=True
        )
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is unreachable at {user}@{host}:{port} ({error}); start it "
            "(e.g. `service postgresql start`) or point PGHOST/PGPORT/PGUSER at a server",
            pytrace=False,
        )


def _in_thread(work: Callable[[], Awaitable[None]]) -> None:
    """Run a coroutine to completion on a private event loop (outside the test's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(work())).result()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated, empty database to clone for each PostgreSQL test."""
    name = f"legato_tpl_{os.getpid()}"
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    async def migrate() -> None:
        store = await open_store(pg_url(name))
        await store.close()

    _in_thread(migrate)
    yield name
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@dataclass
class Backend:
    """One adapter under test: its store, and how to open another client on the same data."""

    name: str
    store: Store
    open_another: Callable[[], Awaitable[Store]]
    others: list[Store] = field(default_factory=list)

    async def another(self) -> Store:
        """A second client (another process, for SQL adapters) on the same database."""
        other = await self.open_another()
        if other is not self.store:
            self.others.append(other)
        return other


@pytest.fixture(params=ADAPTERS)
async def backend(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock
) -> AsyncIterator[Backend]:
    name: str = request.param
    database: str | None = None
    if name == "memory":
        store = memory_store(clock)

        async def same() -> Store:
            return store

        opener = same
    else:
        if name == "sqlite":
            url = f"sqlite:///{tmp_path / 'legato.db'}"
        else:
            template = request.getfixturevalue("pg_template")
            database = f"legato_test_{uuid.uuid4().hex[:12]}"
            with _admin() as admin:
                admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
            url = pg_url(database)

        async def fresh() -> Store:
            return await open_store(url, clock=clock)

        opener = fresh
        store = await fresh()
    found = Backend(name, store, opener)
    yield found
    for other in found.others:
        await other.close()
    await store.close()
    if database is not None:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def store(backend: Backend) -> Store:
    return backend.store

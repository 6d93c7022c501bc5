"""Fixtures for running JDBC tasks: a fake ``RunContext`` and a real PostgreSQL database.

The database (``legato_jdbc_<pid>``) is created once per session on the local server and dropped
afterwards. These tests never skip: an unreachable server fails them with a message saying how
to start one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from jdbc_support import PG_HOST, PG_PORT, PG_USER, admin, killable_context


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """The name of a fresh database for this session."""
    name = f"legato_jdbc_{os.getpid()}"
    with admin() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """A JDBC URL of the session database."""
    return f"jdbc:postgresql://{PG_HOST}:{PG_PORT}/{pg_database}"


@pytest.fixture
def pg(pg_database: str) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A direct (autocommit) connection to the session database, to arrange and check."""
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=pg_database, autocommit=True
    ) as conn:
        yield conn


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    """A fake ``RunContext`` over a temporary directory (``kill()`` kills the task run)."""
    return killable_context(tmp_path)

"""Fixtures for running JDBC tasks: a fake ``RunContext``, a real PostgreSQL database and real
MySQL (MariaDB) databases.

The PostgreSQL database (``legato_jdbc_<pid>``) is created once per session on the local server
and dropped afterwards; each MySQL test gets its own database, dropped after it. These tests
never skip: an unreachable server fails them with a message saying how to start one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pymysql
import pytest
from jdbc_support import PG_HOST, PG_PORT, PG_USER, admin, killable_context
from mysql_support import MY_HOST, MY_PORT, my_admin


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


@pytest.fixture(scope="session")
def _mysql_local_infile() -> None:
    """Let the server accept ``LOAD DATA LOCAL`` (a global setting; no config file touched)."""
    with my_admin() as server, server.cursor() as cursor:
        cursor.execute("SET GLOBAL local_infile = 1")


@pytest.fixture
def my_database(_mysql_local_infile: None) -> Iterator[str]:
    """A fresh MySQL database for one test, dropped afterwards."""
    name = f"legato_jdbc_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with my_admin() as server, server.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}`")
    yield name
    with my_admin() as server, server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def my_url(my_database: str) -> str:
    """A JDBC URL of the test's MySQL database."""
    return f"jdbc:mysql://{MY_HOST}:{MY_PORT}/{my_database}"


@pytest.fixture
def my(my_database: str) -> Iterator[pymysql.connections.Connection]:
    """A direct (auto-commit, UTC) connection to the test's MySQL database."""
    with my_admin(my_database) as conn:
        yield conn

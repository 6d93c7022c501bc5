"""A PostgreSQL database of its own for a test module, created on entry and dropped on exit.

The server comes from PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres, trust auth). An
unreachable server fails the tests with a message saying how to start one: they never skip.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest


@dataclass(frozen=True)
class Server:
    """Where the PostgreSQL server listens and who connects."""

    host: str
    port: int
    user: str

    @classmethod
    def from_env(cls) -> Server:
        return cls(
            os.environ.get("PGHOST", "127.0.0.1"),
            int(os.environ.get("PGPORT", "5432")),
            os.environ.get("PGUSER", "postgres"),
        )

    def jdbc_url(self, database: str) -> str:
        """The JDBC URL a Kestra flow gives ``url``."""
        return f"jdbc:postgresql://{self.host}:{self.port}/{database}"

    def connect(self, database: str) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to ``database``; an unreachable server fails the test."""
        try:
            return psycopg.connect(
                host=self.host, port=self.port, user=self.user, dbname=database, autocommit=True
            )
        except psycopg.OperationalError as error:
            pytest.fail(
                f"PostgreSQL is unreachable at {self.user}@{self.host}:{self.port} ({error}); "
                "start it (e.g. `service postgresql start`) or set PGHOST/PGPORT/PGUSER",
                pytrace=False,
            )


@contextlib.contextmanager
def scratch_database(server: Server, prefix: str) -> Iterator[str]:
    """A new empty database named ``<prefix>_<random>``, dropped (forcibly) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with server.connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with server.connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

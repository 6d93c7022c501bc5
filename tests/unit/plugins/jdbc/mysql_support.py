"""The local MySQL (MariaDB) server of the MySQL task tests: where it is, and an admin connection.

The server comes from MYSQL_HOST/MYSQL_PORT/MYSQL_USER/MYSQL_PASSWORD (default 127.0.0.1:3306,
root, empty password); ``scripts/ensure-services`` starts it. An unreachable server fails the
tests with a message saying how to start one: they never skip.
"""

from __future__ import annotations

import os
from typing import Any

import pymysql
import pytest

MY_HOST = os.environ.get("MYSQL_HOST", "127.0.0.1")
MY_PORT = int(os.environ.get("MYSQL_PORT", "3306"))
MY_USER = os.environ.get("MYSQL_USER", "root")
MY_PASSWORD = os.environ.get("MYSQL_PASSWORD", "")


def my_admin(database: str | None = None) -> pymysql.connections.Connection:
    """An auto-commit connection as the admin user (session time zone UTC)."""
    try:
        return pymysql.connect(
            host=MY_HOST,
            port=MY_PORT,
            user=MY_USER,
            password=MY_PASSWORD,
            database=database,
            autocommit=True,
            charset="utf8mb4",
            init_command="SET time_zone = '+00:00'",
        )
    except pymysql.err.OperationalError as error:
        pytest.fail(
            f"MySQL/MariaDB is unreachable at {MY_USER}@{MY_HOST}:{MY_PORT} ({error}); run "
            "scripts/ensure-services or point MYSQL_HOST/MYSQL_PORT/MYSQL_USER at a server",
            pytrace=False,
        )


def one(conn: pymysql.connections.Connection, sql: str) -> Any:
    """The first row of ``sql``."""
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()

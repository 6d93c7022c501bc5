"""JDBC URL forms: what each dialect accepts literally, and the message for a wrong URL."""

from __future__ import annotations

import pytest

from legato.plugins.jdbc import urls


@pytest.mark.parametrize(
    "url",
    [
        "jdbc:postgresql://localhost:5432/db",
        "jdbc:postgresql://localhost/db",
        "jdbc:postgresql://127.0.0.1:56982/",
        "jdbc:postgresql://db.example.com:5432/app?sslmode=require&user=me",
        "jdbc:postgresql://h1:5432,h2:5433/app?targetServerType=primary",
        "jdbc:postgresql://[::1]:5432/app",
        "jdbc:postgresql:app",
        "jdbc:postgresql:/",
        "jdbc:postgresql://?service=myservice",
    ],
)
def test_valid_postgres_urls(url: str) -> None:
    assert urls.check_postgres_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://localhost:5432/db",
        "jdbc:postgres://localhost:5432/db",
        "jdbc:postgresql://localhost:port/db",
        "jdbc:postgresql://localhost:5432",
        "jdbc:postgresql:",
        "jdbc:postgresql://",
        "jdbc:mysql://localhost:3306/db",
        "jdbc:postgresql://local host/db",
    ],
)
def test_invalid_postgres_urls_name_the_expected_form(url: str) -> None:
    with pytest.raises(ValueError) as info:
        urls.check_postgres_url(url)
    assert f"'{url}'" in str(info.value)
    assert "jdbc:postgresql://host[:port]/database" in str(info.value)


@pytest.mark.parametrize(
    "url", ["jdbc:duckdb:", "jdbc:duckdb:/data/my.db", "jdbc:duckdb:md:my_db?motherduck_token=t"]
)
def test_valid_duckdb_urls(url: str) -> None:
    assert urls.check_duckdb_url(url) == url


@pytest.mark.parametrize("url", ["duckdb:", "jdbc:duck:", "jdbc:sqlite:x.db", "jdbc:duckdb:a b"])
def test_invalid_duckdb_urls(url: str) -> None:
    with pytest.raises(ValueError, match="jdbc:duckdb:"):
        urls.check_duckdb_url(url)


@pytest.mark.parametrize("url", ["jdbc:sqlite:myfile.db", "jdbc:sqlite:/tmp/x.sqlite"])
def test_valid_sqlite_urls(url: str) -> None:
    assert urls.check_sqlite_url(url) == url


@pytest.mark.parametrize("url", ["jdbc:sqlite:", "sqlite:myfile.db", "jdbc:duckdb:x.db"])
def test_invalid_sqlite_urls(url: str) -> None:
    with pytest.raises(ValueError, match="jdbc:sqlite:path"):
        urls.check_sqlite_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "jdbc:mysql://localhost:3306/db",
        "jdbc:mysql://localhost/db?useSSL=false",
        "jdbc:mysql://localhost:3306",
        "jdbc:mysql://h1:3306,h2:3307/db",
        "jdbc:mysql:loadbalance://h1,h2/db",
        "jdbc:mariadb://localhost:3306/db",
    ],
)
def test_valid_mysql_urls(url: str) -> None:
    assert urls.check_mysql_url(url) == url


@pytest.mark.parametrize(
    "url", ["mysql://localhost/db", "jdbc:mariadb:localhost/db", "jdbc:mysql:localhost/db"]
)
def test_invalid_mysql_urls(url: str) -> None:
    with pytest.raises(ValueError, match=r"jdbc:mysql://host\[:port\]"):
        urls.check_mysql_url(url)

"""Rendered PostgreSQL JDBC URLs become libpq parameters."""

from __future__ import annotations

import pytest

from legato.plugins.jdbc.postgres_url import parse_postgres_url


def test_host_port_database_and_parameters() -> None:
    url = parse_postgres_url(
        "jdbc:postgresql://db.example:6543/sales?user=ann&password=p%40ss&sslmode=require"
        "&ApplicationName=etl&connectTimeout=3&prepareThreshold=0"
    )
    assert url.address == "db.example:6543"
    assert url.libpq_params() == {
        "host": "db.example",
        "port": "6543",
        "dbname": "sales",
        "user": "ann",
        "password": "p@ss",
        "sslmode": "require",
        "application_name": "etl",
        "connect_timeout": "3",
    }


def test_default_port_several_hosts_and_ipv6() -> None:
    url = parse_postgres_url("jdbc:postgresql://a,[::1]:5433,b:7/")
    assert url.hosts == (("a", 5432), ("::1", 5433), ("b", 7))
    assert url.libpq_params() == {"host": "a,::1,b", "port": "5432,5433,7"}
    assert url.address == "a:5432,::1:5433,b:7"


def test_short_forms_reach_localhost() -> None:
    assert parse_postgres_url("jdbc:postgresql:shop").libpq_params() == {
        "host": "localhost",
        "port": "5432",
        "dbname": "shop",
    }
    assert parse_postgres_url("jdbc:postgresql:/").database is None
    service = parse_postgres_url("jdbc:postgresql://?service=main")
    assert service.libpq_params() == {"service": "main"}


def test_ssl_true_means_verify_full_unless_sslmode_is_given() -> None:
    assert parse_postgres_url("jdbc:postgresql://h/d?ssl=true").libpq_params()["sslmode"] == (
        "verify-full"
    )
    explicit = parse_postgres_url("jdbc:postgresql://h/d?ssl=true&sslmode=prefer")
    assert explicit.libpq_params()["sslmode"] == "prefer"


def test_current_schema_joins_options() -> None:
    url = parse_postgres_url("jdbc:postgresql://h/d?options=-c%20work_mem%3D8MB&currentSchema=s1")
    assert url.libpq_params()["options"] == "-c work_mem=8MB -c search_path=s1"


@pytest.mark.parametrize(
    "bad",
    [
        "jdbc:mysql://h/d",
        "postgresql://h/d",
        "jdbc:postgresql://h:port/d",
        "jdbc:postgresql://h",
        "jdbc:postgresql://{{ host }}/d",
    ],
)
def test_a_wrong_url_names_the_expected_form(bad: str) -> None:
    with pytest.raises(ValueError, match=r"expected the form jdbc:postgresql://host\[:port\]"):
        parse_postgres_url(bad)

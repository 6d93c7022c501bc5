"""Taking rendered ``jdbc:mysql:`` URLs apart."""

from __future__ import annotations

import pytest

from legato.plugins.jdbc.mysql_url import MySqlUrl, parse_mysql_url


def test_host_port_database_and_parameters() -> None:
    url = parse_mysql_url("jdbc:mysql://db.example:3307/sales?user=me&password=p%40ss&useSSL=false")
    assert url == MySqlUrl(
        host="db.example",
        port=3307,
        database="sales",
        params={"user": "me", "password": "p@ss", "useSSL": "false"},
    )
    assert url.address == "db.example:3307"


def test_defaults_without_port_database_or_host() -> None:
    assert parse_mysql_url("jdbc:mysql://127.0.0.1/") == MySqlUrl(host="127.0.0.1")
    assert parse_mysql_url("jdbc:mysql://h") == MySqlUrl(host="h")
    assert parse_mysql_url("jdbc:mysql:///db") == MySqlUrl(host="localhost", database="db")


def test_first_of_several_hosts_and_ipv6() -> None:
    url = parse_mysql_url("jdbc:mysql:loadbalance://a:1,b:2/db")
    assert (url.host, url.port, url.database) == ("a", 1, "db")
    v6 = parse_mysql_url("jdbc:mysql://[::1]:3310/db")
    assert (v6.host, v6.port, v6.address) == ("::1", 3310, "[::1]:3310")


def test_connect_timeout_is_in_milliseconds() -> None:
    assert parse_mysql_url("jdbc:mysql://h/db?connectTimeout=2500").connect_timeout == 2.5
    assert parse_mysql_url("jdbc:mysql://h/db?connectTimeout=0").connect_timeout == 10.0
    assert parse_mysql_url("jdbc:mysql://h/db?connectTimeout=soon").connect_timeout == 10.0


def test_mariadb_scheme_reaches_the_same_server() -> None:
    assert parse_mysql_url("jdbc:mariadb://h:3307/db") == MySqlUrl(
        host="h", port=3307, database="db"
    )


@pytest.mark.parametrize("url", ["jdbc:mariadb:h/db", "mysql://h/db", "jdbc:mysql:h"])
def test_other_forms_are_refused_with_the_expected_form(url: str) -> None:
    with pytest.raises(ValueError, match="expected the form jdbc:mysql://host"):
        parse_mysql_url(url)

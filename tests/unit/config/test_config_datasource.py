"""``config.datasource``: Kestra's JDBC PostgreSQL datasource as a SQLAlchemy URL."""

from __future__ import annotations

import pytest

from legato.config.datasource import sqlalchemy_url


@pytest.mark.parametrize(
    ("url", "username", "password", "expected"),
    [
        ("jdbc:postgresql://postgres:5432/kestra", "kestra", "k3str4",
         "postgresql+psycopg://kestra:k3str4@postgres:5432/kestra"),
        ("jdbc:postgresql://db/kestra", None, None, "postgresql+psycopg://db/kestra"),
        ("jdbc:postgresql:kestra", "u", None, "postgresql+psycopg://u@localhost/kestra"),
        ("jdbc:postgresql://h/d", "a@b", "p:w/?", "postgresql+psycopg://a%40b:p%3Aw%2F%3F@h/d"),
        ("jdbc:postgresql://h/d?user=u&password=p", None, None, "postgresql+psycopg://u:p@h/d"),
        ("jdbc:postgresql://h/d?user=q", "u", None, "postgresql+psycopg://u@h/d"),
        ("jdbc:postgresql://h/d?sslmode=require&ApplicationName=legato", None, None,
         "postgresql+psycopg://h/d?sslmode=require&application_name=legato"),
        ("jdbc:postgresql://h/d?currentSchema=etl", None, None,
         "postgresql+psycopg://h/d?options=-csearch_path%3Detl"),
        ("postgresql://u:p@h:5433/d", None, None, "postgresql+psycopg://u:p@h:5433/d"),
        ("postgresql+psycopg://u@h/d", None, "p", "postgresql+psycopg://u:p@h/d"),
    ],
)  # fmt: skip
def test_datasource_urls(
    url: str, username: str | None, password: str | None, expected: str
) -> None:
    assert sqlalchemy_url(url, username, password) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("jdbc:mysql://h/d", "'jdbc:mysql://h/d' is not a PostgreSQL URL"),
        ("jdbc:postgresql://h", "'jdbc:postgresql://h' names no database"),
        ("jdbc:postgresql://h/d?prepareThreshold=0", "the parameter 'prepareThreshold'"),
    ],
)
def test_unusable_urls_say_why(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sqlalchemy_url(url, None, None)

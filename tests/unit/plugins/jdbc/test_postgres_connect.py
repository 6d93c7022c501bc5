"""Opening PostgreSQL connections from rendered task properties (real server)."""

from __future__ import annotations

import socket
import stat
from typing import Any

import pytest
from jdbc_support import PG_HOST, PG_PORT, PG_USER

from legato.plugins.jdbc.postgres import Query
from legato.plugins.jdbc.postgres_connect import connect_postgres
from legato.sdk.run_context import TaskError


def task(**props: Any) -> Query:
    return Query.model_validate({"id": "q", "type": Query.plugin_type, "sql": "select 1", **props})


def test_connects_with_rendered_url_and_username(ctx: Any, pg_database: str) -> None:
    ctx.variables["db"] = pg_database
    query = task(url=f"jdbc:postgresql://{PG_HOST}:{PG_PORT}/{{{{ db }}}}", username=PG_USER)
    with connect_postgres(ctx, query) as conn:
        assert conn.execute("select current_database(), current_user").fetchone() == (
            pg_database,
            PG_USER,
        )
        assert conn.autocommit is False


def test_username_property_wins_over_url_user(ctx: Any, pg_url: str) -> None:
    query = task(url=f"{pg_url}?user=nobody_here", username=PG_USER)
    with connect_postgres(ctx, query) as conn:
        assert conn.execute("select current_user").fetchone() == (PG_USER,)


def test_time_zone_becomes_the_session_time_zone(ctx: Any, pg_url: str) -> None:
    with connect_postgres(ctx, task(url=pg_url, username=PG_USER), time_zone="Asia/Tokyo") as conn:
        assert conn.execute("show timezone").fetchone() == ("Asia/Tokyo",)


def test_unknown_time_zone_is_named(ctx: Any, pg_url: str) -> None:
    with pytest.raises(TaskError, match=r"timeZoneId: .*'Mars/Olympus'") as info:
        connect_postgres(ctx, task(url=pg_url, username=PG_USER), time_zone="Mars/Olympus")
    assert info.value.retryable is False


def test_refused_connection_names_host_port_and_what_to_check(ctx: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    query = task(url=f"jdbc:postgresql://127.0.0.1:{free_port}/shop", username=PG_USER)
    with pytest.raises(TaskError) as info:
        connect_postgres(ctx, query)
    message = str(info.value)
    assert f"Cannot connect to PostgreSQL at 127.0.0.1:{free_port} (database shop)" in message
    assert "Check the task's url (host, port, database), username and password." in message


def test_unknown_database_fails_with_the_server_message(ctx: Any) -> None:
    query = task(url=f"jdbc:postgresql://{PG_HOST}:{PG_PORT}/no_such_db_xyz", username=PG_USER)
    with pytest.raises(TaskError, match='database "no_such_db_xyz" does not exist'):
        connect_postgres(ctx, query)


def test_rendered_url_of_the_wrong_form_is_not_retryable(ctx: Any) -> None:
    ctx.variables["u"] = "jdbc:mysql://h/d"
    with pytest.raises(TaskError, match="url: 'jdbc:mysql://h/d' is not a PostgreSQL") as info:
        connect_postgres(ctx, task(url="{{ u }}"))
    assert info.value.retryable is False


def test_pem_properties_are_written_owner_only_and_ssl_mode_is_mapped(ctx: Any) -> None:
    query = task(
        url=f"jdbc:postgresql://{PG_HOST}:{PG_PORT}/postgres",
        username=PG_USER,
        sslMode="VERIFY_CA",
        sslRootCert="-----BEGIN CERTIFICATE-----\nnot a real one\n-----END CERTIFICATE-----",
        sslKey="key",
    )
    with pytest.raises(TaskError, match="Cannot connect to PostgreSQL") as info:
        connect_postgres(ctx, query)  # the server has no SSL, and verify-ca demands it
    assert "SSL" in str(info.value) or "certificate" in str(info.value)
    folder = ctx.working_dir() / ".postgres-ssl"
    root = folder / "sslRootCert.pem"
    assert root.read_text().endswith("-----END CERTIFICATE-----\n")
    assert stat.S_IMODE((folder / "sslKey.pem").stat().st_mode) == 0o600


def test_ssl_true_alone_requires_verified_ssl(ctx: Any, pg_url: str) -> None:
    with pytest.raises(TaskError, match="Cannot connect to PostgreSQL"):
        connect_postgres(ctx, task(url=pg_url, username=PG_USER, ssl=True))

"""``config.kestra_yaml``: Kestra's keys and the ``legato:`` section become a ``Layer``."""

from __future__ import annotations

from pathlib import Path

import pytest

from legato.config.document import ConfigDocument
from legato.config.errors import ConfigError
from legato.config.kestra_yaml import layer_of
from legato.config.layers import EMBEDDED, Layer
from legato.model.plugin import PluginDefault


def layer(text: str, env: dict[str, str] | None = None) -> Layer:
    document = ConfigDocument.parse(text, "conf.yml", env or {})
    assert document is not None
    return layer_of(document)


def failure(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        layer(text)
    return info.value.message


def test_keys_legato_does_not_use_are_ignored() -> None:
    text = """\
kestra:
  server: {basicAuth: {enabled: false, username: a, password: b}}
  queue: {type: postgres}
  url: http://localhost:8080/
  encryption: {secret-key: abc}
  anything: [1, 2]
micronaut: {server: {port: 8080}}
"""
    assert layer(text) == Layer()


@pytest.mark.parametrize("kind", ["h2", "memory", "H2"])
def test_embedded_repositories_use_the_sqlite_database_of_the_home(kind: str) -> None:
    assert layer(f"kestra:\n  repository:\n    type: {kind}\n").database is EMBEDDED


def test_a_postgres_repository_uses_the_datasource_with_placeholders() -> None:
    text = """\
datasources:
  postgres:
    url: jdbc:postgresql://${PG_HOST:localhost}:5432/kestra
    username: kestra
    password: ${PG_PASSWORD}
kestra:
  repository:
    type: postgres
"""
    found = layer(text, {"PG_PASSWORD": "pw"}).database
    assert found == "postgresql+psycopg://kestra:pw@localhost:5432/kestra"


def test_a_datasource_alone_does_not_choose_the_repository() -> None:
    assert layer("datasources:\n  postgres:\n    url: jdbc:postgresql://h/d\n") == Layer()


def test_an_unsupported_repository_lists_what_is() -> None:
    assert failure("kestra:\n  repository:\n    type: mysql\n") == (
        "conf.yml:3:5: kestra.repository.type: expected one of 'postgres', 'h2', 'memory', "
        "got 'mysql'"
    )


def test_a_postgres_repository_needs_a_datasource_url() -> None:
    message = failure("kestra:\n  repository:\n    type: postgres\n")
    assert message.startswith(
        "conf.yml:3:5: kestra.repository.type: 'postgres' needs datasources.postgres.url"
    )


def test_a_bad_datasource_url_is_located() -> None:
    text = (
        "datasources:\n  postgres:\n    url: jdbc:mysql://h/d\n"
        "kestra: {repository: {type: postgres}}\n"
    )
    assert failure(text).startswith(
        "conf.yml:3:5: datasources.postgres.url: 'jdbc:mysql://h/d' is not a PostgreSQL URL"
    )


def test_local_storage_and_the_task_folder() -> None:
    text = """\
kestra:
  storage:
    type: local
    local:
      base-path: /app/storage
  tasks:
    tmp-dir:
      path: /tmp/kestra-wd/tmp
"""
    assert layer(text) == Layer(
        storage_path=Path("/app/storage"), tmp_dir=Path("/tmp/kestra-wd/tmp")
    )


def test_other_storage_types_are_refused() -> None:
    assert "kestra.storage.type: expected one of 'local', got 'gcs'" in failure(
        "kestra:\n  storage:\n    type: gcs\n"
    )


def test_plugin_defaults_then_the_older_task_defaults() -> None:
    text = """\
kestra:
  plugins:
    defaults:
      - type: io.kestra.plugin.jdbc.postgresql
        forced: true
        values:
          url: jdbc:postgresql://forced/db
          sql: "select '${not_a_placeholder}'"
  tasks:
    defaults:
      - type: io.kestra.plugin.core.log.Log
        values: {level: ERROR}
"""
    assert layer(text).plugin_defaults == (
        PluginDefault(
            "io.kestra.plugin.jdbc.postgresql",
            {"url": "jdbc:postgresql://forced/db", "sql": "select '${not_a_placeholder}'"},
            True,
        ),
        PluginDefault("io.kestra.plugin.core.log.Log", {"level": "ERROR"}, False),
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- values: {a: 1}", "kestra.plugins.defaults[0]: a plugin default needs a 'type'"),
        ("- type: x", "kestra.plugins.defaults[0]: a plugin default needs 'values'"),
        ("- {type: x, values: 3}", "kestra.plugins.defaults[0].values: expected a mapping"),
        ("- {type: x, values: {}, forced: maybe}", "forced: expected true or false"),
        ("- just text", "kestra.plugins.defaults[0]: expected a mapping of settings"),
    ],
)
def test_malformed_plugin_defaults_are_located(entry: str, message: str) -> None:
    found = failure(f"kestra:\n  plugins:\n    defaults:\n      {entry}\n")
    assert found.startswith("conf.yml:4:")
    assert message in found


def test_the_legato_section() -> None:
    text = """\
legato:
  home: /srv/legato
  databaseUrl: memory://
  storage-path: /srv/files
  worker-threads: 2
  tasks:
    docker-fallback: fail
"""
    assert layer(text) == Layer(
        home=Path("/srv/legato"),
        database="memory://",
        storage_path=Path("/srv/files"),
        worker_threads=2,
        docker_fallback="fail",
    )


def test_legato_keys_win_over_kestra_keys_in_one_document() -> None:
    text = """\
kestra: {repository: {type: h2}, storage: {local: {base-path: /kestra}}}
legato: {database-url: "memory://", storage-path: /legato}
"""
    found = layer(text)
    assert (found.database, found.storage_path) == ("memory://", Path("/legato"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("legato: {worker-threads: 0}", "legato.worker-threads: expected a whole number"),
        ("legato: {tasks: {docker-fallback: docker}}", "expected one of 'process', 'fail'"),
        ("legato: {database-url: ''}", "legato.database-url: expected a database URL"),
    ],
)
def test_bad_legato_values_are_located(text: str, message: str) -> None:
    found = failure(text + "\n")
    assert found.startswith("conf.yml:1:")
    assert message in found

"""``config.load_settings``: the sources, their precedence and Kestra's Docker configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from legato.config import MEMORY_URL, ConfigError, Layer, Settings, load_settings, sqlite_url
from legato.model.plugin import PluginDefault

ZOOMCAMP = """\
datasources:
  postgres:
    url: jdbc:postgresql://postgres:5432/kestra
    driverClassName: org.postgresql.Driver
    username: kestra
    password: k3str4
kestra:
  server:
    basicAuth:
      enabled: false
      username: "admin@kestra.io"
      password: kestra
  repository:
    type: postgres
  storage:
    type: local
    local:
      basePath: "/app/storage"
  queue:
    type: postgres
  tasks:
    tmpDir:
      path: /tmp/kestra-wd/tmp
  url: http://localhost:8080/
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_live_under_the_home(tmp_path: Path) -> None:
    settings = load_settings({"LEGATO_HOME": str(tmp_path)})
    assert settings == Settings.for_home(tmp_path)
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'legato.db'}"
    assert settings.storage_path == tmp_path / "storage"
    assert settings.work_root == tmp_path / "work"
    assert settings.worker_threads == 8
    assert settings.plugin_defaults == ()
    assert settings.docker_fallback == "process"
    assert not settings.is_memory


def test_home_defaults_to_dot_legato_in_the_user_folder() -> None:
    assert load_settings({}).home == Path.home() / ".legato"


def test_legato_variables(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "LEGATO_HOME": str(tmp_path),
            "LEGATO_DATABASE_URL": MEMORY_URL,
            "LEGATO_STORAGE_PATH": str(tmp_path / "files"),
            "LEGATO_WORKER_THREADS": "3",
            "LEGATO_TMP_DIR": str(tmp_path / "tmp"),
            "LEGATO_DOCKER_FALLBACK": "FAIL",
        }
    )
    assert settings.is_memory
    assert settings.storage_path == tmp_path / "files"
    assert settings.worker_threads == 3
    assert settings.work_root == tmp_path / "tmp"
    assert settings.task_settings.docker_fallback == "fail"


@pytest.mark.parametrize("threads", ["0", "-2", "many"])
def test_worker_threads_must_be_a_positive_whole_number(threads: str) -> None:
    with pytest.raises(ConfigError, match="LEGATO_WORKER_THREADS: expected a whole number"):
        load_settings({"LEGATO_WORKER_THREADS": threads})


def test_an_unknown_docker_fallback_is_refused() -> None:
    with pytest.raises(ConfigError, match="LEGATO_DOCKER_FALLBACK: expected 'process' or 'fail'"):
        load_settings({"LEGATO_DOCKER_FALLBACK": "docker"})


def test_the_zoomcamp_kestra_configuration(tmp_path: Path) -> None:
    settings = load_settings({"KESTRA_CONFIGURATION": ZOOMCAMP, "LEGATO_HOME": str(tmp_path)})
    assert settings.database_url == "postgresql+psycopg://kestra:k3str4@postgres:5432/kestra"
    assert settings.storage_path == Path("/app/storage")
    assert settings.work_root == Path("/tmp/kestra-wd/tmp")
    assert settings.home == tmp_path


def test_precedence_options_then_flag_then_file_variable_then_inline_then_legato_vars(
    tmp_path: Path,
) -> None:
    def threads(count: int) -> str:
        return f"legato:\n  worker-threads: {count}\n"

    env = {
        "LEGATO_WORKER_THREADS": "1",
        "KESTRA_CONFIGURATION": threads(2),
        "LEGATO_CONFIG": str(write(tmp_path, "env.yml", threads(3))),
    }
    flag = write(tmp_path, "flag.yml", threads(4))
    assert load_settings({"LEGATO_WORKER_THREADS": "1"}).worker_threads == 1
    assert load_settings({k: env[k] for k in list(env)[:2]}).worker_threads == 2
    assert load_settings(env).worker_threads == 3
    assert load_settings(env, config_file=flag).worker_threads == 4
    options = Layer(worker_threads=5)
    assert load_settings(env, config_file=flag, options=options).worker_threads == 5


def test_a_higher_source_keeps_what_it_does_not_set(tmp_path: Path) -> None:
    flag = write(tmp_path, "flag.yml", "kestra:\n  tasks:\n    tmpDir:\n      path: /w\n")
    settings = load_settings({"KESTRA_CONFIGURATION": ZOOMCAMP}, config_file=flag)
    assert settings.work_root == Path("/w")
    assert settings.storage_path == Path("/app/storage")


def test_a_home_option_moves_only_what_no_source_set(tmp_path: Path) -> None:
    env = {"LEGATO_HOME": str(tmp_path / "a"), "LEGATO_STORAGE_PATH": str(tmp_path / "files")}
    settings = load_settings(env, options=Layer(home=tmp_path / "b"))
    assert settings.home == tmp_path / "b"
    assert settings.database_url == sqlite_url(tmp_path / "b" / "legato.db")
    assert settings.storage_path == tmp_path / "files"


def test_an_embedded_repository_replaces_a_lower_database_url(tmp_path: Path) -> None:
    env = {
        "LEGATO_HOME": str(tmp_path),
        "LEGATO_DATABASE_URL": "postgresql+psycopg://x@h/db",
        "KESTRA_CONFIGURATION": "kestra:\n  repository:\n    type: h2\n",
    }
    assert load_settings(env).database_url == sqlite_url(tmp_path / "legato.db")


def test_global_plugin_defaults_come_from_the_configuration(tmp_path: Path) -> None:
    text = (
        "kestra:\n  plugins:\n    defaults:\n"
        "      - type: io.kestra.plugin.core.log.Log\n        values:\n          level: ERROR\n"
    )
    settings = load_settings({}, config_file=write(tmp_path, "c.yml", text))
    assert settings.plugin_defaults == (
        PluginDefault("io.kestra.plugin.core.log.Log", {"level": "ERROR"}, False),
    )


@pytest.mark.parametrize("variable", [True, False])
def test_a_missing_configuration_file_names_it_and_its_source(
    tmp_path: Path, variable: bool
) -> None:
    missing = tmp_path / "nope.yml"
    given = "LEGATO_CONFIG" if variable else "--config"
    with pytest.raises(ConfigError) as info:
        if variable:
            load_settings({"LEGATO_CONFIG": str(missing)})
        else:
            load_settings({}, config_file=missing)
    assert info.value.message == (
        f"{missing}: the configuration file given by {given} does not exist; check the path"
    )


def test_an_unreadable_configuration_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the configuration file given by --config"):
        load_settings({}, config_file=tmp_path)


def test_an_inline_configuration_error_names_the_variable_and_line() -> None:
    text = "kestra:\n  storage:\n    type: s3\n"
    with pytest.raises(ConfigError) as info:
        load_settings({"KESTRA_CONFIGURATION": text})
    assert info.value.message.startswith("KESTRA_CONFIGURATION:3:5: kestra.storage.type: ")
    assert "expected one of 'local', got 's3'" in info.value.message


def test_an_empty_configuration_sets_nothing(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.yml", "# nothing yet\n")
    settings = load_settings({"LEGATO_HOME": str(tmp_path)}, config_file=empty)
    assert settings == Settings.for_home(tmp_path)

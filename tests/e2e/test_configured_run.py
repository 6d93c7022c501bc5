"""``legato run`` configured the Kestra way: ``KESTRA_CONFIGURATION`` places the storage and the
task working directories and forces a plugin default; the Zoomcamp's PostgreSQL datasource
stores the run in a real (scratch) database; ``legato.tasks.docker-fallback: fail`` fails a task
that asks for Docker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from examples_support.scratch_database import Server, scratch_database
from typer.testing import CliRunner

from legato.cli.main import app

FLOW = """\
id: configured
namespace: e2e.config
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: written by the flow
  - id: where
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - pwd
"""

DOCKER_FLOW = """\
id: docker
namespace: e2e.config
tasks:
  - id: boxed
    type: io.kestra.plugin.scripts.shell.Commands
    containerImage: ubuntu:22.04
    commands:
      - echo should not run
"""


def kestra_configuration(root: Path) -> str:
    return f"""\
kestra:
  repository:
    type: h2
  queue:
    type: h2
  storage:
    type: local
    local:
      basePath: "{root / "storage"}"
  tasks:
    tmpDir:
      path: "{root / "wd"}"
  plugins:
    defaults:
      - type: io.kestra.plugin.core.storage.Write
        forced: true
        values:
          content: forced by the configuration
"""


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("LEGATO_CONFIG", "LEGATO_DATABASE_URL", "LEGATO_STORAGE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LEGATO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KESTRA_CONFIGURATION", kestra_configuration(tmp_path))
    return CliRunner()


def test_storage_working_directories_and_forced_defaults_come_from_kestra_configuration(
    runner: CliRunner, tmp_path: Path
) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text(FLOW, encoding="utf-8")
    result = runner.invoke(app, ["run", str(flow), "--json"])
    assert result.exit_code == 0, result.output
    execution = json.loads(result.stdout)
    runs = {run["taskId"]: run for run in execution["taskRunList"]}
    uri = runs["write"]["outputs"]["uri"]
    stored = tmp_path / "storage" / uri.removeprefix("kestra:///")
    assert stored.read_text(encoding="utf-8") == "forced by the configuration"
    assert (tmp_path / "home" / "legato.db").is_file()
    assert not (tmp_path / "home" / "storage").exists()
    plain = runner.invoke(app, ["run", str(flow)])
    assert plain.exit_code == 0, plain.output
    assert f"{tmp_path / 'wd'}/legato-" in plain.output


def test_a_fail_docker_fallback_fails_the_task_that_asks_for_docker(
    runner: CliRunner, tmp_path: Path
) -> None:
    flow = tmp_path / "docker.yaml"
    flow.write_text(DOCKER_FLOW, encoding="utf-8")
    config = tmp_path / "legato.yml"
    config.write_text("legato:\n  tasks:\n    docker-fallback: fail\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "run", str(flow)])
    assert result.exit_code == 1, result.output
    assert "boxed FAILED" in result.output
    assert "image 'ubuntu:22.04'" in result.output
    assert "the Docker fallback is 'fail'" in result.output
    assert "should not run" not in result.output.replace("echo should not run", "")


def test_the_zoomcamp_postgres_datasource_stores_the_run(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = Server.from_env()
    flow = tmp_path / "flow.yaml"
    flow.write_text(FLOW, encoding="utf-8")
    with scratch_database(server, "legato_config") as name:
        configuration = f"""\
datasources:
  postgres:
    url: {server.jdbc_url(name)}
    driverClassName: org.postgresql.Driver
    username: {server.user}
kestra:
  server:
    basicAuth:
      enabled: false
  repository:
    type: postgres
  queue:
    type: postgres
  storage:
    type: local
    local:
      basePath: "{tmp_path / "pg-storage"}"
"""
        monkeypatch.setenv("KESTRA_CONFIGURATION", configuration)
        result = runner.invoke(app, ["run", str(flow), "--json"])
        assert result.exit_code == 0, result.output
        execution_id = json.loads(result.stdout)["id"]
        with server.connect(name) as connection:
            stored = connection.execute(
                "SELECT count(*) FROM executions WHERE id = %s", [execution_id]
            )
            assert stored.fetchone() == (1,)
    assert not (tmp_path / "home" / "legato.db").exists()

"""dbt declarations: DbtCLI as a script task, the per-command tasks and Setup."""

from __future__ import annotations

from functools import partial

import pytest
from plugin_support import declaration_error, validate_declaration

from legato.model.registry import PluginRegistry
from legato.plugins.dbt import PLUGINS, cli, legacy
from legato.sdk import TaskRunner, plugin


@plugin("io.kestra.plugin.core.runner.Process")
class _Process(TaskRunner):
    """Test stand-in for the core group's Process runner."""


REGISTRY = PluginRegistry([*PLUGINS, _Process])

PROFILES = """\
my_dbt_project:
  outputs:
    dev:
      type: duckdb
      path: ":memory:"
  target: dev
"""


validate = partial(validate_declaration, REGISTRY)
error = partial(declaration_error, REGISTRY)


def test_documented_dbt_cli_example() -> None:
    task, context = validate(
        {
            "id": "dbt",
            "type": "io.kestra.plugin.dbt.cli.DbtCLI",
            "taskRunner": {"type": "io.kestra.plugin.core.runner.Process"},
            "namespaceFiles": {"enabled": True},
            "projectDir": "dbt",
            "commands": ["dbt deps", "dbt build"],
            "profiles": PROFILES,
        }
    )
    assert isinstance(task, cli.DbtCLI)
    assert isinstance(task.taskRunner, _Process)
    assert task.commands == ["dbt deps", "dbt build"]
    assert task.projectDir == "dbt"
    assert context.warnings == []


def test_dbt_cli_defaults() -> None:
    task, _ = validate(
        {"id": "dbt", "type": "io.kestra.plugin.dbt.cli.DbtCLI", "commands": ["dbt build"]}
    )
    assert isinstance(task, cli.DbtCLI)
    assert task.containerImage == "ghcr.io/kestra-io/dbt"
    assert task.parseRunResults is True
    assert task.logFormat == "JSON"
    assert task.engine == "CORE"
    assert task.warningOnStdErr is None
    assert task.interpreter == ["/bin/sh", "-c"]
    assert task.storeManifest is None and task.loadManifest is None


def test_dbt_cli_requires_commands_and_checks_enums() -> None:
    base = {"id": "dbt", "type": "io.kestra.plugin.dbt.cli.DbtCLI"}
    assert "commands" in error(base)
    assert "commands" in error({**base, "commands": []})
    assert "logFormat" in error({**base, "commands": ["dbt run"], "logFormat": "XML"})
    assert "engine" in error({**base, "commands": ["dbt run"], "engine": "CLOUD"})


def test_dbt_cli_manifest_in_kv_store() -> None:
    task, _ = validate(
        {
            "id": "dbt",
            "type": "io.kestra.plugin.dbt.cli.DbtCLI",
            "commands": ["dbt build"],
            "storeManifest": {"key": "manifest.json", "namespace": "company.team"},
            "loadManifest": {"key": "manifest.json", "namespace": "company.team"},
        }
    )
    assert isinstance(task, cli.DbtCLI)
    assert task.storeManifest is not None and task.storeManifest.key == "manifest.json"
    assert "namespace" in error(
        {
            "id": "dbt",
            "type": "io.kestra.plugin.dbt.cli.DbtCLI",
            "commands": ["dbt build"],
            "storeManifest": {"key": "manifest.json"},
        }
    )


def test_dbt_cli_accepts_the_deprecated_docker_runner_with_warnings() -> None:
    task, context = validate(
        {
            "id": "dbt-build",
            "type": "io.kestra.plugin.dbt.cli.DbtCLI",
            "runner": "DOCKER",
            "docker": {"image": "ghcr.io/kestra-io/dbt-duckdb"},
            "commands": ["dbt build"],
        }
    )
    assert task.docker.image == "ghcr.io/kestra-io/dbt-duckdb"
    assert [name for name, _ in context.warnings] == ["docker", "runner"]


def test_dbt_cli_output_files_rule() -> None:
    message = error(
        {
            "id": "dbt",
            "type": "io.kestra.plugin.dbt.cli.DbtCLI",
            "commands": ["dbt build"],
            "outputFiles": ["../target/manifest.json"],
        }
    )
    assert "'../target/manifest.json'" in message


@pytest.mark.parametrize("command", ["Build", "Run", "Test", "Compile", "Seed", "Snapshot", "Deps"])
def test_per_command_tasks_and_their_defaults(command: str) -> None:
    task, _ = validate({"id": "dbt", "type": f"io.kestra.plugin.dbt.cli.{command}"})
    assert isinstance(task, legacy.DbtCommand)
    assert task.failFast is False
    assert task.warnError is False
    assert task.debug is False
    assert task.dbtPath == "./bin/dbt"
    assert task.fullRefresh is False
    assert task.parseRunResults is True
    assert task.containerImage == "ghcr.io/kestra-io/dbt"


def test_documented_build_example() -> None:
    task, context = validate(
        {
            "id": "dbt-build",
            "type": "io.kestra.plugin.dbt.cli.Build",
            "runner": "DOCKER",
            "dbtPath": "/usr/local/bin/dbt",
            "docker": {"image": "ghcr.io/kestra-io/dbt-bigquery:latest"},
            "profiles": PROFILES,
            "inputFiles": {"sa.json": "{}"},
            "select": ["my_model+"],
            "thread": 4,
        }
    )
    assert isinstance(task, legacy.Build)
    assert task.thread == 4
    assert [name for name, _ in context.warnings] == ["docker", "runner"]


def test_documented_setup_example() -> None:
    task, _ = validate(
        {
            "id": "dbt-setup",
            "type": "io.kestra.plugin.dbt.cli.Setup",
            "requirements": ["dbt-duckdb"],
            "profiles": {
                "jaffle_shop": {
                    "outputs": {"dev": {"type": "duckdb", "path": ":memory:"}},
                    "target": "dev",
                }
            },
        }
    )
    assert isinstance(task, legacy.Setup)
    assert task.runner == "PROCESS"
    assert task.docker.image == "python"
    assert task.pythonPath == "python"
    assert task.exitOnFailed is True


def test_setup_requires_profiles_and_requirements() -> None:
    message = error({"id": "s", "type": "io.kestra.plugin.dbt.cli.Setup"})
    assert "profiles" in message and "requirements" in message


def test_unknown_property_is_rejected() -> None:
    assert "dbtVersion" in error(
        {"id": "dbt", "type": "io.kestra.plugin.dbt.cli.Build", "dbtVersion": "1.8"}
    )

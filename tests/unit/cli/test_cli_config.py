"""The global ``--config FILE`` option and the configuration variables, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from legato.cli.main import app

RUNNER = CliRunner()

NO_MESSAGE = """\
id: hello
namespace: company.team
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
"""

DEFAULT_MESSAGE = """\
kestra:
  plugins:
    defaults:
      - type: io.kestra.plugin.core.log
        values:
          message: configured
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("LEGATO_CONFIG", "KESTRA_CONFIGURATION", "LEGATO_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LEGATO_HOME", str(tmp_path / "env-home"))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_help_shows_the_global_option() -> None:
    result = RUNNER.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "--config" in result.output


def test_validate_applies_the_plugin_defaults_of_the_config_option(tmp_path: Path) -> None:
    flow = str(write(tmp_path, "flow.yaml", NO_MESSAGE))
    bare = RUNNER.invoke(app, ["flow", "validate", flow])
    assert bare.exit_code == 1
    assert "required property 'message' is missing" in bare.output
    config = str(write(tmp_path, "legato.yml", DEFAULT_MESSAGE))
    result = RUNNER.invoke(app, ["--config", config, "flow", "validate", flow])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK company.team.hello"


@pytest.mark.parametrize("variable", ["LEGATO_CONFIG", "KESTRA_CONFIGURATION"])
def test_validate_reads_the_configuration_variables(tmp_path: Path, variable: str) -> None:
    flow = str(write(tmp_path, "flow.yaml", NO_MESSAGE))
    value = (
        str(write(tmp_path, "legato.yml", DEFAULT_MESSAGE))
        if variable == "LEGATO_CONFIG"
        else DEFAULT_MESSAGE
    )
    result = RUNNER.invoke(app, ["flow", "validate", flow], env={variable: value})
    assert result.exit_code == 0, result.output


def test_a_malformed_config_file_names_file_line_and_key(tmp_path: Path) -> None:
    config = write(tmp_path, "bad.yml", "legato:\n  worker-threads: lots\n")
    flow = str(write(tmp_path, "flow.yaml", NO_MESSAGE))
    result = RUNNER.invoke(app, ["--config", str(config), "flow", "validate", flow])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: {config}:2:3: legato.worker-threads: expected a whole number of at least 1, "
        "got 'lots'"
    )


def test_a_config_file_that_is_not_yaml_says_so(tmp_path: Path) -> None:
    config = write(tmp_path, "bad.yml", "kestra: [unclosed\n")
    result = RUNNER.invoke(app, ["--config", str(config), "run", "flow.yaml"])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {config}:2:1: invalid YAML")


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yml"
    result = RUNNER.invoke(app, ["--config", str(missing), "flow", "deploy", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {missing}: the configuration file given by --config does not exist" in (
        result.output
    )


def test_deploy_stores_in_the_configured_home_and_home_option_wins(tmp_path: Path) -> None:
    flow = str(write(tmp_path, "flow.yaml", NO_MESSAGE))
    home = tmp_path / "configured-home"
    config = write(tmp_path, "legato.yml", f"{DEFAULT_MESSAGE}legato:\n  home: {home}\n")
    result = RUNNER.invoke(app, ["--config", str(config), "flow", "deploy", flow])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "company.team.hello revision 1"
    assert (home / "legato.db").is_file()
    assert not (tmp_path / "env-home").exists()
    option_home = tmp_path / "option-home"
    again = ["--config", str(config), "flow", "deploy", flow, "--home", str(option_home)]
    assert RUNNER.invoke(app, again).exit_code == 0
    assert (option_home / "legato.db").is_file()

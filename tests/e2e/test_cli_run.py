"""``legato run`` and ``legato flow deploy`` through the real CLI, on SQLite in a temp home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legato.cli.main import app

FLOWS = Path(__file__).parent / "flows"

FILE_FLOW = """id: file_input
namespace: e2e.cli
inputs:
  - id: data
    type: FILE
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "file says {{ read(inputs.data) }}"
"""


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LEGATO_HOME", str(tmp_path / "home"))
    return CliRunner()


def test_a_successful_run_prints_task_runs_and_a_summary(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", str(FLOWS / "return_chain_outputs.yaml")])
    assert result.exit_code == 0, result.output
    assert "first SUCCESS" in result.output
    assert "second SUCCESS" in result.output
    assert "(e2e.return_chain_outputs) SUCCESS" in result.output


def test_a_warning_run_exits_zero(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", str(FLOWS / "allow_failure_task.yaml")])
    assert result.exit_code == 0, result.output
    assert ") WARNING" in result.output


def test_a_failed_run_exits_one(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", str(FLOWS / "fail_simple.yaml")])
    assert result.exit_code == 1
    assert ") FAILED" in result.output


def test_json_prints_the_execution_as_kestra_does(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["run", str(FLOWS / "inputs_given.yaml"), "--input", "name=Ada", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["state"]["current"] == "SUCCESS"
    assert data["inputs"] == {"name": "Ada"}
    assert [run["taskId"] for run in data["taskRunList"]] == ["say"]
    assert len(data["id"]) == 22


def test_flow_outputs_are_shown(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", str(FLOWS / "flow_outputs.yaml")])
    assert result.exit_code == 0, result.output
    assert '"answer": "42"' in result.output


def test_an_invalid_flow_prints_violations_and_exits_one(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nnamespace: e2e\n")
    result = runner.invoke(app, ["run", str(bad)])
    assert result.exit_code == 1
    assert "required property 'tasks' is missing" in result.output


def test_a_missing_input_exits_one_naming_it(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", str(FLOWS / "inputs_given.yaml")])
    assert result.exit_code == 1
    assert "Missing required input: 'name'" in result.output


def test_a_malformed_input_exits_two(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", str(FLOWS / "inputs_given.yaml"), "-i", "name"])
    assert result.exit_code == 2
    assert "name=value" in result.output


def test_subflows_come_from_the_flows_option(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["run", str(FLOWS / "subflow_outputs.yaml"), "--flows", str(FLOWS / "child_ok.yaml")]
    )
    assert result.exit_code == 0, result.output


def test_a_file_input_is_uploaded_from_a_local_path(runner: CliRunner, tmp_path: Path) -> None:
    flow = tmp_path / "file_input.yaml"
    flow.write_text(FILE_FLOW)
    data = tmp_path / "data.txt"
    data.write_text("local content")
    result = runner.invoke(app, ["run", str(flow), "-i", f"data={data}", "--memory"])
    assert result.exit_code == 0, result.output
    assert "file says local content" in result.output


def test_the_home_option_keeps_executions_in_its_database(
    runner: CliRunner, tmp_path: Path
) -> None:
    home = tmp_path / "elsewhere"
    result = runner.invoke(app, ["run", str(FLOWS / "log_hello.yaml"), "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert (home / "legato.db").exists()


def test_deploy_stores_revisions(runner: CliRunner, tmp_path: Path) -> None:
    flow = tmp_path / "f.yaml"
    flow.write_text((FLOWS / "log_hello.yaml").read_text())
    first = runner.invoke(app, ["flow", "deploy", str(flow)])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "e2e.log_hello revision 1"
    flow.write_text(flow.read_text().replace("Hello from e2e", "Hello again"))
    second = runner.invoke(app, ["flow", "deploy", str(flow)])
    assert second.output.strip() == "e2e.log_hello revision 2"


def test_deploy_refuses_invalid_flows(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nnamespace: e2e\n")
    result = runner.invoke(app, ["flow", "deploy", str(bad)])
    assert result.exit_code == 1
    assert "required property 'tasks' is missing" in result.output

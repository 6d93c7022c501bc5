"""The ``legato`` command line: flow validate, flow schema, expression render."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legato.cli.main import app

RUNNER = CliRunner()

VALID = """\
id: hello
namespace: company.team
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ flow.id }}"
"""

INVALID = """\
id: broken
namespace: company.team
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: again
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_version() -> None:
    result = RUNNER.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("legato ")


def test_validate_prints_ok_for_a_valid_flow(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["flow", "validate", str(write(tmp_path, "a.yaml", VALID))])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK company.team.hello"


def test_validate_prints_every_violation_located_and_fails(tmp_path: Path) -> None:
    path = write(tmp_path, "b.yml", INVALID)
    result = RUNNER.invoke(app, ["flow", "validate", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) >= 2
    assert all(line.startswith(f"{path}:") for line in lines)
    assert any(":4:" in line and "message" in line for line in lines)
    assert any("Duplicate task id with name [say]" in line for line in lines)


def test_validate_walks_folders_and_multi_document_files(tmp_path: Path) -> None:
    write(tmp_path, "x/one.yaml", VALID)
    write(
        tmp_path,
        "x/deeper/two.yaml",
        VALID.replace("hello", "other") + "---\n" + VALID.replace("hello", "third"),
    )
    write(tmp_path, "x/notes.txt", "not a flow")
    result = RUNNER.invoke(app, ["flow", "validate", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert sorted(result.output.split("\n")[:-1]) == [
        "OK company.team.hello",
        "OK company.team.other",
        "OK company.team.third",
    ]


def test_validate_reports_a_missing_path(tmp_path: Path) -> None:
    good = write(tmp_path, "a.yaml", VALID)
    result = RUNNER.invoke(app, ["flow", "validate", str(good), str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "nope.yaml: no such file or folder" in result.output


def test_validate_reports_an_empty_folder(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["flow", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "no flow files found" in result.output


def test_validate_reports_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    result = RUNNER.invoke(app, ["flow", "validate", str(path)])
    assert result.exit_code == 1
    assert "cannot read the file" in result.output


def test_schema_is_json_with_the_flow_properties() -> None:
    result = RUNNER.invoke(app, ["flow", "schema"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    text = json.dumps(document)
    assert "io.kestra.plugin.core.log.Log" in text
    assert "namespace" in text


def test_render_prints_the_rendered_template(tmp_path: Path) -> None:
    context = write(tmp_path, "ctx.json", json.dumps({"inputs": {"name": "world"}}))
    result = RUNNER.invoke(
        app, ["expression", "render", "Hello {{ inputs.name | upper }}", "--context", str(context)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Hello WORLD\n"


def test_render_typed_prints_json_of_the_native_value() -> None:
    result = RUNNER.invoke(app, ["expression", "render", "{{ [1, 2] }}", "--typed"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [1, 2]


def test_render_shows_a_located_syntax_error() -> None:
    result = RUNNER.invoke(app, ["expression", "render", "{{ 1 + }}"])
    assert result.exit_code == 1
    assert "error:" in result.output
    assert "line 1" in result.output


def test_render_names_an_undefined_variable() -> None:
    result = RUNNER.invoke(app, ["expression", "render", "{{ missing }}"])
    assert result.exit_code == 1
    assert "missing" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not valid JSON"), ("[1, 2]", "must hold a JSON object")],
)
def test_render_rejects_a_bad_context_file(tmp_path: Path, content: str, message: str) -> None:
    context = write(tmp_path, "ctx.json", content)
    result = RUNNER.invoke(app, ["expression", "render", "x", "--context", str(context)])
    assert result.exit_code == 2
    assert message in result.output


def test_render_rejects_a_missing_context_file(tmp_path: Path) -> None:
    result = RUNNER.invoke(
        app, ["expression", "render", "x", "--context", str(tmp_path / "none.json")]
    )
    assert result.exit_code == 2
    assert "cannot read" in result.output

"""The shared script-task properties: output globs, input files, namespace files, deprecations."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from legato.model.plugin import ParseContext
from legato.model.property import Expression
from legato.model.registry import PluginRegistry
from legato.model.violations import PropertyError
from legato.sdk import TaskRunner, plugin, scripts


@plugin("test.scripts.Task")
class _Task(scripts.ScriptTask):
    commands: list[str]


@plugin("test.scripts.Runner")
class _Runner(TaskRunner):
    pass


def _context() -> ParseContext:
    return ParseContext(registry=PluginRegistry([_Task, _Runner]))


def _task(**props: Any) -> tuple[_Task, ParseContext]:
    context = _context()
    raw = {"id": "t", "type": "test.scripts.Task", "commands": ["echo hi"], **props}
    return _Task.model_validate(raw, context=context), context


def _error(**props: Any) -> str:
    with pytest.raises(ValidationError) as info:
        _task(**props)
    return str(info.value)


@pytest.mark.parametrize("glob", ["out.txt", "*.csv", "reports/**/*.json", "a/b..c/d", ".hidden"])
def test_relative_output_globs_are_kept(glob: str) -> None:
    assert scripts.check_output_glob(glob) == glob


@pytest.mark.parametrize(
    ("glob", "reason"),
    [
        ("/etc/passwd", "absolute path"),
        ("\\\\server\\share", "absolute path"),
        ("C:/data/*.csv", "absolute path"),
        ("../secret.txt", "'..' segment"),
        ("out/../../x", "'..' segment"),
        ("out\\..\\x", "'..' segment"),
    ],
)
def test_escaping_output_globs_are_rejected_naming_the_glob(glob: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        scripts.check_output_glob(glob)
    assert f"'{glob}'" in str(info.value)


def test_output_files_property_rejects_the_bad_glob_by_name() -> None:
    message = _error(outputFiles=["ok.txt", "../up.txt"])
    assert "outputFiles" in message
    assert "'../up.txt'" in message


def test_output_files_accepts_relative_globs() -> None:
    task, _ = _task(outputFiles=["*.csv", "out/data.json"])
    assert task.outputFiles == ["*.csv", "out/data.json"]


def test_defaults_are_kestras() -> None:
    task, context = _task()
    assert task.interpreter == ["/bin/sh", "-c"]
    assert task.warningOnStdErr is None  # deprecated, no effect (Kestra 0.23)
    assert task.failFast is True
    assert task.targetOS == "AUTO"
    assert task.taskRunner is None
    assert scripts.DEFAULT_TASK_RUNNER == "io.kestra.plugin.scripts.runner.docker.Docker"
    assert context.warnings == []


def test_input_files_accept_a_map() -> None:
    task, _ = _task(inputFiles={"main.py": "print(1)", "data.csv": "kestra:///a/b.csv"})
    assert task.inputFiles == {"main.py": "print(1)", "data.csv": "kestra:///a/b.csv"}


def test_input_files_accept_a_json_string_of_a_map() -> None:
    task, _ = _task(inputFiles='{"main.py": "print(1)"}')
    assert task.inputFiles == {"main.py": "print(1)"}


@pytest.mark.parametrize("bad", ["not json", "[1, 2]", "42"])
def test_input_files_reject_other_strings(bad: str) -> None:
    assert "inputFiles must be a map" in _error(inputFiles=bad)


def test_namespace_files_defaults() -> None:
    task, _ = _task(namespaceFiles={"include": ["scripts/*.py"]})
    files = task.namespaceFiles
    assert files is not None
    assert files.enabled is True
    assert files.include == ["scripts/*.py"]
    assert files.exclude is None
    assert files.ifExists == "OVERWRITE"
    assert files.folderPerNamespace is False


def test_namespace_files_reject_unknown_keys_and_bad_enums() -> None:
    assert "namespaceFiles.includes" in _error(namespaceFiles={"includes": ["x"]})
    assert "ifExists" in _error(namespaceFiles={"ifExists": "REPLACE"})


def test_target_os_is_an_enum() -> None:
    task, _ = _task(targetOS="WINDOWS")
    assert task.targetOS == "WINDOWS"
    assert "targetOS" in _error(targetOS="MACOS")


def test_task_runner_resolves_through_the_registry() -> None:
    task, _ = _task(taskRunner={"type": "test.scripts.Runner"})
    assert isinstance(task.taskRunner, _Runner)
    assert "unknown taskRunner type" in _error(taskRunner={"type": "test.scripts.Nope"})


def test_deprecated_docker_options_are_accepted_with_a_warning() -> None:
    task, context = _task(
        runner="DOCKER",
        docker={"image": "python:3.11", "pullPolicy": "ALWAYS", "cpu": {"cpus": 1.5}},
        outputDirectory=True,
    )
    assert task.runner == "DOCKER"
    assert task.docker is not None
    assert task.docker.image == "python:3.11"
    assert task.docker.pullPolicy == "ALWAYS"
    assert task.docker.cpu is not None and task.docker.cpu.cpus == 1.5
    names = [path for path, _ in context.warnings]
    assert names == ["docker", "outputDirectory", "runner"]
    assert all("deprecated" in message for _, message in context.warnings)


def test_deprecated_docker_options_default_pull_policy_and_forbid_unknown_keys() -> None:
    task, _ = _task(docker={"image": "ubuntu"})
    assert task.docker is not None and task.docker.pullPolicy == "IF_NOT_PRESENT"
    assert "docker.imag" in _error(docker={"imag": "ubuntu"})
    assert "runner" in _error(runner="KUBERNETES")


def test_unknown_property_is_rejected() -> None:
    assert "warningOnStderr" in _error(warningOnStderr=False)


def test_output_files_rule_locates_the_bad_glob() -> None:
    with pytest.raises(ValidationError) as info:
        _task(outputFiles=["ok.txt", "/abs/x.txt"])
    [detail] = info.value.errors()
    cause = detail["ctx"]["error"]
    assert isinstance(cause, PropertyError)
    assert cause.at == (1,)


def test_output_files_reject_non_lists_and_non_strings() -> None:
    assert "list of globs" in _error(outputFiles="out.txt")
    assert "globs are strings" in _error(outputFiles=["a", 3])


def test_output_files_may_be_an_expression_or_hold_expressions() -> None:
    task, _ = _task(outputFiles="{{ inputs.globs }}")
    assert isinstance(task.outputFiles, Expression)
    task, _ = _task(outputFiles=["{{ inputs.name }}.csv"])
    assert task.outputFiles == ["{{ inputs.name }}.csv"]


def test_dynamic_properties_accept_expressions_and_check_their_syntax() -> None:
    task, _ = _task(warningOnStdErr="{{ inputs.warn }}", env={"A": "{{ vars.a }}"})
    assert isinstance(task.warningOnStdErr, Expression)
    assert "invalid expression" in _error(failFast="{{ inputs.x ")
    assert "warningOnStdErr" in _error(warningOnStdErr="maybe")


def test_input_files_may_be_an_expression() -> None:
    task, _ = _task(inputFiles="{{ outputs.unzip.files }}")
    assert isinstance(task.inputFiles, Expression)

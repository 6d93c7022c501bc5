"""Script task declarations: documented examples validate, defaults, required, unknown, runners."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from plugin_support import declaration_error, validate_declaration

from legato.model.plugin import PluginKind
from legato.model.registry import PluginRegistry
from legato.plugins.scripts import PLUGINS, docker, legacy, python
from legato.sdk import TaskRunner, plugin


@plugin("io.kestra.plugin.core.runner.Process")
class _Process(TaskRunner):
    """Test stand-in for the core group's Process runner."""


REGISTRY = PluginRegistry([*PLUGINS, _Process])


validate = partial(validate_declaration, REGISTRY)
error = partial(declaration_error, REGISTRY)


LANGUAGES = {
    "python": "python:3.13-slim",
    "shell": "ubuntu",
    "node": "node",
    "r": "r-base",
    "ruby": "ruby",
    "julia": "julia",
    "powershell": "mcr.microsoft.com/powershell",
    "go": "golang",
    "deno": "denoland/deno",
    "bun": "oven/bun",
    "php": "php",
    "perl": "perl",
    "lua": "nickblah/lua",
}


@pytest.mark.parametrize(("language", "image"), LANGUAGES.items())
def test_every_language_has_script_and_commands_with_its_image(language: str, image: str) -> None:
    script, _ = validate(
        {"id": "s", "type": f"io.kestra.plugin.scripts.{language}.Script", "script": "x"}
    )
    commands, _ = validate(
        {"id": "c", "type": f"io.kestra.plugin.scripts.{language}.Commands", "commands": ["x"]}
    )
    assert script.containerImage == image
    assert commands.containerImage == image


def test_powershell_uses_pwsh_as_interpreter() -> None:
    task, _ = validate(
        {"id": "p", "type": "io.kestra.plugin.scripts.powershell.Script", "script": "Get-Date"}
    )
    assert task.interpreter == ["pwsh", "-NoProfile", "-NonInteractive", "-Command"]


def test_documented_python_script_example() -> None:
    task, _ = validate(
        {
            "id": "python",
            "type": "io.kestra.plugin.scripts.python.Script",
            "beforeCommands": ["pip install requests"],
            "outputFiles": ["myfile.txt"],
            "warningOnStdErr": False,
            "script": "from kestra import Kestra\nKestra.outputs({'a': 1})\n",
        }
    )
    assert isinstance(task, python.PythonScript)
    assert task.beforeCommands == ["pip install requests"]
    assert task.warningOnStdErr is False
    assert task.dependencies is None
    assert task.packageManager == "UV"
    assert task.dependencyCacheEnabled is True
    assert task.pythonVersion is None


def test_python_dependencies_and_package_manager() -> None:
    task, _ = validate(
        {
            "id": "py",
            "type": "io.kestra.plugin.scripts.python.Commands",
            "commands": ["python main.py"],
            "dependencies": ["pandas==2.2.2", "requests"],
            "pythonVersion": "3.12",
            "packageManager": "PIP",
            "dependencyCacheEnabled": False,
        }
    )
    assert isinstance(task, python.PythonCommands)
    assert task.dependencies == ["pandas==2.2.2", "requests"]
    assert task.packageManager == "PIP"
    assert "packageManager" in error(
        {
            "id": "p",
            "type": "io.kestra.plugin.scripts.python.Script",
            "script": "x",
            "packageManager": "CONDA",
        }
    )


def test_documented_commands_example_with_process_runner_and_namespace_files() -> None:
    task, _ = validate(
        {
            "id": "python",
            "type": "io.kestra.plugin.scripts.python.Commands",
            "namespaceFiles": {"enabled": True, "include": ["etl_script.py"]},
            "taskRunner": {"type": "io.kestra.plugin.core.runner.Process"},
            "beforeCommands": ["conda activate myCondaEnv"],
            "commands": ["python etl_script.py"],
        }
    )
    assert isinstance(task.taskRunner, _Process)


@pytest.mark.parametrize(
    ("raw", "missing"),
    [
        ({"type": "io.kestra.plugin.scripts.shell.Script"}, "script"),
        ({"type": "io.kestra.plugin.scripts.shell.Commands"}, "commands"),
        ({"type": "io.kestra.plugin.scripts.node.Script", "script": ""}, "script"),
        ({"type": "io.kestra.plugin.scripts.r.Commands", "commands": []}, "commands"),
    ],
)
def test_script_and_commands_are_required_and_non_empty(raw: dict[str, Any], missing: str) -> None:
    assert missing in error({"id": "t", **raw})


def test_unknown_property_is_rejected() -> None:
    message = error(
        {
            "id": "t",
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "commands": ["ls"],
            "command": "ls",
        }
    )
    assert "command" in message and "Extra inputs" in message


def test_output_files_rule_applies_to_script_tasks() -> None:
    message = error(
        {
            "id": "t",
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "commands": ["ls"],
            "outputFiles": ["/tmp/out.txt"],
        }
    )
    assert "'/tmp/out.txt'" in message


def test_docker_task_runner_documented_example_and_defaults() -> None:
    task, _ = validate(
        {
            "id": "script",
            "type": "io.kestra.plugin.scripts.python.Script",
            "taskRunner": {
                "type": "io.kestra.plugin.scripts.runner.docker.Docker",
                "pullPolicy": "IF_NOT_PRESENT",
                "cpu": {"cpus": 1},
                "memory": {"memory": "512Mb"},
            },
            "containerImage": "ghcr.io/kestra-io/kestrapy:latest",
            "script": "print(1)",
        }
    )
    runner = task.taskRunner
    assert isinstance(runner, docker.DockerTaskRunner)
    assert runner.memory is not None and runner.memory.memory == "512Mb"
    bare = docker.DockerTaskRunner.model_validate(
        {"type": "io.kestra.plugin.scripts.runner.docker.Docker"}
    )
    assert bare.pullPolicy == "IF_NOT_PRESENT"
    assert bare.fileHandlingStrategy == "VOLUME"
    assert bare.delete is True
    assert bare.wait is True
    assert bare.entryPoint == [""]
    assert bare.killGracePeriod == timedelta(0)


def test_docker_task_runner_rejects_bad_enums_and_unknown_keys() -> None:
    base = {"id": "t", "type": "io.kestra.plugin.scripts.shell.Commands", "commands": ["ls"]}
    runner = {"type": "io.kestra.plugin.scripts.runner.docker.Docker"}
    assert "pullPolicy" in error({**base, "taskRunner": {**runner, "pullPolicy": "SOMETIMES"}})
    assert "fileHandlingStrategy" in error(
        {**base, "taskRunner": {**runner, "fileHandlingStrategy": "COPY"}}
    )
    assert "imageName" in error({**base, "taskRunner": {**runner, "imageName": "x"}})


def test_docker_credentials_and_volumes() -> None:
    runner = docker.DockerTaskRunner.model_validate(
        {
            "type": "io.kestra.plugin.scripts.runner.docker.Docker",
            "credentials": {"registry": "ghcr.io", "username": "me", "password": "pw"},
            "volumes": ["/home/user:/app"],
            "networkMode": "host",
            "killGracePeriod": "PT30S",
        }
    )
    assert runner.credentials is not None and runner.credentials.username == "me"
    assert runner.volumes == ["/home/user:/app"]
    assert runner.killGracePeriod == timedelta(seconds=30)


def test_legacy_docker_property_on_a_script_task_warns() -> None:
    task, context = validate(
        {
            "id": "rust",
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "commands": ["etl"],
            "docker": {"image": "ghcr.io/kestra-io/rust:latest"},
            "runner": "DOCKER",
        }
    )
    assert task.docker.image == "ghcr.io/kestra-io/rust:latest"
    assert [name for name, _ in context.warnings] == ["docker", "runner"]


def test_legacy_bash_documented_examples() -> None:
    task, context = validate(
        {
            "id": "bash",
            "type": "io.kestra.core.tasks.scripts.Bash",
            "outputFiles": ["first", "second"],
            "commands": ['echo "1" >> {{ outputFiles.first }}'],
        }
    )
    assert isinstance(task, legacy.Bash)
    assert task.interpreter == "/bin/sh"
    assert task.interpreterArgs == ["-c"]
    assert task.exitOnFailed is True
    assert task.runner == "PROCESS"
    assert task.warningOnStdErr is True
    assert context.warnings == []
    windows, _ = validate(
        {
            "id": "bash",
            "type": "io.kestra.core.tasks.scripts.Bash",
            "commands": ["echo hi"],
            "exitOnFailed": False,
            "interpreter": "cmd",
            "interpreterArgs": ["/c"],
        }
    )
    assert isinstance(windows, legacy.Bash) and windows.interpreter == "cmd"
    assert legacy.Bash.deprecated is True


def test_legacy_bash_deprecated_output_spellings_warn() -> None:
    _, context = validate(
        {
            "id": "bash",
            "type": "io.kestra.core.tasks.scripts.Bash",
            "commands": ["echo hi"],
            "outputsFiles": ["a"],
            "files": ["b"],
        }
    )
    assert [name for name, _ in context.warnings] == ["files", "outputsFiles"]


def test_legacy_bash_requires_commands() -> None:
    assert "commands" in error({"id": "b", "type": "io.kestra.core.tasks.scripts.Bash"})


def test_legacy_python_and_node() -> None:
    py, _ = validate(
        {
            "id": "python",
            "type": "io.kestra.core.tasks.scripts.Python",
            "inputFiles": {"main.py": "print(1)"},
            "requirements": ["requests"],
            "args": ["data.json"],
        }
    )
    assert isinstance(py, legacy.Python)
    assert py.commands == ["./bin/python main.py"]
    assert py.pythonPath == "python"
    assert py.virtualEnv is True
    node, _ = validate(
        {
            "id": "node",
            "type": "io.kestra.core.tasks.scripts.Node",
            "inputFiles": {"main.js": "console.log(1)"},
        }
    )
    assert isinstance(node, legacy.Node)
    assert (node.nodePath, node.npmPath) == ("node", "npm")


def test_every_type_string_is_unique_and_namespaced() -> None:
    types = [cls.plugin_type for cls in PLUGINS]
    assert len(types) == len(set(types))
    assert all(t.startswith("io.kestra.") for t in types)
    assert (
        REGISTRY.resolve(PluginKind.TASK_RUNNER, "io.kestra.plugin.scripts.runner.docker.Docker")
        is docker.DockerTaskRunner
    )


def test_beta_docker_task_runner_type_is_a_legacy_alias() -> None:
    task, context = validate(
        {
            "id": "shell",
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "taskRunner": {"type": "io.kestra.plugin.scripts.runner.docker.DockerTaskRunner"},
            "containerImage": "centos",
            "commands": ["echo hi"],
        }
    )
    runner = task.taskRunner
    assert isinstance(runner, docker.DockerTaskRunner)
    assert runner.type == "io.kestra.plugin.scripts.runner.docker.DockerTaskRunner"
    assert [path for path, _ in context.warnings] == ["type"]
    assert "legacy alias" in context.warnings[0][1]


def test_warning_on_std_err_validates_with_a_deprecation_note() -> None:
    task, context = validate(
        {
            "id": "sh",
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "warningOnStdErr": True,
            "commands": ["echo hi"],
        }
    )
    assert task.warningOnStdErr is True
    [(name, note)] = context.warnings
    assert name == "warningOnStdErr" and "no effect since Kestra 0.23" in note

"""The deprecated ``io.kestra.core.tasks.scripts.Bash``, ``Python`` and ``Node`` tasks.

They predate task runners and keep their own property set (Kestra's ``AbstractBash``):
``runner`` PROCESS|DOCKER (=PROCESS) with ``dockerOptions``, ``interpreter`` (a single string,
=``/bin/sh``) plus ``interpreterArgs`` (=``["-c"]``), ``exitOnFailed`` (=true), ``outputFiles``
and ``outputDirs`` as lists of *keys* (each becomes a temporary file or directory, reachable as
``{{ outputFiles.key }}``), and the older ``files``/``outputsFiles`` spellings of ``outputFiles``.

They run with the Process runner (``runner: DOCKER`` falls back with one warning). Each output
key becomes a path in the working directory (``{{ outputFiles.key }}``, ``{{ outputDirs.key }}``);
after the run, existing ones are uploaded: ``outputFiles`` maps each key (and, for directories,
each ``key/relative/path``) to its URI. Legacy ``Python`` with ``virtualEnv`` gets a
``bin/python`` link to the worker host's Python (``requirements`` are refused: not supported).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, ValidationInfo, model_validator

from legato.model.tasks import RunnableTask
from legato.plugins.scripts.execute import python_executable
from legato.plugins.scripts.fallback import warn_process_fallback
from legato.plugins.scripts.files import localize_uris
from legato.plugins.scripts.runner import (
    ScriptJob,
    directories,
    path_variables,
    prepare,
    run_commands,
)
from legato.sdk import plugin
from legato.sdk.input_files import input_file_map, safe_relative
from legato.sdk.run_context import RunContext, TaskError
from legato.sdk.scripts import DockerOptions, InputFiles, RunnerType, note_deprecated


class LegacyScript(RunnableTask):
    """Properties shared by the legacy script tasks."""

    deprecated_properties: ClassVar[dict[str, str]] = {
        "files": "use 'outputFiles' instead",
        "outputsFiles": "use 'outputFiles' instead",
    }

    runner: RunnerType = "PROCESS"
    dockerOptions: DockerOptions | None = None
    interpreter: Annotated[str, Field(min_length=1)] = "/bin/sh"
    interpreterArgs: list[str] = ["-c"]
    exitOnFailed: bool = True
    files: list[str] | None = None
    outputsFiles: list[str] | None = None
    outputFiles: list[str] | None = None
    outputDirs: list[str] | None = None
    inputFiles: InputFiles | None = None
    env: dict[str, str] | None = None
    warningOnStdErr: bool = True

    @model_validator(mode="after")
    def _note_deprecated(self, info: ValidationInfo) -> LegacyScript:
        note_deprecated(self, info, self.deprecated_properties)
        return self

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Run the commands with ``interpreter`` + ``interpreterArgs``; outputs as Kestra's."""
        if self.runner == "DOCKER":
            image = self.dockerOptions.image if self.dockerOptions else None
            warn_process_fallback(ctx, ctx.render_string(image) or None)
        working, output = directories(ctx)
        prepare(ctx, input_file_map(ctx, self.inputFiles), working)
        self.prepare_environment(ctx, working)
        files = {key: working / safe_relative(key, "outputFiles key") for key in self.file_keys()}
        dirs = {
            key: working / safe_relative(key, "outputDirs key") for key in self.outputDirs or []
        }
        for folder in dirs.values():
            folder.mkdir(parents=True, exist_ok=True)
        extra: dict[str, Any] = {
            **path_variables(working, output),
            "outputFiles": {k: str(v) for k, v in files.items()},
            "outputDirs": {k: str(v) for k, v in dirs.items()},
        }
        job = ScriptJob(
            interpreter=[self.interpreter, *self.interpreterArgs],
            lines=[
                localize_uris(ctx, ctx.render_string(line, extra), working)
                for line in self.commands_to_run()
            ],
            env={k: ctx.render_string(v, extra) for k, v in (self.env or {}).items()},
            fail_fast=self.exitOnFailed,
            warning_on_stderr=self.warningOnStdErr,
        )
        outputs = run_commands(ctx, job, working, output)
        uploaded = _upload(ctx, files, dirs)
        if uploaded:
            outputs["outputFiles"] = {**outputs.get("outputFiles", {}), **uploaded}
        return outputs

    def file_keys(self) -> list[str]:
        """Every output file key (``outputFiles`` and its older spellings)."""
        keys = [*(self.outputFiles or []), *(self.files or []), *(self.outputsFiles or [])]
        return list(dict.fromkeys(keys))

    def commands_to_run(self) -> list[str]:
        """The command lines (each task type declares ``commands``)."""
        commands: list[str] = getattr(self, "commands", [])
        return commands

    def prepare_environment(self, ctx: RunContext, working: Path) -> None:
        """Set up the working directory before the commands run (nothing by default)."""


def _upload(ctx: RunContext, files: dict[str, Path], dirs: dict[str, Path]) -> dict[str, str]:
    uploaded = {
        key: ctx.storage.put_file(path, key) for key, path in files.items() if path.is_file()
    }
    for key, folder in dirs.items():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = f"{key}/{path.relative_to(folder).as_posix()}"
            uploaded[name] = ctx.storage.put_file(path, name)
    return uploaded


@plugin(
    "io.kestra.core.tasks.scripts.Bash",
    title="Run a Bash script or command (deprecated: use io.kestra.plugin.scripts.shell.*).",
    deprecated=True,
)
class Bash(LegacyScript):
    commands: Annotated[list[str], Field(min_length=1)]


@plugin(
    "io.kestra.core.tasks.scripts.Python",
    title="Run a Python script (deprecated: use io.kestra.plugin.scripts.python.*).",
    deprecated=True,
)
class Python(LegacyScript):
    pythonPath: Annotated[str, Field(min_length=1)] = "python"
    args: list[str] | None = None
    requirements: list[str] | None = None
    commands: Annotated[list[str], Field(min_length=1)] = ["./bin/python main.py"]
    virtualEnv: bool = True
    packageManager: Literal["UV", "PIP"] = "PIP"

    def prepare_environment(self, ctx: RunContext, working: Path) -> None:
        """Refuse ``requirements``; with ``virtualEnv``, link ``bin/python`` to a host Python."""
        if self.requirements:
            raise TaskError(
                "'requirements' of io.kestra.core.tasks.scripts.Python are not supported yet by "
                "Legato: install them in the worker's environment and remove the property",
                retryable=False,
            )
        if self.virtualEnv:
            link = working / "bin" / "python"
            link.parent.mkdir(exist_ok=True)
            if not link.exists():
                link.symlink_to(python_executable())


@plugin(
    "io.kestra.core.tasks.scripts.Node",
    title="Run a Node.js script (deprecated: use io.kestra.plugin.scripts.node.*).",
    deprecated=True,
)
class Node(LegacyScript):
    nodePath: str = "node"
    npmPath: str = "npm"
    args: list[str] | None = None

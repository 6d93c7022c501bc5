"""The deprecated ``io.kestra.core.tasks.scripts.Bash``, ``Python`` and ``Node`` tasks.

They predate task runners and keep their own property set (Kestra's ``AbstractBash``):
``runner`` PROCESS|DOCKER (=PROCESS) with ``dockerOptions``, ``interpreter`` (a single string,
=``/bin/sh``) plus ``interpreterArgs`` (=``["-c"]``), ``exitOnFailed`` (=true), ``outputFiles``
and ``outputDirs`` as lists of *keys* (each becomes a temporary file or directory, reachable as
``{{ outputFiles.key }}``), and the older ``files``/``outputsFiles`` spellings of ``outputFiles``.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, model_validator

from legato.model.tasks import RunnableTask
from legato.sdk import plugin
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


@plugin(
    "io.kestra.core.tasks.scripts.Node",
    title="Run a Node.js script (deprecated: use io.kestra.plugin.scripts.node.*).",
    deprecated=True,
)
class Node(LegacyScript):
    nodePath: str = "node"
    npmPath: str = "npm"
    args: list[str] | None = None

"""The older one-command dbt tasks: ``io.kestra.plugin.dbt.cli.{Build,Run,Test,Compile,Seed,
Snapshot,Deps}`` and ``Setup``.

The command tasks invoke ``<dbtPath> --log-format json [--debug] [--fail-fast] [--warn-error]
<command> --profiles-dir … [options]``; note ``failFast`` defaults to *false* here (it is dbt's
``--fail-fast``, not the shell's). ``Setup`` is a script task that creates a Python virtualenv
with ``requirements`` and writes ``profiles`` (a string or a map); it keeps its own ``runner``
(=PROCESS) and ``docker`` defaults. Prefer ``DbtCLI`` for new flows.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field, ValidationInfo, model_validator

from legato.model.property import Dyn
from legato.model.runners import AnyTaskRunner
from legato.sdk import RunnableTask, plugin
from legato.sdk.scripts import (
    DockerOptions,
    InputFiles,
    NamespaceFiles,
    RunnerType,
    ScriptTask,
    note_deprecated,
)

DBT_IMAGE = "ghcr.io/kestra-io/dbt"


class DbtCommand(RunnableTask):
    """Properties of the one-command dbt tasks."""

    deprecated_properties: ClassVar[dict[str, str]] = {
        "runner": "use 'taskRunner' instead",
        "docker": "use 'taskRunner' instead",
        "dockerOptions": "use 'taskRunner' instead",
    }

    failFast: Dyn[bool] = False
    warnError: Dyn[bool] = False
    debug: Dyn[bool] = False
    projectDir: Dyn[str] | None = None
    dbtPath: Dyn[str] = "./bin/dbt"
    profiles: Dyn[str] | None = None
    taskRunner: AnyTaskRunner | None = None
    containerImage: Dyn[str] = DBT_IMAGE
    runner: RunnerType | None = None
    docker: DockerOptions | None = None
    dockerOptions: DockerOptions | None = None
    env: Dyn[dict[str, str]] | None = None
    parseRunResults: Dyn[bool] = True
    namespaceFiles: NamespaceFiles | None = None
    inputFiles: InputFiles | None = None
    outputFiles: list[str] | None = None
    thread: Dyn[int] | None = None
    fullRefresh: Dyn[bool] = False
    target: Dyn[str] | None = None
    selector: Dyn[str] | None = None
    select: Dyn[list[str]] | None = None
    exclude: Dyn[list[str]] | None = None

    @model_validator(mode="after")
    def _note_deprecated(self, info: ValidationInfo) -> DbtCommand:
        note_deprecated(self, info, self.deprecated_properties)
        return self


@plugin("io.kestra.plugin.dbt.cli.Build", title="Invoke dbt build.")
class Build(DbtCommand):
    pass


@plugin("io.kestra.plugin.dbt.cli.Run", title="Invoke dbt run.")
class Run(DbtCommand):
    pass


@plugin("io.kestra.plugin.dbt.cli.Test", title="Invoke dbt test.")
class Test(DbtCommand):
    pass


@plugin("io.kestra.plugin.dbt.cli.Compile", title="Invoke dbt compile.")
class Compile(DbtCommand):
    pass


@plugin("io.kestra.plugin.dbt.cli.Seed", title="Invoke dbt seed.")
class Seed(DbtCommand):
    pass


@plugin("io.kestra.plugin.dbt.cli.Snapshot", title="Invoke dbt snapshot.")
class Snapshot(DbtCommand):
    pass


@plugin("io.kestra.plugin.dbt.cli.Deps", title="Invoke dbt deps.")
class Deps(DbtCommand):
    pass


@plugin("io.kestra.plugin.dbt.cli.Setup", title="Set up dbt in a Python virtualenv.")
class Setup(ScriptTask):
    """Install dbt with pip in a virtualenv and write the profiles."""

    deprecated_properties: ClassVar[dict[str, str]] = {
        "dockerOptions": "use 'docker' instead",
        "outputDirectory": "use 'outputFiles' instead",
    }

    profiles: str | Annotated[dict[str, Any], Field(min_length=1)]
    pythonPath: Annotated[str, Field(min_length=1)] = "python"
    requirements: list[str]
    exitOnFailed: bool = True
    runner: RunnerType = "PROCESS"
    docker: DockerOptions = DockerOptions(image="python")
    dockerOptions: DockerOptions | None = None


COMMANDS = [Build, Run, Test, Compile, Seed, Snapshot, Deps]

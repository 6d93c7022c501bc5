"""The properties every script-like task shares (Kestra's ``AbstractExecScript``).

Script tasks (``io.kestra.plugin.scripts.*``) and dbt's ``DbtCLI`` run commands in a working
directory through a task runner; this module declares what they have in common so both plugin
groups can build on it without importing each other.

Invariants:

* Property names, defaults and enums are Kestra's. ``taskRunner`` left unset means Kestra's
  default, the Docker task runner (``DEFAULT_TASK_RUNNER``); a task's ``containerImage`` default
  is set by each concrete class.
* ``outputFiles`` globs are relative to the working directory: an absolute path or a ``..``
  segment is rejected with a message naming the glob. Expressions are checked when rendered.
* ``inputFiles`` is a map of file name to content/URI, or a JSON string of such a map.
* Deprecated properties (``runner``, ``docker``, ``outputDirectory``) are accepted; using one adds
  a note to ``ParseContext.warnings``.
* Nothing here runs anything: these are declarations for validation.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    TypeAdapter,
    ValidationInfo,
    model_validator,
)

from legato.model.plugin import ParseContext
from legato.model.property import Dyn, Expression, is_expression
from legato.model.runners import AnyTaskRunner
from legato.model.tasks import RunnableTask
from legato.model.violations import PropertyError

__all__ = [
    "DEFAULT_TASK_RUNNER",
    "Cpu",
    "Credentials",
    "DeviceRequest",
    "DockerOptions",
    "FileExistsBehavior",
    "InputFiles",
    "Memory",
    "NamespaceFiles",
    "OutputFiles",
    "PullPolicy",
    "RunnerType",
    "ScriptTask",
    "TargetOS",
    "check_output_glob",
    "note_deprecated",
]

#: the task runner Kestra uses when a script task sets none
DEFAULT_TASK_RUNNER = "io.kestra.plugin.scripts.runner.docker.Docker"

TargetOS = Literal["LINUX", "WINDOWS", "AUTO"]
RunnerType = Literal["PROCESS", "DOCKER"]
PullPolicy = Literal["IF_NOT_PRESENT", "ALWAYS", "NEVER"]
FileExistsBehavior = Literal["OVERWRITE", "FAIL", "WARN", "IGNORE"]


class _Options(BaseModel):
    """A nested property object: unknown keys are errors, as on plugins."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def check_output_glob(glob: str) -> str:
    """Reject an ``outputFiles`` glob that leaves the working directory.

    Raises:
        ValueError: naming the glob, when it is absolute or holds a ``..`` segment.
    """
    if is_expression(glob):
        return glob
    if glob.startswith(("/", "\\")) or (len(glob) > 1 and glob[1] == ":"):
        raise ValueError(
            f"outputFiles glob '{glob}' is an absolute path; write it relative to the "
            "task's working directory (e.g. 'out/*.csv')"
        )
    if ".." in glob.replace("\\", "/").split("/"):
        raise ValueError(
            f"outputFiles glob '{glob}' contains a '..' segment; output files must stay inside "
            "the task's working directory"
        )
    return glob


_EXPRESSION: TypeAdapter[Expression] = TypeAdapter(Expression)


def _output_files(value: Any) -> list[str] | Expression:
    if isinstance(value, str):
        if not is_expression(value):
            raise ValueError("outputFiles must be a list of globs (or an expression)")
        return _EXPRESSION.validate_python(value)
    if not isinstance(value, list):
        raise ValueError("outputFiles must be a list of globs (or an expression)")
    for index, glob in enumerate(value):
        if not isinstance(glob, str):
            raise PropertyError(f"outputFiles globs are strings, got {glob!r}", index)
        try:
            check_output_glob(glob)
        except ValueError as error:
            raise PropertyError(str(error), index) from None
    return list(value)


#: ``outputFiles``: relative globs of files to keep after the run (or an expression)
OutputFiles = Annotated[
    list[str] | Expression,
    PlainValidator(_output_files, json_schema_input_type=list[str] | str),
]


def _input_files_json(value: Any) -> Any:
    if not isinstance(value, str) or is_expression(value):
        return value
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ValueError(
            "inputFiles must be a map of file name to content (or a JSON string of such a map)"
        )
    return parsed


#: ``inputFiles``: file name → inline content or ``kestra://`` URI, or a JSON string of that map
InputFiles = Annotated[dict[str, str] | Expression, BeforeValidator(_input_files_json)]


class NamespaceFiles(_Options):
    """``namespaceFiles``: which namespace files to copy into the working directory."""

    enabled: Dyn[bool] = True
    include: Dyn[list[str]] | None = None
    exclude: Dyn[list[str]] | None = None
    #: namespaces to read from, in order; unset means the flow's own namespace
    namespaces: Dyn[list[str]] | None = None
    ifExists: Dyn[FileExistsBehavior] = "OVERWRITE"
    folderPerNamespace: Dyn[bool] = False


class Credentials(_Options):
    """Credentials for a private container registry."""

    registry: Dyn[str] | None = None
    username: Dyn[str] | None = None
    password: Dyn[str] | None = None
    registryToken: Dyn[str] | None = None
    identityToken: Dyn[str] | None = None
    auth: Dyn[str] | None = None


class Cpu(_Options):
    """CPU limits of a container."""

    cpus: Dyn[float] | None = None


class Memory(_Options):
    """Memory limits of a container (sizes like ``512MB``)."""

    memory: Dyn[str] | None = None
    memorySwap: Dyn[str] | None = None
    memorySwappiness: Dyn[str] | None = None
    memoryReservation: Dyn[str] | None = None
    kernelMemory: Dyn[str] | None = None
    oomKillDisable: Dyn[bool] | None = None


class DeviceRequest(_Options):
    """A request for devices (GPUs…) sent to the container's device drivers."""

    driver: Dyn[str] | None = None
    count: Dyn[int] | None = None
    deviceIds: Dyn[list[str]] | None = None
    capabilities: Dyn[list[list[str]]] | None = None
    options: Dyn[dict[str, str]] | None = None


class DockerOptions(_Options):
    """The deprecated ``docker:`` object of script tasks (use ``taskRunner`` instead)."""

    host: Dyn[str] | None = None
    config: str | dict[str, Any] | None = None
    configPath: Dyn[str] | None = None
    credentials: Credentials | None = None
    image: Dyn[str] | None = None
    user: Dyn[str] | None = None
    entryPoint: Dyn[list[str]] | None = None
    extraHosts: Dyn[list[str]] | None = None
    networkMode: Dyn[str] | None = None
    volumes: Dyn[list[str]] | None = None
    pullPolicy: Dyn[PullPolicy] = "IF_NOT_PRESENT"
    deviceRequests: list[DeviceRequest] | None = None
    cpu: Cpu | None = None
    memory: Memory | None = None
    shmSize: Dyn[str] | None = None
    privileged: Dyn[bool] | None = None


def note_deprecated(model: BaseModel, info: ValidationInfo, deprecated: dict[str, str]) -> None:
    """Add a ``ParseContext`` warning for each deprecated property ``model`` was given.

    ``deprecated`` maps a property name to the advice (what to use instead).
    """
    context = info.context
    if isinstance(context, dict):
        context = context.get("parse")
    if not isinstance(context, ParseContext):
        return
    for name in sorted(model.model_fields_set & deprecated.keys()):
        context.warnings.append((name, f"'{name}' is deprecated; {deprecated[name]}"))


class ScriptTask(RunnableTask):
    """Properties shared by script tasks: commands run through a task runner in a working dir.

    Concrete tasks add ``script`` or ``commands`` and override ``containerImage``'s default.
    """

    #: deprecated properties and what to use instead
    deprecated_properties: ClassVar[dict[str, str]] = {
        "runner": "use 'taskRunner' instead",
        "docker": "use 'taskRunner' with type " + DEFAULT_TASK_RUNNER + " instead",
        "outputDirectory": "use 'outputFiles' instead",
        "warningOnStdErr": (
            "it has no effect since Kestra 0.23: stderr lines are logged at ERROR and the exit "
            "code alone decides the state (use 'allowWarning'/'allowFailure' to relax it)"
        ),
    }

    taskRunner: AnyTaskRunner | None = None
    containerImage: Dyn[str] | None = None
    beforeCommands: Dyn[list[str]] | None = None
    interpreter: Dyn[list[str]] = ["/bin/sh", "-c"]
    env: Dyn[dict[str, str]] | None = None
    #: deprecated, without effect (Kestra 0.23 dropped WARNING on stderr)
    warningOnStdErr: Dyn[bool] | None = None
    failFast: Dyn[bool] = True
    namespaceFiles: NamespaceFiles | None = None
    inputFiles: InputFiles | None = None
    outputFiles: OutputFiles | None = None
    targetOS: Dyn[TargetOS] = "AUTO"
    runner: RunnerType | None = None
    docker: DockerOptions | None = None
    outputDirectory: Dyn[bool] | None = None

    @model_validator(mode="after")
    def _note_deprecated(self, info: ValidationInfo) -> ScriptTask:
        note_deprecated(self, info, self.deprecated_properties)
        return self

"""How a script task (``sdk.scripts.ScriptTask``) becomes a ``ScriptJob`` and runs.

Invariants: ``script``/``commands``/``beforeCommands``/``env``/``interpreter`` are rendered with
``workingDir`` and ``outputDir`` as extra variables, and ``kestra://`` URIs in commands and
scripts are replaced by local copies; a ``script`` is written to a file in the
working directory and run with the language's command (``script_command``), Python's prefixed
with ``true=True; false=False; null=None`` (Kestra's JSON-literal aliases). ``extra_env`` comes
from the language (a dependency environment, the ``kestra`` package): its ``PATH`` and
``PYTHONPATH`` are prefixes put before the task's own value (its ``env``, else the worker's);
its other keys go under the task's own ``env``. With ``execution_context`` the context file is
written (``context_file``) and removed once the commands are done. A ``script`` without
``beforeCommands`` under the default ``/bin/sh -c`` runs without that shell (``without_shell``):
the same program, arguments, directory and environment (``PWD`` set as the shell would), one
process fewer. A task asking for Docker runs in a container when one can run
(``docker_select.container_launcher``): the language's ``extra_env`` (host paths) is then left
out, the script always runs through the interpreter, and the worker's Python (a host path) is
the image's ``python``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from legato.plugins.scripts.context_file import CONTEXT_ENV, write_execution_context
from legato.plugins.scripts.docker_select import container_launcher
from legato.plugins.scripts.fallback import PROCESS_RUNNER
from legato.plugins.scripts.files import localize_uris
from legato.plugins.scripts.namespace import copy_namespace_files
from legato.plugins.scripts.runner import (
    ScriptJob,
    directories,
    path_variables,
    prepare,
    run_commands,
)
from legato.sdk.input_files import input_file_map
from legato.sdk.run_context import RunContext
from legato.sdk.scripts import ScriptTask

__all__ = [
    "DEFAULT_SHELL",
    "PATH_LIKE",
    "PYTHON_PRELUDE",
    "merge_env",
    "python_executable",
    "run_script_task",
    "without_shell",
]

PYTHON_PRELUDE = "true=True; false=False; null=None\n"
#: variables whose ``extra_env`` value is a prefix of search paths
PATH_LIKE = frozenset({"PATH", "PYTHONPATH"})
#: the interpreter script tasks have by default
DEFAULT_SHELL = ["/bin/sh", "-c"]


def python_executable() -> str:
    """A ``python3`` (else ``python``) on PATH, else the worker's own interpreter."""
    return shutil.which("python3") or shutil.which("python") or sys.executable


def run_script_task(
    task: ScriptTask,
    ctx: RunContext,
    *,
    script: Any = None,
    commands: Any = None,
    script_command: str = "/bin/sh",
    script_name: str = "script.sh",
    prelude: str = "",
    extra_env: dict[str, str] | None = None,
    execution_context: bool = False,
) -> dict[str, Any]:
    """Run ``task`` (its ``script`` or its ``commands``) and return its outputs."""
    launcher = container_launcher(task, ctx) if _wants_docker(task) else None
    if launcher is not None:
        extra_env = None
        if script_command == shlex.quote(python_executable()):
            script_command = "python"
    working, output = directories(ctx)
    extra = path_variables(working, output)
    prepare(ctx, input_file_map(ctx, task.inputFiles), working)
    if task.namespaceFiles is not None:
        copy_namespace_files(ctx, task.namespaceFiles, working)
    lines = [localize_uris(ctx, line, working) for line in _list(ctx, task.beforeCommands, extra)]
    before = len(lines)
    if script is not None:
        path = working / script_name
        text = localize_uris(ctx, ctx.render_string(script, extra), working)
        path.write_text(prelude + text, encoding="utf-8")
        lines.append(f"{script_command} {shlex.quote(str(path))}")
    else:
        lines.extend(localize_uris(ctx, line, working) for line in _list(ctx, commands, extra))
    job = ScriptJob(
        interpreter=_list(ctx, task.interpreter, extra),
        lines=lines,
        env=merge_env(extra_env or {}, _env(ctx, task.env, extra), os.environ),
        output_globs=_list(ctx, task.outputFiles, extra),
        fail_fast=ctx.render_as(task.failFast, bool),
        warning_on_stderr=False,  # Kestra ≥ 0.23: stderr never makes the task WARNING
        launcher=launcher,
    )
    if script is not None and not before and launcher is None:
        job.argv = without_shell(job.interpreter, lines[-1], job.env)
    if execution_context:
        context = write_execution_context(ctx, working)
        job.env[CONTEXT_ENV] = str(context)
        job.private_files.append(context)
    return run_commands(ctx, job, working, output)


def without_shell(
    interpreter: Sequence[str], command: str, env: Mapping[str, str]
) -> list[str] | None:
    """``command`` as an argv to run without the default shell, which would only start it
    (saving a process per run); None when the interpreter is not the default one or the
    command's program is not on the task's ``PATH`` (the shell then runs and reports it)."""
    if list(interpreter) != DEFAULT_SHELL:
        return None
    argv = shlex.split(command)
    program = shutil.which(argv[0], path=env.get("PATH", os.environ.get("PATH")))
    return [program, *argv[1:]] if program else None


def merge_env(
    extra: Mapping[str, str], task_env: Mapping[str, str], base: Mapping[str, str]
) -> dict[str, str]:
    """The task's variables over ``extra``'s, with ``extra``'s ``PATH_LIKE`` values put before
    the task's value (else ``base``'s)."""
    merged = {**extra, **task_env}
    for key in PATH_LIKE & extra.keys():
        rest = task_env.get(key, base.get(key, ""))
        merged[key] = f"{extra[key]}{os.pathsep}{rest}" if rest else extra[key]
    return merged


def _wants_docker(task: ScriptTask) -> bool:
    if task.taskRunner is not None:
        return task.taskRunner.type != PROCESS_RUNNER
    if task.runner is not None:
        return task.runner == "DOCKER"
    return True


def _list(ctx: RunContext, value: Any, extra: dict[str, str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [ctx.render_string(item, extra) for item in value]
    rendered = ctx.render_as(value, list[Any], extra)
    return [str(item) for item in rendered]


def _env(ctx: RunContext, env: Any, extra: dict[str, str]) -> dict[str, str]:
    if isinstance(env, dict):  # each value renders to text, as Kestra's (a list → its JSON)
        return {str(k): ctx.render_string(v, extra) for k, v in env.items()}
    return {k: str(v) for k, v in ctx.render_as(env or {}, dict[str, Any], extra).items()}

"""Run a script task's command lines with the Process runner and build Kestra's outputs.

``run_commands`` is the one place a script task runs: it prepares the working directory
(input files, namespace files, an output directory), runs ``interpreter + [joined lines]`` as a
process, streams its lines to the task logger (stdout INFO, stderr ERROR — Kestra's level since
0.21, was WARN before — both parsed for ``::{...}::`` messages), then uploads output files.

Invariants:

* ``{{ workingDir }}`` / ``{{ outputDir }}`` render to the real local paths, also given as the
  ``WORKING_DIR`` / ``OUTPUT_DIR`` environment variables, on top of the worker's environment.
* Lines are joined with newlines; with ``fail_fast`` a shell interpreter gets ``set -e`` first.
  A job with an ``argv`` runs that instead (with ``PWD`` set to the working directory).
* A non-zero exit raises ``TaskError`` with the exit code and the last stderr lines; a killed
  or timed-out run raises ``TaskError`` (the worker decides the final state).
* ``private_files`` (e.g. the execution context file) are removed once the process has ended,
  before output files are collected.
* Outputs: ``exitCode``, ``vars``, ``outputFiles`` (when any), ``stdOutLineCount``,
  ``stdErrLineCount``.
* A job with a ``launcher`` (a container runner) hands it the argv, the working directory and
  the task's own environment (no worker variables); the launcher streams lines the same way.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legato.plugins.scripts.files import collect_output_files
from legato.plugins.scripts.process import LineHandler, ProcessResult, run_process
from legato.plugins.scripts.protocol import apply_message, parse_message
from legato.sdk.input_files import write_input_files
from legato.sdk.run_context import RunContext, TaskError, TaskWarning

__all__ = ["STDERR_TAIL", "Launcher", "ScriptJob", "join_commands", "run_commands"]

#: how many trailing stderr lines a failure message quotes
STDERR_TAIL = 10
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash"})

#: runs a job elsewhere (a container): (argv, working dir, task env, on_line, is_killed)
Launcher = Callable[
    [Sequence[str], Path, Mapping[str, str], LineHandler, Callable[[], bool]], ProcessResult
]


@dataclass
class ScriptJob:
    """What to run: rendered command lines and the prepared directory's settings."""

    interpreter: list[str]
    lines: list[str]
    env: dict[str, str] = field(default_factory=dict)
    output_globs: list[str] = field(default_factory=list)
    fail_fast: bool = True
    warning_on_stderr: bool = True
    private_files: list[Path] = field(default_factory=list)
    #: run this argv instead of ``interpreter + [joined lines]`` (a script without its shell)
    argv: list[str] | None = None
    #: where the job runs instead of a local process (the Docker task runner)
    launcher: Launcher | None = None


@dataclass
class _Streams:
    ctx: RunContext
    variables: dict[str, Any] = field(default_factory=dict)
    stdout_count: int = 0
    stderr_count: int = 0
    stderr_tail: deque[str] = field(default_factory=lambda: deque(maxlen=STDERR_TAIL))

    def on_line(self, stream: str, line: str) -> None:
        message = parse_message(line)
        if stream == "stdout":
            self.stdout_count += 1
        else:
            self.stderr_count += 1
            if message is None:
                self.stderr_tail.append(line)
        if message is not None:
            apply_message(message, self.ctx, self.variables)
        elif stream == "stdout":
            self.ctx.logger.info(line)
        else:
            self.ctx.logger.error(line)


def join_commands(interpreter: Sequence[str], lines: Sequence[str], fail_fast: bool) -> str:
    """The single script text the interpreter receives (``set -e`` first for a failing-fast
    shell)."""
    shell = bool(interpreter) and Path(interpreter[0]).name in _SHELLS
    prefix = ["set -e"] if fail_fast and shell else []
    return "\n".join([*prefix, *lines])


def directories(ctx: RunContext) -> tuple[Path, Path]:
    """The attempt's working directory and its output directory (created)."""
    working = ctx.working_dir()
    output = working / "outputs"
    output.mkdir(exist_ok=True)
    return working, output


def path_variables(working: Path, output: Path) -> dict[str, str]:
    """Extra render variables of a script task."""
    return {"workingDir": str(working), "outputDir": str(output)}


def prepare(ctx: RunContext, input_files: Mapping[str, str], working: Path) -> None:
    """Write the input files into the working directory."""
    write_input_files(ctx, input_files, working)


def run_commands(ctx: RunContext, job: ScriptJob, working: Path, output: Path) -> dict[str, Any]:
    """Run ``job`` in ``working``; return the task outputs (or raise ``TaskError``)."""
    task_env = {**job.env, "WORKING_DIR": str(working), "OUTPUT_DIR": str(output)}
    env = {**os.environ, **task_env}
    if job.argv is None:
        argv = [*job.interpreter, join_commands(job.interpreter, job.lines, job.fail_fast)]
    else:
        argv, env["PWD"] = job.argv, str(working)
    streams = _Streams(ctx)
    try:
        if job.launcher is not None:
            result = job.launcher(argv, working, task_env, streams.on_line, ctx.is_killed)
        else:
            result = run_process(
                argv,
                cwd=working,
                env=env,
                on_line=streams.on_line,
                is_killed=ctx.is_killed,
            )
    finally:
        for path in job.private_files:
            path.unlink(missing_ok=True)
    if result.killed:
        raise TaskError("The script was killed (its process group was ended)", retryable=False)
    if result.exit_code != 0:
        raise TaskError(
            _failure(result.exit_code, streams),
            outputs={"exitCode": result.exit_code, "vars": streams.variables},
        )
    outputs: dict[str, Any] = {
        "exitCode": result.exit_code,
        "vars": streams.variables,
        "stdOutLineCount": streams.stdout_count,
        "stdErrLineCount": streams.stderr_count,
    }
    files = collect_output_files(ctx, job.output_globs, working, output)
    if files:
        outputs["outputFiles"] = files
    if job.warning_on_stderr and streams.stderr_count:
        raise TaskWarning(
            f"The script wrote {streams.stderr_count} line(s) to stderr (warningOnStdErr)",
            outputs=outputs,
        )
    return outputs


def _failure(exit_code: int, streams: _Streams) -> str:
    message = f"Command failed with exit code {exit_code}"
    if streams.stderr_tail:
        message += ":\n" + "\n".join(streams.stderr_tail)
    return message

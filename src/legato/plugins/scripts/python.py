"""``io.kestra.plugin.scripts.python.Script`` and ``Commands``.

Both add Kestra's Python dependency handling to the script-task properties: ``dependencies``
(pip specifiers, installed before the run), ``pythonVersion``, ``packageManager`` (UV, the
default, or PIP) and ``dependencyCacheEnabled`` (true). The default image is
``python:3.13-slim``. A ``Script`` runs with a ``python3``/``python`` found on PATH, prefixed
with ``true=True; false=False; null=None``; ``dependencies`` are installed with uv into a cached
environment (``python_env``) whose ``python`` runs the script and comes first on ``PATH``.
Both kinds of task can ``import kestra``: the pinned PyPI package is installed once beside the
interpreter and reached through ``PYTHONPATH`` (``kestra_package``), after the user's packages.
"""

from __future__ import annotations

import shlex
from typing import Any, Literal

from pydantic import BaseModel

from legato.model.property import Dyn
from legato.plugins.scripts.execute import PYTHON_PRELUDE, python_executable, run_script_task
from legato.plugins.scripts.kestra_package import python_path_prefix
from legato.plugins.scripts.languages import CommandsBody, ScriptBody
from legato.plugins.scripts.python_env import dependency_env
from legato.sdk import plugin
from legato.sdk.run_context import RunContext

PackageManager = Literal["UV", "PIP"]

DEFAULT_PYTHON_IMAGE = "python:3.13-slim"


class PythonProperties(BaseModel):
    """What Python tasks add: dependencies installed before the run."""

    containerImage: Dyn[str] | None = DEFAULT_PYTHON_IMAGE
    dependencies: Dyn[list[str]] | None = None
    pythonVersion: Dyn[str] | None = None
    dependencyCacheEnabled: Dyn[bool] = True
    packageManager: Dyn[PackageManager] = "UV"

    def script_env(self, ctx: RunContext, python: str) -> dict[str, str]:
        """Environment variables of the task's dependency environment (if any) and of the
        ``kestra`` package."""
        env = self.dependency_env(ctx, python)
        kestra_path = python_path_prefix(ctx, python)
        if kestra_path is not None:
            env["PYTHONPATH"] = kestra_path
        return env

    def dependency_env(self, ctx: RunContext, python: str) -> dict[str, str]:
        """Environment variables of the task's dependency environment (none without any)."""
        if self.dependencies is None:
            return {}
        dependencies = [str(d) for d in ctx.render_as(self.dependencies, list[Any])]
        if not dependencies:
            return {}
        return dependency_env(ctx, dependencies, python)


@plugin("io.kestra.plugin.scripts.python.Script", title="Run a Python script.")
class PythonScript(PythonProperties, ScriptBody):
    script_suffix = ".py"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Write ``script`` (with Kestra's prelude) to a ``.py`` file and run it with Python."""
        python = python_executable()
        extra_env = self.script_env(ctx, python)
        command = "python" if "VIRTUAL_ENV" in extra_env else shlex.quote(python)
        return run_script_task(
            self,
            ctx,
            script=self.script,
            script_command=command,
            script_name="script.py",
            prelude=PYTHON_PRELUDE,
            extra_env=extra_env,
            execution_context=ctx.render_as(self.executionContext, bool),
        )


@plugin("io.kestra.plugin.scripts.python.Commands", title="Run Python commands.")
class PythonCommands(PythonProperties, CommandsBody):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Run ``commands``, with the dependency environment first on ``PATH``."""
        return run_script_task(
            self,
            ctx,
            commands=self.commands,
            extra_env=self.script_env(ctx, python_executable()),
            execution_context=ctx.render_as(self.executionContext, bool),
        )

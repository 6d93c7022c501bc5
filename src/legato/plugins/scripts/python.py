"""``io.kestra.plugin.scripts.python.Script`` and ``Commands``.

Both add Kestra's Python dependency handling to the script-task properties: ``dependencies``
(pip specifiers, installed before the run), ``pythonVersion``, ``packageManager`` (UV, the
default, or PIP) and ``dependencyCacheEnabled`` (true). The default image is
``python:3.13-slim``. A ``Script`` runs with a ``python3``/``python`` found on PATH, prefixed
with ``true=True; false=False; null=None``; ``dependencies`` are refused (not supported yet).
"""

from __future__ import annotations

import shlex
from typing import Any, Literal

from pydantic import BaseModel

from legato.model.property import Dyn
from legato.plugins.scripts.execute import (
    PYTHON_PRELUDE,
    python_executable,
    refuse_dependencies,
    run_script_task,
)
from legato.plugins.scripts.languages import CommandsBody, ScriptBody
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


@plugin("io.kestra.plugin.scripts.python.Script", title="Run a Python script.")
class PythonScript(PythonProperties, ScriptBody):
    script_suffix = ".py"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Write ``script`` (with Kestra's prelude) to a ``.py`` file and run it with Python."""
        refuse_dependencies(ctx, self.dependencies)
        return run_script_task(
            self,
            ctx,
            script=self.script,
            script_command=shlex.quote(python_executable()),
            script_name="script.py",
            prelude=PYTHON_PRELUDE,
        )


@plugin("io.kestra.plugin.scripts.python.Commands", title="Run Python commands.")
class PythonCommands(PythonProperties, CommandsBody):
    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Run ``commands`` (Python's ``dependencies`` are refused: not supported yet)."""
        refuse_dependencies(ctx, self.dependencies)
        return run_script_task(self, ctx, commands=self.commands)

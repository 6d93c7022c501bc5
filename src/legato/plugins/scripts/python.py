"""``io.kestra.plugin.scripts.python.Script`` and ``Commands``.

Both add Kestra's Python dependency handling to the script-task properties: ``dependencies``
(pip specifiers, installed before the run), ``pythonVersion``, ``packageManager`` (UV, the
default, or PIP) and ``dependencyCacheEnabled`` (true). The default image is
``python:3.13-slim``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from legato.model.property import Dyn
from legato.plugins.scripts.languages import CommandsBody, ScriptBody
from legato.sdk import plugin

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
    pass


@plugin("io.kestra.plugin.scripts.python.Commands", title="Run Python commands.")
class PythonCommands(PythonProperties, CommandsBody):
    pass

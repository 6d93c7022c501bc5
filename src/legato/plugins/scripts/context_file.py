"""The execution context file of a script task (Kestra's ``executionContext: true``).

Invariants:

* It is ``.kestra-execution-context.json`` in the working directory: one JSON object holding the
  task run's render variables (``flow``, ``execution``, ``task``, ``taskrun``, ``inputs``,
  ``outputs``, ``labels``, ``vars``, ``trigger``…) except ``envs`` and ``globals``, which reach
  scripts as environment variables. Values JSON cannot hold are written as text.
* ``KESTRA_EXECUTION_CONTEXT_FILE`` names its absolute path (the ``kestra`` package reads it
  first), so a script that changes directory still finds it.
* It can hold SECRET inputs in plain text: the runner removes it as soon as the commands are
  done, before output files are collected, so no glob ever uploads it.
"""

from __future__ import annotations

import json
from pathlib import Path

from legato.sdk.run_context import RunContext

__all__ = ["CONTEXT_ENV", "CONTEXT_FILE", "LEFT_OUT", "write_execution_context"]

CONTEXT_FILE = ".kestra-execution-context.json"
CONTEXT_ENV = "KESTRA_EXECUTION_CONTEXT_FILE"
#: render variables that stay out of the file
LEFT_OUT = frozenset({"envs", "globals"})


def write_execution_context(ctx: RunContext, working: Path) -> Path:
    """Write the context file into ``working``; return its path."""
    data = {key: value for key, value in ctx.variables.items() if key not in LEFT_OUT}
    path = working / CONTEXT_FILE
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path

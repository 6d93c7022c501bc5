"""Core task runner ``runner.Process``: run a script task's commands as a local process.

It has no properties beyond ``type`` (and ``version``).
"""

from __future__ import annotations

from legato.sdk import TaskRunner, plugin


@plugin(
    "io.kestra.plugin.core.runner.Process",
    title="Run the commands of a script task as a process on the worker's host.",
)
class Process(TaskRunner):
    """Run the commands of a script task as a process on the worker's host."""

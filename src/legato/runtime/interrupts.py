"""What must be interrupted when an execution stops early (a kill, an SLA violation).

Invariant: a task run's child executions are read from its outputs only (a Subflow's
``executionId``, every ``executionIds`` of a ForEachItem batch run); ended children are listed
too, since killing an ended execution does nothing.
"""

from __future__ import annotations

from legato.model.execution import TaskRun


def child_executions(run: TaskRun) -> list[str]:
    """The executions ``run`` started."""
    outputs = run.outputs or {}
    single = outputs.get("executionId")
    if isinstance(single, str):
        return [single]
    return [i for i in outputs.get("executionIds") or [] if isinstance(i, str)]

"""The contract of the pure machine: ``step(execution, event, ctx) -> Transition``.

``step`` never raises for a problem of the flow or the data: a render error, a missing task, a
bad value all become FAILED task runs or a FAILED execution with an explaining log line in the
transition. Given the same execution, event and context it returns the same transition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from legato.model.execution import Execution
from legato.runtime.commands import Command

if TYPE_CHECKING:
    from legato.expressions.platform import Platform
    from legato.model.flow import Flow


@dataclass(frozen=True)
class LogLine:
    """A log line the executor writes for a decision (e.g. why a task run failed)."""

    level: str
    message: str
    task_run_id: str | None = None


@dataclass(frozen=True)
class StepContext:
    """What a step may know besides the execution and the event."""

    flow: Flow
    now: datetime
    #: a source of new 22-character base62 ids (deterministic in tests)
    ids: Callable[[], str]
    #: platform reads for expressions (kv(), secret()…), None in pure tests
    platform: Platform | None = None
    #: executions of this flow currently RUNNING (for the flow's ``concurrency`` limit)
    running_executions: int = 0
    #: ``envs`` render variable (``ENV_FOO`` → ``foo``, read by the service from the process)
    envs: Mapping[str, Any] = field(default_factory=dict)
    #: ``globals`` render variable (configured globals)
    globals_: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    """The execution after the event, and what must be done about it."""

    execution: Execution
    commands: tuple[Command, ...] = ()
    logs: tuple[LogLine, ...] = field(default=())

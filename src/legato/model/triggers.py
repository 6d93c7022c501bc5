"""The base of every trigger: the properties Kestra gives all triggers (§3.4 of the reference)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field

from legato.model.conditions import Conditions
from legato.model.execution import StateName
from legato.model.plugin import Child, Plugin, PluginKind
from legato.model.property import WorkerGroup
from legato.model.tasks import LogLevel

TRIGGER_ID_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9_-]*$"

State = StateName


class Trigger(Plugin):
    """Properties common to every trigger."""

    kind: ClassVar[PluginKind] = PluginKind.TRIGGER

    id: str = Field(pattern=TRIGGER_ID_PATTERN, max_length=256)
    description: str | None = None
    conditions: Conditions | None = None
    disabled: bool = False
    labels: Any = None
    stopAfter: list[State] | None = None
    logLevel: LogLevel | None = None
    logToFile: bool = False
    workerGroup: WorkerGroup = None
    minLogLevel: LogLevel | None = None
    version: str | None = None


class PollingTrigger(Trigger):
    """A trigger a worker evaluates every ``interval``."""


AnyTrigger = Annotated[Trigger, Child(PluginKind.TRIGGER)]
Triggers = list[AnyTrigger]

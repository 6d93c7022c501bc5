"""Small plugin classes for the flow-model tests: one of each kind, declared like real plugins."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from legato.model.registry import PluginRegistry
from legato.sdk import (
    AnyTaskRunner,
    Condition,
    Conditions,
    Dyn,
    FlowableTask,
    RunnableTask,
    TaskRunner,
    Tasks,
    Trigger,
    plugin,
)


@plugin("io.test.log.Log", aliases=("io.test.legacy.Log",))
class Log(RunnableTask):
    """Log a message."""

    message: Dyn[str]
    level: Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] = "INFO"


@plugin("io.test.flow.If")
class If(FlowableTask):
    """Branch."""

    condition: str
    then: Tasks
    else_: Tasks | None = Field(None, alias="else")


@plugin("io.test.flow.Subflow")
class Subflow(RunnableTask):
    """Start another flow."""

    namespace: str
    flowId: str


@plugin("io.test.script.Shell")
class Shell(RunnableTask):
    """Run commands."""

    commands: list[str]
    taskRunner: AnyTaskRunner | None = None


@plugin("io.test.runner.Process")
class Process(TaskRunner):
    """Run as a local process."""


@plugin("io.test.condition.Expression")
class ExpressionCondition(Condition):
    """A condition."""

    expression: str


@plugin("io.test.trigger.Schedule", aliases=("io.test.legacy.Schedule",))
class Schedule(Trigger):
    """On a cron."""

    cron: str
    conditions: Conditions | None = None


PLUGINS = [Log, If, Subflow, Shell, Process, ExpressionCondition, Schedule]


def registry() -> PluginRegistry:
    """A registry of the test plugins."""
    return PluginRegistry(PLUGINS)

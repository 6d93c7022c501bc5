"""Core conditions: date conditions for schedules, execution conditions for flow triggers, and
the combinators (``Not``, ``Or``, ``Expression``, ``MultipleCondition``)."""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.core.conditions import dates, executions, logic

PLUGINS: list[type[Plugin]] = [
    dates.DateTimeBetween,
    dates.DayWeek,
    dates.DayWeekInMonth,
    dates.Weekend,
    dates.PublicHoliday,
    dates.TimeBetween,
    executions.ExecutionFlow,
    executions.ExecutionNamespace,
    executions.ExecutionStatus,
    executions.ExecutionLabels,
    executions.ExecutionOutputs,
    executions.HasRetryAttempt,
    executions.FlowCondition,
    executions.FlowNamespaceCondition,
    logic.Expression,
    logic.Not,
    logic.Or,
    logic.MultipleCondition,
]

"""Every core plugin registers under its Kestra type and legacy aliases, and validates a minimal
documented example; unknown properties are rejected everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from core_support import LOG, REGISTRY, context, log, validate
from pydantic import BaseModel, ValidationError

from legato.model.plugin import ParseContext, PluginKind
from legato.plugins.core import PLUGINS
from legato.sdk import AnyTask

C = "io.kestra.plugin.core."
#: ForEachItem's internal tasks (Kestra's inner classes, dispatched to workers by type)
FEI = C + "flow.ForEachItem$"
T, TR, CO, RU = PluginKind.TASK, PluginKind.TRIGGER, PluginKind.CONDITION, PluginKind.TASK_RUNNER
FLOW_COND = {"type": C + "condition.ExecutionFlow", "namespace": "company.team", "flowId": "a"}

#: a minimal valid example per type, taken from Kestra's plugin documentation
EXAMPLES: list[tuple[PluginKind, dict[str, Any]]] = [
    (T, {"type": C + "log.Log", "message": "Hello World!"}),
    (T, {"type": C + "log.Fetch", "level": "INFO"}),
    (T, {"type": C + "log.PurgeLogs", "endDate": "2024-01-01T00:00:00Z"}),
    (T, {"type": C + "debug.Return", "format": "done"}),
    (T, {"type": C + "debug.Echo", "format": "done"}),
    (T, {"type": C + "output.OutputValues", "values": {"a": 1}}),
    (T, {"type": C + "execution.Fail"}),
    (T, {"type": C + "execution.Exit", "state": "KILLED"}),
    (T, {"type": C + "execution.Assert", "conditions": ["true"]}),
    (T, {"type": C + "execution.Labels", "labels": {"env": "prod"}}),
    (T, {"type": C + "execution.Resume"}),
    (
        T,
        {
            "type": C + "execution.Count",
            "expression": "true",
            "flows": [{"namespace": "company.team", "flowId": "logs"}],
        },
    ),
    (T, {"type": C + "execution.PurgeExecutions", "endDate": "2024-01-01T00:00:00Z"}),
    (T, {"type": C + "execution.SetVariables", "variables": {"message": "Hello"}}),
    (T, {"type": C + "execution.UnsetVariables", "variables": ["message"]}),
    (T, {"type": C + "flow.Sequential", "tasks": [log("a")]}),
    (T, {"type": C + "flow.Parallel", "tasks": [log("a")]}),
    (T, {"type": C + "flow.AllowFailure", "tasks": [log("a")]}),
    (T, {"type": C + "flow.If", "condition": "true", "then": [log("a")]}),
    (T, {"type": C + "flow.Switch", "value": "A", "cases": {"A": [log("a")]}}),
    (T, {"type": C + "flow.ForEach", "values": ["a", "b"], "tasks": [log("a")]}),
    (T, {"type": C + "flow.Loop", "values": ["a", "b"], "tasks": [log("a")]}),
    (T, {"type": C + "flow.EachSequential", "value": ["a"], "tasks": [log("a")]}),
    (T, {"type": C + "flow.EachParallel", "value": '["a", "b"]', "tasks": [log("a")]}),
    (T, {"type": C + "flow.LoopUntil", "condition": "true", "tasks": [log("a")]}),
    (
        T,
        {
            "type": C + "flow.ForEachItem",
            "items": "kestra:///f.ion",
            "namespace": "company.team",
            "flowId": "sub",
        },
    ),
    (T, {"type": FEI + "ForEachItemSplit", "items": "kestra:///f.ion", "rows": 10}),
    (
        T,
        {
            "type": FEI + "ForEachItemExecutable",
            "splits": "{{ outputs.each_split.splits }}",
            "namespace": "company.team",
            "flowId": "sub",
        },
    ),
    (T, {"type": FEI + "ForEachItemMergeOutputs", "subflowOutputs": [{"a": 1}]}),
    (T, {"type": C + "flow.Subflow", "namespace": "company.team", "flowId": "sub"}),
    (T, {"type": C + "flow.Dag", "tasks": [{"task": log("a")}]}),
    (T, {"type": C + "flow.Pause"}),
    (T, {"type": C + "flow.Sleep", "duration": "PT1S"}),
    (T, {"type": C + "flow.WorkingDirectory", "tasks": [log("a")]}),
    (T, {"type": C + "flow.Template", "namespace": "company.team", "templateId": "t"}),
    (T, {"type": C + "kv.Set", "key": "k", "value": 1}),
    (T, {"type": C + "kv.Get", "key": "k"}),
    (T, {"type": C + "kv.GetKeys"}),
    (T, {"type": C + "kv.Delete", "key": "k"}),
    (T, {"type": C + "storage.Write", "content": "Hello World", "extension": ".txt"}),
    (T, {"type": C + "storage.Concat", "files": ["kestra:///a", "kestra:///b"]}),
    (T, {"type": C + "storage.Split", "from": "kestra:///a", "rows": 10}),
    (T, {"type": C + "storage.Delete", "uri": "kestra:///a"}),
    (T, {"type": C + "storage.Size", "uri": "kestra:///a"}),
    (T, {"type": C + "storage.FilterItems", "from": "kestra:///a", "filterCondition": "true"}),
    (T, {"type": C + "storage.DeduplicateItems", "from": "kestra:///a", "expr": "id"}),
    (T, {"type": C + "storage.Reverse", "from": "kestra:///a"}),
    (T, {"type": C + "storage.LocalFiles", "inputs": {"a.txt": "x"}, "outputs": ["*.csv"]}),
    (T, {"type": C + "storage.PurgeCurrentExecutionFiles"}),
    (
        T,
        {
            "type": C + "namespace.UploadFiles",
            "namespace": "company.team",
            "files": ["glob:**/dbt/**"],
        },
    ),
    (T, {"type": C + "namespace.DownloadFiles", "namespace": "company.team", "files": ["a.sql"]}),
    (T, {"type": C + "namespace.DeleteFiles", "namespace": "company.team", "files": ["a.sql"]}),
    (T, {"type": C + "http.Request", "uri": "https://example.com"}),
    (T, {"type": C + "http.Download", "uri": "https://example.com/a.zip"}),
    (T, {"type": C + "templating.TemplatedTask", "spec": "type: io.kestra.plugin.core.log.Log"}),
    (T, {"type": C + "trigger.Toggle", "trigger": "schedule", "enabled": True}),
    (T, {"type": C + "state.Set", "data": {"a": 1}}),
    (T, {"type": C + "state.Get"}),
    (T, {"type": C + "state.Delete"}),
    (TR, {"type": C + "trigger.Schedule", "cron": "*/15 * * * *"}),
    (TR, {"type": C + "trigger.ScheduleOnDates", "dates": ["2024-12-24T00:00:00+01:00"]}),
    (TR, {"type": C + "trigger.Flow", "states": ["SUCCESS"]}),
    (TR, {"type": C + "trigger.Webhook", "key": "4wjtkzwVGBM9yKnjm3yv8r"}),
    (TR, {"type": C + "http.Trigger", "uri": "https://example.com"}),
    (CO, {"type": C + "condition.DateTimeBetween", "after": "2024-01-01T00:00:00Z"}),
    (CO, {"type": C + "condition.DayWeek", "dayOfWeek": "MONDAY"}),
    (CO, {"type": C + "condition.DayWeekInMonth", "dayOfWeek": "MONDAY", "dayInMonth": "FIRST"}),
    (CO, {"type": C + "condition.Weekend"}),
    (CO, {"type": C + "condition.PublicHoliday", "country": "FR"}),
    (CO, {"type": C + "condition.TimeBetween", "after": "09:00:00", "before": "17:00:00"}),
    (CO, FLOW_COND),
    (
        CO,
        {
            "type": C + "condition.ExecutionNamespace",
            "namespace": "company",
            "comparison": "PREFIX",
        },
    ),
    (CO, {"type": C + "condition.ExecutionStatus", "in": ["FAILED", "KILLED"]}),
    (CO, {"type": C + "condition.ExecutionLabels", "labels": {"owner": "john.doe"}}),
    (CO, {"type": C + "condition.ExecutionOutputs", "expression": "true"}),
    (CO, {"type": C + "condition.HasRetryAttempt", "in": ["FAILED"]}),
    (CO, {"type": C + "condition.FlowCondition", "namespace": "company.team", "flowId": "a"}),
    (CO, {"type": C + "condition.FlowNamespaceCondition", "namespace": "company"}),
    (CO, {"type": C + "condition.Expression", "expression": "true"}),
    (CO, {"type": C + "condition.Not", "conditions": [{"type": C + "condition.Weekend"}]}),
    (CO, {"type": C + "condition.Or", "conditions": [{"type": C + "condition.Weekend"}]}),
    (
        CO,
        {
            "type": C + "condition.MultipleCondition",
            "id": "multiple",
            "conditions": {"flow-a": FLOW_COND},
        },
    ),
    (RU, {"type": C + "runner.Process"}),
]


def _with_id(kind: PluginKind, raw: dict[str, Any]) -> dict[str, Any]:
    return {"id": "example", **raw} if kind in (T, TR) else dict(raw)


def test_every_core_plugin_has_an_example() -> None:
    covered = {raw["type"] for _, raw in EXAMPLES}
    assert covered == {cls.plugin_type for cls in PLUGINS}


def test_type_strings_are_unique_and_kestras() -> None:
    names = [cls.plugin_type for cls in PLUGINS]
    assert len(names) == len(set(names))
    assert all(name.startswith("io.kestra.plugin.core.") for name in names)


@pytest.mark.parametrize(("kind", "raw"), EXAMPLES, ids=[raw["type"] for _, raw in EXAMPLES])
def test_minimal_example_validates_and_keeps_its_type(
    kind: PluginKind, raw: dict[str, Any]
) -> None:
    plugin = validate(kind, _with_id(kind, raw))
    assert plugin.type == raw["type"]
    assert type(plugin).kind is kind


@pytest.mark.parametrize(("kind", "raw"), EXAMPLES, ids=[raw["type"] for _, raw in EXAMPLES])
def test_unknown_property_is_rejected(kind: PluginKind, raw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        validate(kind, {**_with_id(kind, raw), "bogusProperty": 1})
    assert [e["loc"] for e in caught.value.errors()] == [("bogusProperty",)]


@pytest.mark.parametrize(
    ("legacy", "current"),
    [
        ("io.kestra.core.tasks.log.Log", C + "log.Log"),
        ("io.kestra.core.tasks.log.Fetch", C + "log.Fetch"),
        ("io.kestra.core.tasks.debugs.Return", C + "debug.Return"),
        ("io.kestra.core.tasks.debugs.Echo", C + "debug.Echo"),
        ("io.kestra.core.tasks.executions.Fail", C + "execution.Fail"),
        ("io.kestra.core.tasks.executions.Labels", C + "execution.Labels"),
        ("io.kestra.core.tasks.executions.Counts", C + "execution.Count"),
        ("io.kestra.core.tasks.storages.Purge", C + "execution.PurgeExecutions"),
        (C + "storage.Purge", C + "execution.PurgeExecutions"),
        (C + "storage.PurgeExecution", C + "storage.PurgeCurrentExecutionFiles"),
        ("io.kestra.core.tasks.templating.TemplatedTask", C + "templating.TemplatedTask"),
        ("io.kestra.core.tasks.flows.Sequential", C + "flow.Sequential"),
        ("io.kestra.core.tasks.flows.Parallel", C + "flow.Parallel"),
        ("io.kestra.core.tasks.flows.If", C + "flow.If"),
        ("io.kestra.core.tasks.flows.Switch", C + "flow.Switch"),
        ("io.kestra.core.tasks.flows.EachSequential", C + "flow.EachSequential"),
        ("io.kestra.core.tasks.flows.EachParallel", C + "flow.EachParallel"),
        ("io.kestra.core.tasks.flows.Subflow", C + "flow.Subflow"),
        ("io.kestra.core.tasks.flows.Flow", C + "flow.Subflow"),
        ("io.kestra.core.tasks.flows.ForEachItem", C + "flow.ForEachItem"),
        ("io.kestra.core.tasks.flows.Pause", C + "flow.Pause"),
        ("io.kestra.core.tasks.flows.Dag", C + "flow.Dag"),
        ("io.kestra.core.tasks.flows.WorkingDirectory", C + "flow.WorkingDirectory"),
        ("io.kestra.core.tasks.flows.Worker", C + "flow.WorkingDirectory"),
        ("io.kestra.core.tasks.flows.Template", C + "flow.Template"),
        ("io.kestra.plugin.core.flow.WaitFor", C + "flow.LoopUntil"),
        ("io.kestra.core.tasks.storages.Concat", C + "storage.Concat"),
        ("io.kestra.core.tasks.storages.Split", C + "storage.Split"),
        ("io.kestra.core.tasks.storages.Delete", C + "storage.Delete"),
        ("io.kestra.core.tasks.storages.Size", C + "storage.Size"),
        ("io.kestra.core.tasks.storages.LocalFiles", C + "storage.LocalFiles"),
        ("io.kestra.core.tasks.storages.PurgeExecution", C + "storage.PurgeCurrentExecutionFiles"),
        ("io.kestra.core.tasks.states.Set", C + "state.Set"),
        ("io.kestra.core.tasks.trigger.Toggle", C + "trigger.Toggle"),
        ("io.kestra.plugin.fs.http.Request", C + "http.Request"),
        ("io.kestra.plugin.fs.http.Download", C + "http.Download"),
    ],
)
def test_legacy_task_alias_resolves_to_the_current_class(legacy: str, current: str) -> None:
    assert REGISTRY.resolve(T, legacy) is REGISTRY.resolve(T, current) is not None


@pytest.mark.parametrize(
    ("kind", "legacy", "current"),
    [
        (TR, "io.kestra.core.models.triggers.types.Schedule", C + "trigger.Schedule"),
        (TR, "io.kestra.core.models.triggers.types.Flow", C + "trigger.Flow"),
        (TR, "io.kestra.core.models.triggers.types.Webhook", C + "trigger.Webhook"),
        (TR, "io.kestra.plugin.fs.http.Trigger", C + "http.Trigger"),
        (
            CO,
            "io.kestra.core.models.conditions.types.ExecutionStatusCondition",
            C + "condition.ExecutionStatus",
        ),
        (CO, C + "condition.ExecutionStatusCondition", C + "condition.ExecutionStatus"),
        (
            CO,
            "io.kestra.core.models.conditions.types.DayWeekInMonthCondition",
            C + "condition.DayWeekInMonth",
        ),
        (
            CO,
            "io.kestra.core.models.conditions.types.ExpressionCondition",
            C + "condition.Expression",
        ),
        (
            CO,
            "io.kestra.core.models.conditions.types.MultipleCondition",
            C + "condition.MultipleCondition",
        ),
        (CO, "io.kestra.core.models.conditions.types.FlowCondition", C + "condition.FlowCondition"),
    ],
)
def test_legacy_trigger_and_condition_aliases(kind: PluginKind, legacy: str, current: str) -> None:
    assert REGISTRY.resolve(kind, legacy) is REGISTRY.resolve(kind, current) is not None


class Holder(BaseModel):
    task: AnyTask


def test_a_legacy_alias_validates_and_is_noted_as_legacy() -> None:
    ctx = context()
    held = Holder.model_validate(
        {"task": {"id": "a", "type": "io.kestra.core.tasks.log.Log", "message": "m"}},
        context=ctx,
    )
    assert held.task.type == "io.kestra.core.tasks.log.Log"
    assert type(held.task).plugin_type == LOG
    assert ctx.warnings == [
        ("type", f"'io.kestra.core.tasks.log.Log' is a legacy alias of '{LOG}'")
    ]


def test_a_typo_in_a_type_is_reported_with_a_suggestion() -> None:
    with pytest.raises(ValidationError, match=r"did you mean 'io\.kestra\.plugin\.core\.log\.Log'"):
        Holder.model_validate(
            {"task": {"id": "a", "type": "io.kestra.plugin.core.log.Lgo", "message": "m"}},
            context=ParseContext(registry=REGISTRY),
        )


@pytest.mark.parametrize(
    ("type_name", "in_executor"),
    [
        (C + "execution.Labels", True),
        (C + "execution.Exit", True),
        (C + "execution.SetVariables", True),
        (C + "execution.UnsetVariables", True),
        (C + "flow.If", True),
        (C + "flow.Subflow", True),
        (C + "flow.WorkingDirectory", True),
        (C + "log.Log", False),
        (C + "execution.Fail", False),
        (C + "flow.Sleep", False),
    ],
)
def test_where_tasks_run(type_name: str, in_executor: bool) -> None:
    assert REGISTRY.get(T, type_name).runs_in_executor is in_executor  # type: ignore[attr-defined]


def test_deprecated_types_are_marked() -> None:
    deprecated = {cls.plugin_type for cls in PLUGINS if cls.deprecated}
    assert {
        C + "debug.Echo",
        C + "flow.Template",
        C + "flow.EachSequential",
        C + "storage.LocalFiles",
        C + "state.Set",
        C + "condition.MultipleCondition",
    } <= deprecated
    assert C + "log.Log" not in deprecated


@pytest.mark.parametrize(
    ("kind", "raw", "name"),
    [
        (
            T,
            {"type": C + "flow.Subflow", "namespace": "n", "flowId": "f", "outputs": {}},
            "outputs",
        ),
        (T, {"type": C + "http.Request", "uri": "https://x", "allowFailed": True}, "allowFailed"),
        (T, {"type": C + "http.Download", "uri": "https://x", "sslOptions": {}}, "sslOptions"),
        (TR, {"type": C + "trigger.Schedule", "cron": "@daily", "backfill": {}}, "backfill"),
        (
            CO,
            {
                "type": C + "condition.MultipleCondition",
                "id": "m",
                "window": "PT1H",
                "conditions": {"a": FLOW_COND},
            },
            "window",
        ),
    ],
)
def test_deprecated_properties_are_accepted_and_noted(
    kind: PluginKind, raw: dict[str, Any], name: str
) -> None:
    ctx = context()
    validate(kind, _with_id(kind, raw), ctx)
    assert [path for path, _ in ctx.warnings] == [name]
    assert "deprecated" in ctx.warnings[0][1]


def test_current_properties_are_not_noted() -> None:
    ctx = context()
    validate(T, _with_id(T, {"type": C + "http.Request", "uri": "https://x"}), ctx)
    assert ctx.warnings == []

"""Core conditions: date defaults, required properties, enums, combinators and the deprecated
MultipleCondition."""

from __future__ import annotations

from typing import Any

import pytest
from core_support import condition, errors

from legato.model.plugin import PluginKind

C = "io.kestra.plugin.core.condition."


def condition_errors(raw: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    return errors(PluginKind.CONDITION, raw)


@pytest.mark.parametrize("name", ["DateTimeBetween", "Weekend", "PublicHoliday", "TimeBetween"])
def test_date_conditions_test_the_trigger_date_by_default(name: str) -> None:
    assert condition({"type": C + name}).date == "{{ trigger.date }}"


def test_day_week_in_month_needs_day_of_week_and_day_in_month() -> None:
    missing = {loc for loc, _ in condition_errors({"type": C + "DayWeekInMonth"})}
    assert missing == {("dayOfWeek",), ("dayInMonth",)}
    bad = condition_errors(
        {"type": C + "DayWeekInMonth", "dayOfWeek": "MONDAY", "dayInMonth": "FIFTH"}
    )
    assert {loc[0] for loc, _ in bad} == {"dayInMonth"}


def test_day_week_uses_java_day_names() -> None:
    assert condition({"type": C + "DayWeek", "dayOfWeek": "SUNDAY"}).dayOfWeek == "SUNDAY"
    assert {
        loc[0] for loc, _ in condition_errors({"type": C + "DayWeek", "dayOfWeek": "Sunday"})
    } == {"dayOfWeek"}


def test_execution_status_reads_in_and_not_in() -> None:
    status = condition({"type": C + "ExecutionStatus", "in": ["FAILED"], "notIn": ["SUCCESS"]})
    assert (status.in_, status.notIn) == (["FAILED"], ["SUCCESS"])
    assert status.model_dump(by_alias=True, exclude_unset=True)["in"] == ["FAILED"]
    assert [
        loc for loc, _ in condition_errors({"type": C + "ExecutionStatus", "in": ["DONE"]})
    ] == [("in", 0)]


def test_execution_namespace() -> None:
    namespace = condition({"type": C + "ExecutionNamespace", "namespace": "company"})
    assert (namespace.comparison, namespace.prefix) == (None, False)
    assert condition_errors({"type": C + "ExecutionNamespace"}) == [
        (("namespace",), "Field required")
    ]
    bad = condition_errors(
        {"type": C + "ExecutionNamespace", "namespace": "a", "comparison": "LIKE"}
    )
    assert {loc[0] for loc, _ in bad} == {"comparison"}


def test_execution_flow_needs_namespace_and_flow_id() -> None:
    assert {loc for loc, _ in condition_errors({"type": C + "ExecutionFlow"})} == {
        ("namespace",),
        ("flowId",),
    }


def test_execution_labels_refuse_system_labels() -> None:
    [(loc, message)] = condition_errors(
        {"type": C + "ExecutionLabels", "labels": {"system.x": "1"}}
    )
    assert loc == ("labels",)
    assert "reserved" in message


@pytest.mark.parametrize("name", ["Not", "Or"])
def test_combinators_nest_conditions_and_refuse_an_empty_list(name: str) -> None:
    nested = condition(
        {"type": C + name, "conditions": [{"type": C + "DayWeek", "dayOfWeek": "MONDAY"}]}
    )
    assert type(nested.conditions[0]).__name__ == "DayWeek"
    [(loc, message)] = condition_errors({"type": C + name, "conditions": []})
    assert loc == ("conditions",)
    assert "cannot be empty" in message
    assert condition_errors({"type": C + name, "conditions": [{"type": C + "DayWeek"}]}) == [
        (("conditions", 0, "dayOfWeek"), "Field required")
    ]


def test_a_task_type_is_not_a_condition() -> None:
    [(loc, message)] = condition_errors(
        {"type": C + "Not", "conditions": [{"type": "io.kestra.plugin.core.log.Log"}]}
    )
    assert loc == ("conditions", 0, "type")
    assert "it is a task type, not a condition type" in message


def test_multiple_condition() -> None:
    flow_condition = {"type": C + "ExecutionFlow", "namespace": "n", "flowId": "a"}
    multiple = condition(
        {
            "type": C + "MultipleCondition",
            "id": "multiple",
            "sla": {"window": "PT12H"},
            "conditions": {"flow-a": flow_condition},
        }
    )
    assert multiple.resetOnSuccess is True
    assert type(multiple.conditions["flow-a"]).__name__ == "ExecutionFlow"
    assert {
        loc for loc, _ in condition_errors({"type": C + "MultipleCondition", "conditions": {}})
    } == {
        ("id",),
        ("conditions",),
    }
    bad_id = {"type": C + "MultipleCondition", "id": "a.b", "conditions": {"x": flow_condition}}
    assert [loc for loc, _ in condition_errors(bad_id)] == [("id",)]

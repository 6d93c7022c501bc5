"""Core triggers: cron and time-zone validation, Webhook key rules, Flow trigger dependencies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from core_support import errors, trigger

from legato.model.plugin import PluginKind
from legato.plugins.core.triggers.schedule import cron_problem

T = "io.kestra.plugin.core.trigger."
FLOW_COND = {
    "type": "io.kestra.plugin.core.condition.ExecutionFlow",
    "namespace": "n",
    "flowId": "f",
}


def _s(**props: Any) -> dict[str, Any]:
    return {"id": "schedule", "type": T + "Schedule", **props}


def trigger_errors(raw: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    return errors(PluginKind.TRIGGER, raw)


@pytest.mark.parametrize(
    "cron",
    [
        "*/15 * * * *",
        "30 6 * * *",
        "0 11 * * 1",
        "0 9 * * MON-FRI",
        "0 0 1 JAN *",
        "0 0 * * 7",
        "@hourly",
        "@daily",
        "@midnight",
        "@weekly",
        "@monthly",
        "@yearly",
        "@annually",
    ],
)
def test_valid_crons(cron: str) -> None:
    assert trigger(_s(cron=cron)).cron == cron


@pytest.mark.parametrize(
    ("cron", "fragment"),
    [
        ("*/15 * * *", "it has 4 fields"),
        ("0 */15 * * * *", "it has 6 fields"),
        ("60 * * * *", "out of range"),
        ("0 24 * * *", "out of range"),
        ("0 0 32 * *", "out of range"),
        ("every day", "it has 2 fields"),
        ("@reboot", "it has 1 fields"),
    ],
)
def test_invalid_cron_is_named_with_the_expected_form(cron: str, fragment: str) -> None:
    [(loc, message)] = trigger_errors(_s(cron=cron))
    assert loc == ("cron",)
    assert f"invalid cron expression '{cron}'" in message
    assert fragment in message
    assert "5 fields (minute hour day-of-month month day-of-week)" in message


@pytest.mark.parametrize(
    ("cron", "special"),
    [("0 0 L * *", "L"), ("0 0 15W * *", "W"), ("0 0 * * 1#2", "#"), ("0 0 ? * MON", "?")],
)
def test_quartz_specials_are_refused(cron: str, special: str) -> None:
    [(loc, message)] = trigger_errors(_s(cron=cron))
    assert loc == ("cron",)
    assert f"'{special}' is not supported in a Unix cron" in message


@pytest.mark.parametrize("cron", ["0 0 1 JUL *", "0 0 * * WED", "0 0 * JAN-JUL SAT,SUN"])
def test_month_and_day_names_holding_l_or_w_are_not_specials(cron: str) -> None:
    assert cron_problem(cron, with_seconds=False) is None


def test_with_seconds_takes_six_fields() -> None:
    assert trigger(_s(cron="*/30 * * * * *", withSeconds=True)).withSeconds is True
    [(loc, message)] = trigger_errors(_s(cron="*/5 * * * *", withSeconds=True))
    assert loc == ("cron",)
    assert "6 fields (second minute hour" in message


def test_with_seconds_checks_the_seconds_field() -> None:
    assert cron_problem("61 * * * * *", with_seconds=True) is not None
    assert cron_problem("59 * * * * *", with_seconds=True) is None
    assert cron_problem("@daily", with_seconds=True) is None


def test_schedule_defaults() -> None:
    schedule = trigger(_s(cron="@daily"))
    assert (schedule.withSeconds, schedule.timezone, schedule.disabled) == (False, None, False)
    assert schedule.recoverMissedSchedules is None
    assert trigger_errors({"id": "s", "type": T + "Schedule"}) == [(("cron",), "Field required")]


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "UTC", "+02:00", "Z"])
def test_known_time_zones(zone: str) -> None:
    assert trigger(_s(cron="@daily", timezone=zone)).timezone == zone


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Paris", "CEST+"])
def test_unknown_time_zone_is_named(zone: str) -> None:
    [(loc, message)] = trigger_errors(_s(cron="@daily", timezone=zone))
    assert loc == ("timezone",)
    assert f"'{zone}' is not a known time zone" in message


def test_schedule_properties() -> None:
    schedule = trigger(
        _s(
            cron="0 9 * * *",
            inputs={"a": 1},
            lateMaximumDelay="PT1H",
            recoverMissedSchedules="LAST",
            stopAfter=["FAILED"],
            conditions=[{"type": "io.kestra.plugin.core.condition.Weekend"}],
        )
    )
    assert schedule.lateMaximumDelay == timedelta(hours=1)
    assert type(schedule.conditions[0]).__name__ == "Weekend"
    assert {
        loc[0] for loc, _ in trigger_errors(_s(cron="@daily", recoverMissedSchedules="SOME"))
    } == {"recoverMissedSchedules"}


def test_schedule_on_dates_needs_dates() -> None:
    assert trigger_errors({"id": "s", "type": T + "ScheduleOnDates"}) == [
        (("dates",), "Field required")
    ]


def test_webhook_key_is_required_and_bounded() -> None:
    assert trigger_errors({"id": "w", "type": T + "Webhook"}) == [(("key",), "Field required")]
    [(loc, _)] = trigger_errors({"id": "w", "type": T + "Webhook", "key": "k" * 257})
    assert loc == ("key",)
    assert trigger({"id": "w", "type": T + "Webhook", "key": "k" * 256}).key == "k" * 256
    [(loc, _)] = trigger_errors({"id": "w", "type": T + "Webhook", "key": "   "})
    assert loc == ("key",)


def test_webhook_defaults() -> None:
    hook = trigger({"id": "w", "type": T + "Webhook", "key": "abc"})
    assert (hook.wait, hook.returnOutputs, hook.fetchType) == (False, False, "FETCH")


@pytest.mark.parametrize(
    "condition_type",
    [
        "io.kestra.plugin.core.condition.MultipleCondition",
        "io.kestra.core.models.conditions.types.MultipleCondition",
    ],
)
def test_webhook_may_not_use_multiple_condition(condition_type: str) -> None:
    raw = {
        "id": "w",
        "type": T + "Webhook",
        "key": "abc",
        "conditions": [
            {"type": "io.kestra.plugin.core.condition.Weekend"},
            {"type": condition_type, "id": "m", "conditions": {"a": FLOW_COND}},
        ],
    }
    [(loc, message)] = trigger_errors(raw)
    assert loc == ("conditions", 1)
    assert "conditions[1] is a MultipleCondition" in message
    assert "Webhook" in message


def test_webhook_response_content_type_is_json_or_text() -> None:
    raw = {"id": "w", "type": T + "Webhook", "key": "abc", "responseContentType": "text/html"}
    assert {loc[0] for loc, _ in trigger_errors(raw)} == {"responseContentType"}


def test_flow_trigger_with_preconditions() -> None:
    flow = trigger(
        {
            "id": "f",
            "type": T + "Flow",
            "inputs": {"date": "x"},
            "preconditions": {
                "id": "upstream",
                "flows": [
                    {"namespace": "company.team", "flowId": "extract", "states": ["SUCCESS"]}
                ],
                "where": [
                    {
                        "id": "ns",
                        "filters": [
                            {"field": "NAMESPACE", "type": "STARTS_WITH", "value": "company"}
                        ],
                    }
                ],
                "timeWindow": {"type": "SLIDING_WINDOW", "window": "PT1H"},
            },
        }
    )
    assert flow.states is None
    assert flow.preconditions.resetOnSuccess is True
    assert flow.preconditions.where[0].operand == "AND"
    assert flow.preconditions.timeWindow.window == timedelta(hours=1)


def test_flow_trigger_rejects_unknown_states_and_filters() -> None:
    bad_state: dict[str, Any] = {"id": "f", "type": T + "Flow", "states": ["DONE"]}
    assert {loc[:2] for loc, _ in trigger_errors(bad_state)} == {("states", 0)}
    raw: dict[str, Any] = {
        "id": "f",
        "type": T + "Flow",
        "preconditions": {"where": [{"id": "w", "filters": [{"field": "COLOR", "type": "IN"}]}]},
    }
    assert [loc for loc, _ in trigger_errors(raw)] == [
        ("preconditions", "where", 0, "filters", 0, "field")
    ]


def test_flow_trigger_at_least_needs_min_satisfied() -> None:
    base = {"id": "f", "type": T + "Flow", "dependsOn": [{"flowId": "a"}, {"flowId": "b"}]}
    [(_, message)] = trigger_errors({**base, "mode": "AT_LEAST"})
    assert "'minSatisfied' must be set when mode is AT_LEAST" in message
    [(_, message)] = trigger_errors({**base, "mode": "AT_LEAST", "minSatisfied": 3})
    assert "cannot be greater than the number of 'dependsOn' conditions (2)" in message
    assert trigger({**base, "mode": "AT_LEAST", "minSatisfied": 2}).minSatisfied == 2


def test_http_trigger_defaults() -> None:
    poll = trigger({"id": "h", "type": "io.kestra.plugin.core.http.Trigger", "uri": "https://x"})
    assert poll.interval == timedelta(seconds=60)
    assert poll.responseCondition == "{{ response.statusCode < 400 }}"
    assert poll.method == "GET"


def test_trigger_id_is_required_and_checked() -> None:
    assert trigger_errors({"type": T + "Webhook", "key": "k"}) == [(("id",), "Field required")]
    assert [loc for loc, _ in trigger_errors({"id": "a.b", "type": T + "Webhook", "key": "k"})] == [
        ("id",)
    ]


def test_schedule_on_dates_need_a_zone() -> None:
    dates = trigger({"id": "s", "type": T + "ScheduleOnDates", "dates": ["2024-12-24T09:00:00Z"]})
    assert dates.dates[0].utcoffset() == timedelta(0)
    errors = trigger_errors(
        {"id": "s", "type": T + "ScheduleOnDates", "dates": ["2024-12-24T09:00:00"]}
    )
    assert {loc[0] for loc, _ in errors} == {"dates"}

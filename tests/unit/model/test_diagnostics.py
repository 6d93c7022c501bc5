"""From pydantic errors to violations: paths, positions, known properties, messages."""

from __future__ import annotations

from typing import Any

import pytest
from flow_test_plugins import registry
from pydantic_core import ErrorDetails

from legato.errors import FlowValidationError
from legato.model import diagnostics, parsing
from legato.model.flow import Flow
from legato.model.violations import Violation

TASKS = "tasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n"


def rejected(source: str) -> list[Violation]:
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow("id: a\nnamespace: b\n" + source, registry())
    return [v for v in caught.value.violations if isinstance(v, Violation)]


@pytest.mark.parametrize(
    ("source", "path", "known", "line"),
    [
        (TASKS + "concurrency:\n  limit: 1\n  max: 2\n", "concurrency.max", "behavior, limit", 9),
        (
            TASKS + "sla:\n  - id: s\n    type: MAX_DURATION\n    behavior: FAIL\n"
            "    duration: PT1H\n    color: red\n",
            "sla[0].color",
            "behavior, duration, id, labels, type",
            12,
        ),
        (
            TASKS + "inputs:\n  - id: i\n    type: INT\n    maximum: 3\n",
            "inputs[0].maximum",
            "defaults, dependsOn, description, displayName, id, max, min, prefill, required, type",
            10,
        ),
        (
            TASKS + "listeners:\n  - tasks: []\n    when: x\n",
            "listeners[0].when",
            "conditions, description, tasks",
            9,
        ),
        (
            "tasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n"
            "    retry:\n      type: constant\n      interval: PT1S\n      jitter: 1\n",
            "tasks[0].retry.jitter",
            "behavior, interval, maxAttempt, maxAttempts, maxDuration, type, warningOnRetry",
            10,
        ),
        (
            "tasks:\n  - id: s\n    type: io.test.script.Shell\n    commands: [ls]\n"
            "    taskRunner:\n      type: io.test.runner.Process\n      cpus: 2\n",
            "tasks[0].taskRunner.cpus",
            "type, version",
            9,
        ),
        (
            TASKS + "triggers:\n  - id: x\n    type: io.test.trigger.Schedule\n    cron: '@daily'\n"
            "    conditions:\n      - type: io.test.condition.Expression\n        expression: x\n"
            "        negate: true\n",
            "triggers[0].conditions[0].negate",
            "expression, type",
            14,
        ),
    ],
)
def test_unknown_properties_list_what_the_object_accepts(
    source: str, path: str, known: str, line: int
) -> None:
    found = [v for v in rejected(source) if v.message.startswith("unknown property")]
    assert [(v.path, v.line) for v in found] == [(path, line)]
    assert found[0].message.endswith("; known properties: " + known)


def test_unknown_property_of_an_object_of_unknown_shape_lists_nothing() -> None:
    assert diagnostics.known_properties(("nowhere", 0), {}, registry(), Flow) == []
    assert diagnostics.known_properties(("variables",), {"variables": {}}, registry(), Flow) == []


def test_a_missing_discriminator_is_reported_on_type() -> None:
    (violation,) = rejected(TASKS + "sla:\n  - id: s\n    behavior: FAIL\n")
    assert (violation.path, violation.message, violation.line) == (
        "sla[0].type",
        "required property 'type' is missing",
        8,
    )


def test_an_unknown_discriminator_lists_the_choices() -> None:
    (violation,) = rejected(TASKS + "sla:\n  - id: s\n    type: SLOW\n    behavior: FAIL\n")
    assert violation.path == "sla[0]"
    assert violation.message == (
        "unknown type 'SLOW'; expected one of 'MAX_DURATION', 'EXECUTION_ASSERTION'"
    )


def detail(kind: str, value: Any, **ctx: Any) -> ErrorDetails:
    return {"type": kind, "loc": ("x",), "msg": "pydantic says", "input": value, "ctx": ctx}


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (detail("int_parsing", "abc"), "expected an integer, got 'abc'"),
        (detail("int_from_float", 1.5), "expected an integer, got 1.5"),
        (detail("float_parsing", "x"), "expected a number, got 'x'"),
        (detail("bool_type", [1]), "expected a boolean (true or false), got [1]"),
        (detail("string_type", {"a": 1}), 'expected a string, got {"a": 1}'),
        (detail("list_type", "a"), "expected a list, got 'a'"),
        (detail("model_type", "a"), "expected a mapping of properties, got 'a'"),
        (detail("literal_error", "x", expected="'A' or 'B'"), "expected 'A' or 'B', got 'x'"),
        (
            detail("string_pattern_mismatch", "a b", pattern="^a$"),
            "'a b' does not match the pattern ^a$",
        ),
        (
            detail("string_too_long", "abc", max_length=2),
            "must be at most 2 characters long, got 'abc'",
        ),
        (detail("string_too_short", "", min_length=1), "must be at least 1 characters long"),
        (detail("too_short", [], min_length=1), "must hold at least 1 item(s)"),
        (detail("greater_than", 0, gt=0), "must be greater than 0, got 0"),
        (detail("greater_than_equal", 0, ge=1), "must be at least 1, got 0"),
        (detail("less_than_equal", 9, le=5), "must be at most 5, got 9"),
        (detail("value_error", 1), "pydantic says"),
        (
            {**detail("value_error", 1), "msg": "Value error, 'a' must be below 'b'"},
            "'a' must be below 'b'",
        ),
        ({**detail("assertion_error", 1), "msg": "Assertion failed, no"}, "no"),
        (detail("custom", object()), "pydantic says"),
    ],
)
def test_messages_say_what_was_expected_and_found(error: ErrorDetails, message: str) -> None:
    assert diagnostics.message_for(error) == message


def test_long_values_are_shortened() -> None:
    message = diagnostics.message_for(detail("string_type", list(range(100))))
    assert message.endswith("...") and len(message) < 120


def test_clean_loc_drops_union_tags_and_maps_indexes_to_keys() -> None:
    data = {"labels": {"team": "x"}, "tasks": [{"retry": {"type": "constant"}}]}
    assert diagnostics.clean_loc(("labels", 0, "value"), data) == ("labels", "team")
    assert diagnostics.clean_loc(("tasks", 0, "retry", "constant", "interval"), data, True) == (
        "tasks",
        0,
        "retry",
        "interval",
    )
    assert diagnostics.clean_loc(("tasks", 0, "retry", "constant", "interval"), data) == (
        "tasks",
        0,
        "retry",
    )
    assert diagnostics.clean_loc(("tasks", 5), data) == ("tasks",)

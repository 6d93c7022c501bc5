"""The Flow model: every top-level property, read through the parser with test plugins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flow_test_plugins import If, Log, Schedule, registry

from legato.errors import FlowValidationError
from legato.model import flow_parts, parsing
from legato.model.flow import Flow
from legato.model.labels import Label
from legato.model.retry import ConstantRetry

FULL = """\
id: everything
namespace: company.team.sub
revision: 3
description: All the properties.
labels:
  team: data
  system.readOnly: true
inputs:
  - id: name
    type: STRING
    defaults: world
variables:
  greeting: hello
  nested: {a: [1, 2]}
tasks:
  - id: hello
    type: io.test.log.Log
    message: "{{ vars.greeting }} {{ inputs.name }}"
errors:
  - id: on_error
    type: io.test.log.Log
    message: failed
finally:
  - id: cleanup
    type: io.test.log.Log
    message: done
afterExecution:
  - id: notify
    type: io.test.log.Log
    message: notified
listeners:
  - description: old style
    conditions:
      - type: io.test.condition.Expression
        expression: "true"
    tasks:
      - id: listen
        type: io.test.log.Log
        message: heard
triggers:
  - id: daily
    type: io.test.trigger.Schedule
    cron: "@daily"
pluginDefaults:
  - type: io.test.log.Log
    values:
      level: DEBUG
concurrency:
  limit: 2
  behavior: CANCEL
outputs:
  - id: result
    type: STRING
    value: "{{ outputs.hello }}"
    displayName: Result
retry:
  type: constant
  interval: PT10S
  maxAttempt: 3
disabled: true
deleted: false
sla:
  - id: slow
    type: MAX_DURATION
    duration: PT1H
    behavior: FAIL
    labels:
      sla: missed
  - id: rows
    type: EXECUTION_ASSERTION
    assert: "{{ true }}"
    behavior: NONE
checks:
  - condition: "{{ inputs.name != 'x' }}"
    message: not x
    style: ERROR
"""


@pytest.fixture(scope="module")
def full() -> Flow:
    return parsing.parse_flow(FULL, registry())


def test_identity_and_description(full: Flow) -> None:
    assert (full.id, full.namespace, full.revision) == ("everything", "company.team.sub", 3)
    assert full.description == "All the properties."
    assert full.uid == "company.team.sub.everything"


def test_labels_are_strings_in_order(full: Flow) -> None:
    assert full.labels == [
        Label(key="team", value="data"),
        Label(key="system.readOnly", value="true"),
    ]


def test_inputs_and_variables(full: Flow) -> None:
    assert full.inputs is not None and full.inputs[0].id == "name"
    assert full.variables == {"greeting": "hello", "nested": {"a": [1, 2]}}


def test_task_lists_resolve_to_plugin_classes(full: Flow) -> None:
    assert isinstance(full.tasks[0], Log)
    assert [t.id for t in full.errors or []] == ["on_error"]
    assert [t.id for t in full.finally_ or []] == ["cleanup"]
    assert [t.id for t in full.afterExecution or []] == ["notify"]


def test_plugin_defaults_were_applied(full: Flow) -> None:
    task = full.tasks[0]
    assert isinstance(task, Log) and task.level == "DEBUG"
    assert full.pluginDefaults == [
        flow_parts.PluginDefaultSpec(type="io.test.log.Log", values={"level": "DEBUG"})
    ]


def test_listeners_triggers(full: Flow) -> None:
    assert full.listeners is not None
    assert full.listeners[0].description == "old style"
    assert [t.id for t in full.listeners[0].tasks] == ["listen"]
    assert full.triggers is not None and isinstance(full.triggers[0], Schedule)


def test_concurrency_outputs_retry(full: Flow) -> None:
    assert full.concurrency == flow_parts.Concurrency(limit=2, behavior="CANCEL")
    assert full.outputs is not None
    assert (full.outputs[0].id, full.outputs[0].type, full.outputs[0].displayName) == (
        "result",
        "STRING",
        "Result",
    )
    assert isinstance(full.retry, ConstantRetry) and full.retry.interval == timedelta(seconds=10)


def test_flags(full: Flow) -> None:
    assert full.disabled is True
    assert full.deleted is False


def test_sla_of_both_kinds(full: Flow) -> None:
    assert full.sla is not None
    slow, rows = full.sla
    assert isinstance(slow, flow_parts.MaxDurationSla)
    assert slow.duration == timedelta(hours=1) and slow.behavior == "FAIL"
    assert slow.labels == [Label(key="sla", value="missed")]
    assert isinstance(rows, flow_parts.ExecutionAssertionSla)
    assert rows.assertion == "{{ true }}" and rows.behavior == "NONE"


def test_checks_have_defaults(full: Flow) -> None:
    assert full.checks is not None
    (check,) = full.checks
    assert (check.message, check.style, check.behavior) == ("not x", "ERROR", "BLOCK_EXECUTION")


def test_all_tasks_walks_every_list_and_nested_child(full: Flow) -> None:
    assert [t.id for t in full.all_tasks()] == ["hello", "on_error", "cleanup", "notify", "listen"]
    assert full.find_task("cleanup") is not None
    assert full.find_task("nope") is None


def test_defaults_of_a_minimal_flow() -> None:
    flow = parsing.parse_flow(
        "id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n",
        registry(),
    )
    assert (flow.disabled, flow.deleted, flow.labels, flow.inputs, flow.triggers) == (
        False,
        False,
        None,
        None,
        None,
    )
    assert flow.warnings == ()


def test_nested_flowable_children_are_found() -> None:
    source = """\
id: a
namespace: b
tasks:
  - id: branch
    type: io.test.flow.If
    condition: "yes"
    then:
      - id: inner
        type: io.test.log.Log
        message: m
    else:
      - id: other
        type: io.test.flow.If
        condition: "no"
        then:
          - id: deepest
            type: io.test.log.Log
            message: m
"""
    flow = parsing.parse_flow(source, registry())
    assert isinstance(flow.tasks[0], If)
    assert [t.id for t in flow.all_tasks()] == ["branch", "inner", "other", "deepest"]


def test_serialization_writes_kestra_names() -> None:
    flow = parsing.parse_flow(FULL, registry())
    dumped = flow.model_dump(by_alias=True, exclude_unset=True, mode="json")
    assert "finally" in dumped and "finally_" not in dumped
    assert dumped["sla"][1]["assert"] == "{{ true }}"
    assert dumped["labels"][0] == {"key": "team", "value": "data"}


def test_check_condition_is_also_read_as_when() -> None:
    check = flow_parts.Check.model_validate({"when": "{{ true }}", "message": "m"})
    assert check.condition == "{{ true }}"


BASE = "id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n"


@pytest.mark.parametrize(
    ("extra", "expected", "line"),
    [
        ("concurrency:\n  behavior: QUEUE\n", "required property 'limit' is missing", 7),
        ("concurrency:\n  limit: 0\n", "'limit': must be greater than 0, got 0", 8),
        (
            "concurrency:\n  limit: 1\n  behavior: WAIT\n",
            "'behavior': expected 'QUEUE', 'CANCEL' or 'FAIL', got 'WAIT'",
            9,
        ),
        ("outputs:\n  - id: o\n    type: STRING\n", "required property 'value' is missing", 8),
        ("outputs:\n  - id: o\n    type: NOPE\n    value: x\n", "'type': expected", 9),
        (
            "outputs:\n  - id: -bad\n    type: STRING\n    value: x\n",
            "does not match the pattern",
            8,
        ),
        (
            "pluginDefaults:\n  - type: io.test.log.Log\n",
            "required property 'values' is missing",
            8,
        ),
        ("pluginDefaults:\n  - values: {level: WARN}\n", "required property 'type' is missing", 8),
        ("taskDefaults:\n  - type: io.test\n", "required property 'values' is missing", 8),
        (
            "sla:\n  - id: s\n    type: MAX_DURATION\n    behavior: FAIL\n",
            "required property 'duration' is missing",
            8,
        ),
        (
            "sla:\n  - id: s\n    type: EXECUTION_ASSERTION\n    behavior: FAIL\n",
            "required property 'assert' is missing",
            8,
        ),
        ("sla:\n  - id: s\n    type: LATE\n    behavior: FAIL\n", "unknown type 'LATE'", 8),
        (
            "sla:\n  - id: s\n    type: MAX_DURATION\n    duration: PT1H\n",
            "required property 'behavior' is missing",
            8,
        ),
        ("checks:\n  - message: m\n", "required property 'condition' is missing", 8),
        ("checks:\n  - condition: '{{ true }}'\n", "required property 'message' is missing", 8),
        (
            "checks:\n  - condition: '{{ true }}'\n    message: m\n    style: LOUD\n",
            "'style': expected",
            10,
        ),
        ("revision: 0\n", "'revision': must be at least 1, got 0", 7),
        ("disabled: maybe\n", "'disabled': expected a boolean (true or false), got 'maybe'", 7),
        ("variables: [1, 2]\n", "'variables': expected a mapping", 7),
        ("workerGroup:\n  key: gpu\n", "Enterprise Edition", 7),
        ("listeners:\n  - description: d\n", "required property 'tasks' is missing", 8),
        ("retry:\n  type: constant\n", "required property 'interval' is missing", 7),
        (
            "timeout: PT1H\n",
            "unknown property 'timeout'; known properties: afterExecution, checks,",
            7,
        ),
    ],
)
def test_invalid_top_level_properties(extra: str, expected: str, line: int) -> None:
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(BASE + extra, registry())
    found = [(v.message, v.line) for v in caught.value.violations]  # type: ignore[attr-defined]
    assert any(expected in message and at == line for message, at in found), found


@pytest.mark.parametrize(
    ("source", "expected", "line"),
    [
        (
            "namespace: b\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n",
            "required property 'id' is missing",
            1,
        ),
        (
            "id: a\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n",
            "required property 'namespace' is missing",
            1,
        ),
        ("id: a\nnamespace: b\n", "required property 'tasks' is missing", 1),
        ("id: a\nnamespace: b\ntasks: []\n", "'tasks': must hold at least 1 item(s)", 3),
        (
            "id: a b\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n",
            "'a b' does not match the pattern",
            1,
        ),
        (
            BASE.replace("namespace: b", "namespace: Company"),
            "'Company' does not match the pattern",
            2,
        ),
        (
            "id: "
            + "x" * 101
            + "\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n",
            "at most 100 characters",
            1,
        ),
        (
            "id: a\nnamespace: "
            + "n" * 151
            + "\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n",
            "at most 150 characters",
            2,
        ),
    ],
)
def test_invalid_identity(source: str, expected: str, line: int) -> None:
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(source, registry())
    found = [(v.message, v.line) for v in caught.value.violations]  # type: ignore[attr-defined]
    assert any(expected in message and at == line for message, at in found), found


@pytest.mark.parametrize("flow_id", ["a", "A1", "my-flow", "my_flow.v2", "0abc"])
def test_valid_flow_ids(flow_id: str) -> None:
    source = BASE.replace("id: a\n", f"id: {flow_id}\n", 1)
    assert parsing.parse_flow(source, registry()).id == flow_id


@pytest.mark.parametrize("namespace", ["b", "company.team", "a-b_c.d0"])
def test_valid_namespaces(namespace: str) -> None:
    source = BASE.replace("namespace: b\n", f"namespace: {namespace}\n")
    assert parsing.parse_flow(source, registry()).namespace == namespace


def test_a_parsed_flow_only_knows_finally_by_its_kestra_name() -> None:
    source = BASE + "finally_:\n  - id: f\n    type: io.test.log.Log\n    message: m\n"
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(source, registry())
    (violation,) = caught.value.violations
    assert str(violation) == "7:1: finally_: unknown property 'finally_'; did you mean 'finally'?"


def test_a_flow_built_in_code_uses_python_names() -> None:
    say = Log(id="say", type="io.test.log.Log", message="m")
    done = Log(id="done", type="io.test.log.Log", message="d")
    flow = Flow(id="a", namespace="b", tasks=[say], finally_=[done])
    assert [t.id for t in flow.all_tasks()] == ["say", "done"]
    assert flow.source == "" and flow.warnings == ()

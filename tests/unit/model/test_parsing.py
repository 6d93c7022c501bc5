"""Parsing: YAML text to a Flow, or every violation located; plugin defaults; documents."""

from __future__ import annotations

from typing import Any

import pytest
from flow_test_plugins import Log, Process, Schedule, Shell, registry

from legato.errors import FlowValidationError
from legato.model import parsing
from legato.model.flow import Flow
from legato.model.plugin import PluginDefault
from legato.model.violations import Violation

MINIMAL = "id: {id}\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: m\n"


def violations(source: str, **options: Any) -> list[Violation]:
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(source, registry(), **options)
    found = caught.value.violations
    assert all(isinstance(v, Violation) for v in found)
    return [v for v in found if isinstance(v, Violation)]


def summary(source: str) -> list[tuple[str, str, int | None, int | None]]:
    return [(v.path, v.message, v.line, v.column) for v in violations(source)]


def test_every_violation_is_reported_together_in_source_order() -> None:
    source = """\
id: many
namespace: company.team
tasks:
  - id: say
    type: io.test.log.Log
  - id: branch
    type: io.test.flow.If
    condition: x
    then:
      - id: say
        type: io.test.log.Log
        message: again
        colour: red
      - id: late
        type: io.test.log.Log
        message: m
        retry:
          type: constant
          interval: PT1S
          maxAttempt: many
"""
    assert summary(source) == [
        ("tasks[0].message", "required property 'message' is missing", 4, 5),
        (
            "tasks[1].then[0].id",
            "Duplicate task id with name [say] (first defined at line 4)",
            10,
            9,
        ),
        (
            "tasks[1].then[0].colour",
            "unknown property 'colour'; known properties: allowFailure, allowWarning, "
            "description, disabled, id, level, logLevel, logToFile, message, retry, runIf, "
            "taskCache, timeout, type, version, workerGroup",
            13,
            9,
        ),
        (
            "tasks[1].then[1].retry.maxAttempt",
            "'maxAttempt': expected an integer, got 'many'",
            20,
            11,
        ),
    ]


def test_error_carries_file_and_a_readable_message() -> None:
    source = "id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.log.Log\n"
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(source, registry(), path="flows/a.yml")
    (violation,) = caught.value.violations
    assert (
        str(violation)
        == "flows/a.yml:4:5: tasks[0].message: required property 'message' is missing"
    )
    assert caught.value.message.startswith("Invalid Flow: flows/a.yml:4:5:")


def test_unknown_type_suggests_the_nearest() -> None:
    source = "id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.log.Lgo\n    message: m\n"
    ((path, message, line, column),) = summary(source)
    assert (path, line, column) == ("tasks[0].type", 5, 5)
    assert message.startswith("unknown task type 'io.test.log.Lgo'; did you mean 'io.test.log.Log'")


def test_a_trigger_type_used_as_a_task_is_named() -> None:
    source = "id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.trigger.Schedule\n"
    ((_, message, _, _),) = summary(source)
    assert "it is a trigger type, not a task type" in message


def test_literal_choice_lists_the_allowed_values() -> None:
    source = MINIMAL.format(id="a") + "    level: LOUD\n"
    ((path, message, line, _),) = summary(source)
    assert (path, line) == ("tasks[0].level", 7)
    assert message == ("'level': expected 'TRACE', 'DEBUG', 'INFO', 'WARN' or 'ERROR', got 'LOUD'")


def test_a_failing_union_reports_one_violation_per_property() -> None:
    source = "id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.test.log.Log\n    message: [1]\n"
    ((path, message, line, _),) = summary(source)
    assert (path, line) == ("tasks[0].message", 6)
    assert message == "'message': expected a string, got [1]"


def test_invalid_expression_is_located_on_its_property() -> None:
    source = MINIMAL.format(id="a").replace("message: m", "message: '{{ 1 + }}'")
    found = summary(source)
    assert len(found) == 1
    path, message, line, _ = found[0]
    assert (path, line) == ("tasks[0].message", 6)
    assert message.startswith("invalid expression: ")


def test_map_form_label_errors_are_located_at_their_key() -> None:
    source = MINIMAL.format(id="a").replace("tasks:", "labels:\n  team: {a: 1}\ntasks:")
    ((path, message, line, _),) = summary(source)
    assert (path, line) == ("labels.team", 4)
    assert "expected a string" in message


def test_a_flow_must_be_a_mapping() -> None:
    ((path, message, line, _),) = summary("- id: a\n- id: b\n")
    assert (path, line) == ("", 1)
    assert message == "a flow must be a mapping of properties (id, namespace, tasks…)"


def test_empty_text_is_not_a_flow() -> None:
    ((_, message, _, _),) = summary("# nothing here\n")
    assert message.startswith("the file holds no flow")


def test_duplicate_keys_and_syntax_errors_are_violations() -> None:
    ((_, duplicate, line, _),) = summary("id: a\nnamespace: b\nid: c\ntasks: []\n")
    assert (duplicate, line) == ("duplicate key 'id': a key may appear only once in a mapping", 3)
    ((_, syntax, _, _),) = summary("id: a\nnamespace: [b\n")
    assert syntax.startswith("invalid YAML:")


def test_parse_flow_refuses_several_documents() -> None:
    source = "id: a\n---\nid: b\n"
    ((_, message, line, _),) = summary(source)
    assert line == 2
    assert "found 2 YAML documents" in message and "parse_documents" in message


def test_parse_documents_returns_each_flow_or_its_error_in_order() -> None:
    source = (
        MINIMAL.format(id="one") + "---\nid: two\nnamespace: b\n---\n" + MINIMAL.format(id="three")
    )
    first, second, third = parsing.parse_documents(source, registry(), path="multi.yml")
    assert isinstance(first, Flow) and first.id == "one"
    assert isinstance(second, FlowValidationError)
    (missing,) = second.violations
    assert isinstance(missing, Violation)
    assert (missing.message, missing.line, missing.file) == (
        "required property 'tasks' is missing",
        8,
        "multi.yml",
    )
    assert isinstance(third, Flow) and third.id == "three"
    assert third.source == MINIMAL.format(id="three")
    assert first.source == MINIMAL.format(id="one")


def test_parse_documents_keeps_broken_yaml_as_an_error() -> None:
    results = parsing.parse_documents(MINIMAL.format(id="ok") + "---\nid: [\n", registry())
    assert isinstance(results[0], Flow)
    assert isinstance(results[1], FlowValidationError)


def test_source_and_warnings_are_kept() -> None:
    source = """\
id: a
namespace: b
taskDefaults:
  - type: io.test.log.Log
    values: {level: WARN}
listeners:
  - tasks:
      - id: l
        type: io.test.log.Log
        message: m
tasks:
  - id: t
    type: io.test.legacy.Log
    message: m
"""
    flow = parsing.parse_flow(source, registry())
    assert flow.source == source
    assert flow.warnings == (
        "'taskDefaults' is deprecated; rename it to 'pluginDefaults'",
        "'listeners' are deprecated; use flow triggers or 'afterExecution' instead",
        "type: 'io.test.legacy.Log' is a legacy alias of 'io.test.log.Log'",
    )


def flow_with(defaults: str, tasks: str) -> Flow:
    return parsing.parse_flow(f"id: a\nnamespace: b\n{defaults}tasks:\n{tasks}", registry())


LOG = "  - id: t\n    type: io.test.log.Log\n    message: m\n"


def first_log(flow: Flow) -> Log:
    task = flow.tasks[0]
    assert isinstance(task, Log)
    return task


def test_plugin_default_by_exact_type_fills_unset_properties() -> None:
    flow = flow_with("pluginDefaults:\n  - type: io.test.log.Log\n    values: {level: WARN}\n", LOG)
    assert first_log(flow).level == "WARN"


def test_plugin_default_by_prefix() -> None:
    flow = flow_with("pluginDefaults:\n  - type: io.test.log\n    values: {level: ERROR}\n", LOG)
    assert first_log(flow).level == "ERROR"


def test_plugin_default_of_another_type_does_not_apply() -> None:
    flow = flow_with("pluginDefaults:\n  - type: io.test.script\n    values: {level: ERROR}\n", LOG)
    assert first_log(flow).level == "INFO"


def test_plugin_default_matches_a_legacy_alias_written_in_the_flow() -> None:
    tasks = "  - id: t\n    type: io.test.legacy.Log\n    message: m\n"
    flow = flow_with(
        "pluginDefaults:\n  - type: io.test.log.Log\n    values: {level: WARN}\n", tasks
    )
    assert first_log(flow).level == "WARN"


def test_non_forced_default_does_not_override_the_task() -> None:
    tasks = LOG + "    level: DEBUG\n"
    flow = flow_with(
        "pluginDefaults:\n  - type: io.test.log.Log\n    values: {level: WARN}\n", tasks
    )
    assert first_log(flow).level == "DEBUG"


def test_forced_default_overrides_the_task() -> None:
    tasks = LOG + "    level: DEBUG\n"
    defaults = (
        "pluginDefaults:\n  - type: io.test.log.Log\n    forced: true\n    values: {level: WARN}\n"
    )
    assert first_log(flow_with(defaults, tasks)).level == "WARN"


def test_default_supplies_a_required_property_and_keeps_expressions() -> None:
    defaults = (
        "pluginDefaults:\n  - type: io.test.log.Log\n    values:\n      message: '{{ flow.id }}'\n"
    )
    flow = flow_with(defaults, "  - id: t\n    type: io.test.log.Log\n")
    assert first_log(flow).message == "{{ flow.id }}"


def test_default_keys_the_plugin_lacks_are_ignored() -> None:
    defaults = "pluginDefaults:\n  - type: io.test\n    values: {level: WARN, commands: [ls]}\n"
    flow = flow_with(defaults, LOG)
    assert first_log(flow).level == "WARN"


def test_task_defaults_is_read_like_plugin_defaults() -> None:
    flow = flow_with("taskDefaults:\n  - type: io.test.log.Log\n    values: {level: TRACE}\n", LOG)
    assert first_log(flow).level == "TRACE"


def test_defaults_reach_triggers_and_task_runners() -> None:
    source = """\
id: a
namespace: b
pluginDefaults:
  - type: io.test
    values: {cron: "@hourly", taskRunner: {type: io.test.runner.Process}}
tasks:
  - id: sh
    type: io.test.script.Shell
    commands: [ls]
triggers:
  - id: tick
    type: io.test.trigger.Schedule
"""
    flow = parsing.parse_flow(source, registry())
    shell = flow.tasks[0]
    assert isinstance(shell, Shell) and isinstance(shell.taskRunner, Process)
    assert flow.triggers is not None
    trigger = flow.triggers[0]
    assert isinstance(trigger, Schedule) and trigger.cron == "@hourly"


def test_flow_defaults_win_over_global_ones_unless_the_global_one_is_forced() -> None:
    defaults = "pluginDefaults:\n  - type: io.test.log.Log\n    values: {level: WARN}\n"
    source = f"id: a\nnamespace: b\n{defaults}tasks:\n{LOG}"
    loose = [PluginDefault("io.test.log.Log", {"level": "ERROR"})]
    assert first_log(parsing.parse_flow(source, registry(), defaults=loose)).level == "WARN"
    forced = [PluginDefault("io.test.log.Log", {"level": "ERROR"}, forced=True)]
    assert first_log(parsing.parse_flow(source, registry(), defaults=forced)).level == "ERROR"


def test_global_defaults_apply_without_flow_defaults() -> None:
    source = f"id: a\nnamespace: b\ntasks:\n{LOG}"
    loose = [PluginDefault("io.test", {"level": "DEBUG"})]
    assert first_log(parsing.parse_flow(source, registry(), defaults=loose)).level == "DEBUG"
    results = parsing.parse_documents(source, registry(), defaults=loose)
    assert isinstance(results[0], Flow) and first_log(results[0]).level == "DEBUG"


def test_invalid_default_entries_are_reported_and_not_applied() -> None:
    source = f"id: a\nnamespace: b\npluginDefaults:\n  - values: {{level: WARN}}\ntasks:\n{LOG}"
    ((path, message, line, _),) = summary(source)
    assert (path, message, line) == (
        "pluginDefaults[0].type",
        "required property 'type' is missing",
        4,
    )
    assert parsing.flow_defaults(
        {"pluginDefaults": [{"values": {}}, {"type": "x", "values": {}}]}
    ) == [PluginDefault("x", {}, False)]

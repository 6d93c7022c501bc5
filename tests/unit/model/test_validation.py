"""Cross-cutting flow rules: unique ids, recursion, input dependencies, labels, expressions."""

from __future__ import annotations

import pytest
from flow_test_plugins import registry

from legato.errors import FlowValidationError
from legato.model import parsing, validation
from legato.model.violations import Violation
from legato.model.yamlsource import Document, load_documents

HEAD = "id: me\nnamespace: company.team\n"
LOG = "    type: io.test.log.Log\n    message: m\n"


def document(source: str) -> Document:
    (loaded,) = load_documents(source)
    assert isinstance(loaded, Document)
    return loaded


def rule(check: validation.Rule, source: str) -> list[tuple[str, str, int | None]]:
    return [(v.path, v.message, v.line) for v in check(document(source), registry())]


def rejected(source: str) -> list[Violation]:
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(source, registry())
    return [v for v in caught.value.violations if isinstance(v, Violation)]


def test_task_ids_are_unique_across_every_task_list_and_nesting_level() -> None:
    source = (
        HEAD
        + "tasks:\n  - id: a\n"
        + LOG
        + "  - id: branch\n    type: io.test.flow.If\n    condition: x\n    then:\n      - id: a\n"
        + LOG.replace("    ", "        ")
        + "    else:\n      - id: b\n"
        + LOG.replace("    ", "        ")
        + "errors:\n  - id: b\n"
        + LOG
        + "finally:\n  - id: c\n"
        + LOG
        + "afterExecution:\n  - id: c\n"
        + LOG
        + "listeners:\n  - tasks:\n      - id: a\n"
        + LOG.replace("    ", "        ")
    )
    assert rule(validation.unique_task_ids, source) == [
        ("tasks[1].then[0].id", "Duplicate task id with name [a] (first defined at line 4)", 11),
        ("errors[0].id", "Duplicate task id with name [b] (first defined at line 15)", 19),
        ("afterExecution[0].id", "Duplicate task id with name [c] (first defined at line 23)", 27),
        (
            "listeners[0].tasks[0].id",
            "Duplicate task id with name [a] (first defined at line 4)",
            32,
        ),
    ]


def test_tasks_in_ignores_variables_defaults_and_unknown_types() -> None:
    data = document(
        HEAD
        + "variables:\n  x: {id: a, type: io.test.log.Log}\n"
        + "tasks:\n  - id: a\n"
        + LOG
        + "  - id: b\n    type: io.test.nope\n"
    ).data
    assert [loc for loc, _ in validation.tasks_in(data, registry())] == [("tasks", 0)]


def test_duplicate_ids_are_reported_even_when_properties_are_also_wrong() -> None:
    found = rejected(HEAD + "tasks:\n  - id: a\n    type: io.test.log.Log\n  - id: a\n" + LOG)
    assert [(v.message, v.line) for v in found] == [
        ("required property 'message' is missing", 4),
        ("Duplicate task id with name [a] (first defined at line 4)", 6),
    ]


def test_trigger_ids_are_unique() -> None:
    trigger = "    type: io.test.trigger.Schedule\n    cron: '@daily'\n"
    source = (
        HEAD
        + "tasks:\n  - id: t\n"
        + LOG
        + "triggers:\n  - id: x\n"
        + trigger
        + "  - id: x\n"
        + trigger
    )
    assert rule(validation.unique_trigger_ids, source) == [
        ("triggers[1].id", "Duplicate trigger id with name [x] (first defined at line 8)", 11),
    ]


def test_input_ids_are_unique_including_the_deprecated_name() -> None:
    inputs = "inputs:\n  - id: x\n    type: STRING\n  - name: x\n    type: INT\n"
    assert rule(validation.unique_input_ids, HEAD + inputs) == [
        ("inputs[1].name", "Duplicate input with name [x] (first defined at line 4)", 6),
    ]


def test_object_property_and_table_column_ids_are_unique() -> None:
    inputs = (
        "inputs:\n"
        "  - id: disk\n    type: OBJECT\n    properties:\n"
        "      - id: a\n        type: INT\n      - id: a\n        type: STRING\n"
        "  - id: form\n    type: FORM\n    inputs:\n"
        "      - id: disks\n        type: TABLE\n        columns:\n"
        "          - id: b\n            type: INT\n          - id: b\n            type: INT\n"
    )
    assert rule(validation.unique_record_field_ids, HEAD + inputs) == [
        (
            "inputs[0].properties[1].id",
            "Duplicate property with name [a] (first defined at line 7)",
            9,
        ),
        (
            "inputs[1].inputs[0].columns[1].id",
            "Duplicate column with name [b] (first defined at line 17)",
            19,
        ),
    ]


def test_record_field_errors_point_at_their_line() -> None:
    source = HEAD + (
        "inputs:\n  - id: disk\n    type: OBJECT\n    properties:\n"
        "      - id: a\n        type: INT\n      - id: inner\n        type: OBJECT\n"
        "        properties:\n          - id: x\n            type: INT\n"
        "tasks:\n  - id: t\n" + LOG
    )
    [violation] = rejected(source)
    assert violation.line == 10
    assert "cannot be of type OBJECT" in violation.message


def test_output_ids_are_unique() -> None:
    outputs = (
        "outputs:\n  - id: o\n    type: STRING\n    value: a\n"
        "  - id: o\n    type: INT\n    value: 1\n"
    )
    found = rejected(HEAD + "tasks:\n  - id: t\n" + LOG + outputs)
    assert [(v.path, v.message, v.line) for v in found] == [
        ("outputs[1].id", "Duplicate output with name [o] (first defined at line 8)", 11),
    ]


SUBFLOW = "    type: io.test.flow.Subflow\n    namespace: {ns}\n    flowId: {flow}\n"


def test_a_subflow_may_not_call_its_own_flow() -> None:
    source = HEAD + "tasks:\n  - id: again\n" + SUBFLOW.format(ns="company.team", flow="me")
    found = rejected(source)
    assert [(v.path, v.message, v.line) for v in found] == [
        ("tasks[0]", "Recursive call to flow [company.team.me]", 4),
    ]


def test_a_nested_recursive_subflow_is_found() -> None:
    inner = SUBFLOW.format(ns="company.team", flow="me").replace("    ", "        ")
    source = (
        HEAD
        + "tasks:\n  - id: b\n    type: io.test.flow.If\n    condition: x\n"
        + "    then:\n      - id: s\n"
        + inner
    )
    assert rule(validation.no_recursive_subflow, source) == [
        ("tasks[0].then[0]", "Recursive call to flow [company.team.me]", 8),
    ]


@pytest.mark.parametrize(("ns", "flow"), [("company.team", "other"), ("company.other", "me")])
def test_a_subflow_calling_another_flow_is_fine(ns: str, flow: str) -> None:
    source = HEAD + "tasks:\n  - id: call\n" + SUBFLOW.format(ns=ns, flow=flow)
    assert parsing.parse_flow(source, registry()).id == "me"


def inputs(*entries: str) -> str:
    return HEAD + "inputs:\n" + "".join(entries)


def test_depends_on_targets_must_exist() -> None:
    source = inputs(
        "  - id: a\n    type: STRING\n",
        "  - id: b\n    type: STRING\n    dependsOn:\n      inputs: [a, ghost]\n",
    )
    assert rule(validation.input_dependencies, source) == [
        (
            "inputs[1].dependsOn.inputs[1]",
            "Input with id 'b' depends on a non-existent input 'ghost'.",
            9,
        ),
    ]


def test_depends_on_cycles_are_reported_for_each_input_on_the_cycle() -> None:
    source = inputs(
        "  - id: a\n    type: STRING\n    dependsOn:\n      inputs: [c]\n",
        "  - id: b\n    type: STRING\n    dependsOn:\n      inputs: [a]\n",
        "  - id: c\n    type: STRING\n    dependsOn:\n      inputs: [b]\n",
        "  - id: d\n    type: STRING\n    dependsOn:\n      inputs: [a]\n",
    )
    assert rule(validation.input_dependencies, source) == [
        ("inputs[0]", "Cycle dependency detected for input with id 'a': [a, c, b]", 4),
        ("inputs[1]", "Cycle dependency detected for input with id 'b': [b, a, c]", 8),
        ("inputs[2]", "Cycle dependency detected for input with id 'c': [c, b, a]", 12),
    ]


def test_a_chain_of_dependencies_is_fine() -> None:
    source = inputs(
        "  - id: a\n    type: STRING\n",
        "  - id: b\n    type: STRING\n    dependsOn:\n      inputs: [a]\n",
        "  - id: c\n    type: STRING\n    dependsOn:\n      inputs: [a, b]\n",
    )
    assert rule(validation.input_dependencies, source) == []


def test_system_labels_are_refused_in_both_forms_except_read_only() -> None:
    as_map = HEAD + "labels:\n  team: x\n  system.readOnly: true\n  system.correlationId: abc\n"
    assert rule(validation.system_labels, as_map) == [
        (
            "labels.system.correlationId",
            "System labels can only be set by Kestra itself, "
            "offending label: system.correlationId=abc",
            6,
        ),
    ]
    as_list = (
        HEAD
        + "labels:\n  - key: system.username\n    value: bob\n"
        + "  - key: system.readOnly\n    value: 'true'\n"
    )
    assert rule(validation.system_labels, as_list) == [
        (
            "labels[0].key",
            "System labels can only be set by Kestra itself, offending label: system.username=bob",
            4,
        ),
    ]


def test_sla_labels_may_not_use_any_system_key() -> None:
    sla = (
        "sla:\n  - id: s\n    type: MAX_DURATION\n    duration: PT1H\n    behavior: FAIL\n"
        "    labels:\n      system.readOnly: false\n"
    )
    assert rule(validation.system_labels, HEAD + sla) == [
        (
            "sla[0].labels.system.readOnly",
            "System labels can only be set by Kestra itself, "
            "offending label: system.readOnly=false",
            9,
        ),
    ]


def test_expression_syntax_is_checked_in_every_rendered_property() -> None:
    source = (
        HEAD
        + "description: '{{ not checked'\n"
        + "variables:\n  v: '{{ not checked either'\n"
        + "tasks:\n  - id: t\n    type: io.test.log.Log\n"
        + "    description: '{{ skipped'\n    message: '{{ ok }}'\n"
        + "    retry: {type: constant, interval: PT1S, behavior: '{{ 1 + }}'}\n"
        + "outputs:\n  - id: o\n    type: STRING\n    value: '{{ 1 + }}'\n"
        + "triggers:\n  - id: x\n    type: io.test.trigger.Schedule\n    cron: ['{{ ] }}']\n"
    )
    found = rule(validation.expression_syntax, source)
    assert [(path, line) for path, _, line in found] == [
        ("tasks[0].retry.behavior", 11),
        ("triggers[0].cron[0]", 19),
        ("outputs[0].value", 15),
    ]
    assert all(message.startswith("invalid expression: ") for _, message, _ in found)


def test_check_runs_every_rule() -> None:
    source = HEAD + "labels: {system.x: y}\ntasks:\n  - id: a\n" + LOG + "  - id: a\n" + LOG
    messages = [v.message for v in validation.check(document(source), registry())]
    assert messages == [
        "Duplicate task id with name [a] (first defined at line 5)",
        "System labels can only be set by Kestra itself, offending label: system.x=y",
    ]


def test_rules_tolerate_data_that_is_not_a_flow() -> None:
    (loaded,) = load_documents("- a\n- b\n")
    assert isinstance(loaded, Document)
    assert validation.check(loaded, registry()) == []
    odd = document(HEAD + "inputs: 3\nlabels: 4\noutputs: [1]\ntriggers: [x]\ntasks: {}\n")
    assert validation.check(odd, registry()) == []


DASHED = """\
id: me
namespace: company.team
inputs:
  - id: my-input
    type: STRING
tasks:
  - id: my-task
    type: io.test.log.Log
    message: "{{ inputs.my-input }}"
  - id: fine
    type: io.test.log.Log
    message: "{{ inputs['my-input'] }} {{ outputs['my-task'].value }} {{ inputs.my }}"
  - id: parent
    type: io.test.flow.If
    condition: "{{ outputs.my-task.value }}"
    then:
      - id: child
        type: io.test.log.Log
        message: plain
outputs:
  - id: o
    type: STRING
    value: "{{ outputs.my-task.value }}"
"""


def test_dashed_references_must_use_brackets() -> None:
    advice = "keys with dashes require bracket notation, offending"
    assert rule(validation.dashed_references, DASHED) == [
        (
            "tasks[0]",
            "Invalid input reference: use inputs[key-name] instead of inputs.key-name — "
            f"{advice} tasks: [my-task]",
            7,
        ),
        (
            "tasks[2]",
            "Invalid output reference: use outputs[key-name] instead of outputs.key-name — "
            f"{advice} tasks: [parent]",
            13,
        ),
        (
            "outputs[0]",
            "Invalid output reference: use outputs[key-name] instead of outputs.key-name — "
            f"{advice} outputs: [o]",
            21,
        ),
    ]


def test_ids_without_dashes_need_no_brackets() -> None:
    source = DASHED.replace("my-input", "my_input").replace("my-task", "my_task")
    assert rule(validation.dashed_references, source) == []

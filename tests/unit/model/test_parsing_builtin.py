"""Parsing with the plugins installed through entry points (the real built-ins)."""

from __future__ import annotations

from functools import cache

import pytest

from legato.errors import FlowValidationError
from legato.model import parsing
from legato.model.registry import PluginRegistry
from legato.model.violations import Violation


@cache
def installed() -> PluginRegistry:
    return PluginRegistry.from_entry_points()


def test_a_flow_of_core_tasks_parses() -> None:
    source = """\
id: hello
namespace: company.team
pluginDefaults:
  - type: io.kestra.plugin.core.log
    values:
      level: WARN
tasks:
  - id: branch
    type: io.kestra.plugin.core.flow.If
    condition: "{{ true }}"
    then:
      - id: say
        type: io.kestra.plugin.core.log.Log
        message: "Hello {{ flow.id }}"
triggers:
  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
"""
    flow = parsing.parse_flow(source, installed())
    assert [t.id for t in flow.all_tasks()] == ["branch", "say"]
    say = flow.find_task("say")
    assert say is not None and getattr(say, "level", None) == "WARN"
    assert flow.warnings == ()


def test_legacy_types_parse_with_a_warning() -> None:
    source = """\
id: legacy
namespace: company.team
tasks:
  - id: say
    type: io.kestra.core.tasks.log.Log
    message: hi
"""
    flow = parsing.parse_flow(source, installed())
    assert flow.warnings == (
        "type: 'io.kestra.core.tasks.log.Log' is a legacy alias of 'io.kestra.plugin.core.log.Log'",
    )


@pytest.mark.parametrize(
    "kind",
    [
        "io.kestra.plugin.core.flow.Subflow",
        "io.kestra.core.tasks.flows.Flow",
        "io.kestra.plugin.core.flow.ForEachItem",
    ],
)
def test_a_built_in_subflow_task_may_not_call_its_own_flow(kind: str) -> None:
    extra = (
        "    items: kestra:///data.csv\n    batch:\n      rows: 1\n" if "ForEach" in kind else ""
    )
    source = (
        "id: loop\nnamespace: company.team\ntasks:\n  - id: again\n"
        f"    type: {kind}\n    namespace: company.team\n    flowId: loop\n{extra}"
    )
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(source, installed())
    found = [v for v in caught.value.violations if isinstance(v, Violation)]
    assert [(v.message, v.line) for v in found] == [
        ("Recursive call to flow [company.team.loop]", 4)
    ]


def test_validation_reports_every_problem_of_a_built_in_flow() -> None:
    source = """\
id: broken
namespace: company.team
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: again
    colour: red
"""
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(source, installed(), path="broken.yml")
    lines = [str(v) for v in caught.value.violations]
    assert lines[0] == "broken.yml:4:5: tasks[0].message: required property 'message' is missing"
    assert lines[1] == (
        "broken.yml:6:5: tasks[1].id: Duplicate task id with name [say] (first defined at line 4)"
    )
    assert lines[2].startswith("broken.yml:9:5: tasks[1].colour: unknown property 'colour'")

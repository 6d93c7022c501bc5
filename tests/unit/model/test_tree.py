"""Walking a validated flow: every nested plugin with its YAML location."""

from __future__ import annotations

from flow_test_plugins import registry

from legato.model import parsing, tree
from legato.sdk import Condition, Task, TaskRunner, Trigger

SOURCE = """\
id: a
namespace: b
tasks:
  - id: branch
    type: io.test.flow.If
    condition: x
    then:
      - id: sh
        type: io.test.script.Shell
        commands: [ls]
        taskRunner:
          type: io.test.runner.Process
    else:
      - id: log
        type: io.test.log.Log
        message: m
triggers:
  - id: tick
    type: io.test.trigger.Schedule
    cron: "@daily"
    conditions:
      - type: io.test.condition.Expression
        expression: "true"
"""


def test_plugins_of_finds_each_kind_with_its_location() -> None:
    flow = parsing.parse_flow(SOURCE, registry())
    assert [(loc, t.id) for loc, t in tree.plugins_of(flow, Task)] == [
        (("tasks", 0), "branch"),
        (("tasks", 0, "then", 0), "sh"),
        (("tasks", 0, "else", 0), "log"),
    ]
    assert [loc for loc, _ in tree.plugins_of(flow, TaskRunner)] == [
        ("tasks", 0, "then", 0, "taskRunner"),
    ]
    assert [loc for loc, _ in tree.plugins_of(flow, Trigger)] == [("triggers", 0)]
    assert [loc for loc, _ in tree.plugins_of(flow, Condition)] == [
        ("triggers", 0, "conditions", 0),
    ]


def test_walk_follows_maps_and_starts_at_the_given_location() -> None:
    flow = parsing.parse_flow(SOURCE, registry())
    found = [loc for loc, _ in tree.walk({"x": [flow.tasks[0]]}, ("root",))]
    assert found[:2] == [("root", "x", 0), ("root", "x", 0, "then", 0)]

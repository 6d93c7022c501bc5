"""The flow language's JSON Schema: top-level properties, one definition per plugin, references."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flow_test_plugins import PLUGINS
from pydantic import BaseModel, ConfigDict

from legato.model import schema
from legato.model.flow import Flow
from legato.model.registry import PluginRegistry
from legato.sdk import AnyTask, FlowableTask, plugin


class DagEntry(BaseModel):
    """A task of a Dag and what it waits for."""

    model_config = ConfigDict(extra="forbid")
    task: AnyTask
    dependsOn: list[str] | None = None


@plugin("io.test.flow.Dag", title="A graph of tasks")
class Dag(FlowableTask):
    """Run tasks in dependency order."""

    tasks: list[DagEntry]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return schema.flow_json_schema(PluginRegistry([*PLUGINS, Dag]))


def refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref":
                yield item
            else:
                yield from refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from refs(item)


def test_root_describes_a_flow(document: dict[str, Any]) -> None:
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["type"] == "object"
    assert document["additionalProperties"] is False
    assert document["required"] == ["id", "namespace", "tasks"]
    expected = {info.alias or name for name, info in Flow.model_fields.items()} - {"workerGroup"}
    assert set(document["properties"]) == expected
    assert "finally" in document["properties"]


def test_identity_patterns_are_kestra_s(document: dict[str, Any]) -> None:
    assert document["properties"]["id"]["pattern"] == "^[a-zA-Z0-9][a-zA-Z0-9._-]*$"
    assert document["properties"]["id"]["maxLength"] == 100
    assert document["properties"]["namespace"]["pattern"] == "^[a-z0-9][a-z0-9._-]*$"


def test_task_lists_point_at_the_task_definition(document: dict[str, Any]) -> None:
    tasks = document["properties"]["tasks"]
    assert tasks == {"type": "array", "items": {"$ref": "#/$defs/task"}, "minItems": 1}
    errors = document["properties"]["errors"]
    assert {"type": "array", "items": {"$ref": "#/$defs/task"}} in errors["anyOf"]
    triggers = document["properties"]["triggers"]
    assert {"type": "array", "items": {"$ref": "#/$defs/trigger"}} in triggers["anyOf"]


def test_each_kind_is_any_of_its_classes(document: dict[str, Any]) -> None:
    defs = document["$defs"]
    assert defs["task"] == {
        "anyOf": [
            {"$ref": "#/$defs/io.test.flow.Dag"},
            {"$ref": "#/$defs/io.test.flow.If"},
            {"$ref": "#/$defs/io.test.flow.Subflow"},
            {"$ref": "#/$defs/io.test.log.Log"},
            {"$ref": "#/$defs/io.test.script.Shell"},
        ]
    }
    assert defs["trigger"] == {"anyOf": [{"$ref": "#/$defs/io.test.trigger.Schedule"}]}
    assert defs["condition"] == {"anyOf": [{"$ref": "#/$defs/io.test.condition.Expression"}]}
    assert defs["taskRunner"] == {"anyOf": [{"$ref": "#/$defs/io.test.runner.Process"}]}


def test_a_class_names_its_type_and_aliases(document: dict[str, Any]) -> None:
    defs = document["$defs"]
    assert defs["io.test.flow.If"]["properties"]["type"] == {"const": "io.test.flow.If"}
    log = defs["io.test.log.Log"]
    assert log["properties"]["type"] == {"enum": ["io.test.log.Log", "io.test.legacy.Log"]}
    assert log["required"] == ["id", "message", "type"]
    assert log["additionalProperties"] is False
    assert log["title"] == "Log a message."
    assert defs["io.test.flow.Dag"]["title"] == "A graph of tasks"


def test_nested_plugin_properties_are_references(document: dict[str, Any]) -> None:
    defs = document["$defs"]
    then = defs["io.test.flow.If"]["properties"]["then"]
    assert then == {"type": "array", "items": {"$ref": "#/$defs/task"}}
    orelse = defs["io.test.flow.If"]["properties"]["else"]
    assert orelse["anyOf"] == [
        {"type": "array", "items": {"$ref": "#/$defs/task"}},
        {"type": "null"},
    ]
    runner = defs["io.test.script.Shell"]["properties"]["taskRunner"]
    assert runner["anyOf"] == [{"$ref": "#/$defs/taskRunner"}, {"type": "null"}]
    conditions = defs["io.test.trigger.Schedule"]["properties"]["conditions"]
    assert {"type": "array", "items": {"$ref": "#/$defs/condition"}} in conditions["anyOf"]


def test_nested_models_holding_plugins_are_patched_too(document: dict[str, Any]) -> None:
    entry = document["$defs"]["io.test.flow.Dag.DagEntry"]
    assert entry["properties"]["task"] == {"$ref": "#/$defs/task"}
    listener = document["$defs"]["Flow.Listener"]
    assert listener["properties"]["tasks"]["items"] == {"$ref": "#/$defs/task"}


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    names = set(document["$defs"])
    for ref in refs(document):
        assert ref.startswith("#/$defs/")
        assert ref.removeprefix("#/$defs/") in names, ref


def test_output_is_deterministic_and_json() -> None:
    first = schema.flow_json_schema(PluginRegistry([*PLUGINS, Dag]))
    second = schema.flow_json_schema(PluginRegistry([Dag, *reversed(PLUGINS)]))
    assert json.dumps(first) == json.dumps(second)
    assert list(first["$defs"]) == sorted(first["$defs"])


def test_a_kind_without_plugins_still_validates_a_type() -> None:
    empty = schema.flow_json_schema(PluginRegistry())
    assert empty["$defs"]["trigger"]["required"] == ["type"]
    assert "no trigger plugin is installed" in empty["$defs"]["trigger"]["description"]


def test_the_installed_plugins_are_all_described() -> None:
    registry = PluginRegistry.from_entry_points()
    document = schema.flow_json_schema(registry)
    text = json.dumps(document)
    for cls in registry.classes():
        assert cls.plugin_type in document["$defs"]
        for alias in cls.aliases:
            assert f'"{alias}"' in text
    names = set(document["$defs"])
    assert all(ref.removeprefix("#/$defs/") in names for ref in refs(document))


def test_labels_accept_the_map_and_the_list_form(document: dict[str, Any]) -> None:
    forms = document["properties"]["labels"]["anyOf"]
    assert {"items": {"$ref": "#/$defs/Flow.Label"}, "type": "array"} in forms
    assert any(form.get("type") == "object" and "additionalProperties" in form for form in forms)

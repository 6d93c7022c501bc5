"""Nested plugin resolution through the registry, and pluginDefaults application."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import Field, ValidationError

from legato.model.plugin import (
    ParseContext,
    PluginDefault,
    PluginKind,
    apply_defaults,
    deep_merge,
    validate_plugin,
)
from legato.model.registry import PluginRegistry
from legato.sdk import AnyTaskRunner, FlowableTask, RunnableTask, TaskRunner, Tasks, plugin


@plugin("io.test.log.Log", aliases=("io.test.legacy.Log",))
class Log(RunnableTask):
    message: str
    level: str = "INFO"
    options: dict[str, Any] | None = None
    tags: list[str] | None = None
    mixed: list[str | bool] | None = None


@plugin("io.test.flow.If")
class If(FlowableTask):
    condition: str
    then: Tasks
    else_: Tasks | None = Field(None, alias="else")


@plugin("io.test.runner.Process")
class Process(TaskRunner):
    pass


@plugin("io.test.script.Shell")
class Shell(RunnableTask):
    commands: list[str]
    taskRunner: AnyTaskRunner | None = None


def context(*defaults: PluginDefault) -> ParseContext:
    return ParseContext(PluginRegistry([Log, If, Process, Shell]), list(defaults))


def errors(raw: dict[str, Any], ctx: ParseContext) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        If.model_validate(raw, context=ctx)
    return [(e["loc"], e["msg"]) for e in caught.value.errors()]


def test_nested_tasks_resolve_to_their_classes() -> None:
    raw = {
        "id": "branch",
        "type": "io.test.flow.If",
        "condition": "{{ true }}",
        "then": [{"id": "a", "type": "io.test.log.Log", "message": "hi"}],
        "else": [{"id": "b", "type": "io.test.legacy.Log", "message": "ho"}],
    }
    task = If.model_validate(raw, context=context())
    assert isinstance(task.then[0], Log)
    assert task.else_ is not None and isinstance(task.else_[0], Log)
    assert task.else_[0].type == "io.test.legacy.Log"


def test_nested_errors_keep_their_full_path() -> None:
    raw = {
        "id": "branch",
        "type": "io.test.flow.If",
        "condition": "x",
        "then": [{"id": "a", "type": "io.test.log.Log", "bogus": 1}],
        "else": [{"id": "b", "type": "io.test.log.Logg", "message": "m"}],
    }
    found = errors(raw, context())
    locs = [loc for loc, _ in found]
    assert ("then", 0, "message") in locs
    assert ("then", 0, "bogus") in locs
    assert ("else", 0, "type") in locs
    unknown = next(msg for loc, msg in found if loc == ("else", 0, "type"))
    assert "did you mean 'io.test.log.Log'" in unknown


def test_a_nested_item_without_type_is_reported_at_its_type() -> None:
    raw = {"id": "i", "type": "io.test.flow.If", "condition": "x", "then": [{"id": "a"}]}
    assert (("then", 0, "type"), "every task needs a 'type'") in errors(raw, context())


def test_a_nested_item_that_is_not_a_mapping_is_reported() -> None:
    raw = {"id": "i", "type": "io.test.flow.If", "condition": "x", "then": ["oops"]}
    (loc, msg), *_ = errors(raw, context())
    assert loc == ("then", 0)
    assert "expected a task as a mapping" in msg


def test_a_type_of_the_wrong_kind_is_rejected() -> None:
    raw = {
        "id": "s",
        "type": "io.test.script.Shell",
        "commands": ["ls"],
        "taskRunner": {"type": "io.test.log.Log"},
    }
    with pytest.raises(ValidationError, match="it is a task type, not a taskRunner type"):
        Shell.model_validate(raw, context=context())


def test_validation_without_a_parse_context_says_so() -> None:
    raw = {"id": "i", "type": "io.test.flow.If", "condition": "x", "then": [{"type": "x"}]}
    with pytest.raises(ValidationError, match="ParseContext"):
        If.model_validate(raw)
    with pytest.raises(ValidationError, match="ParseContext"):
        If.model_validate(raw, context={"other": 1})


def test_context_may_be_wrapped_in_a_mapping() -> None:
    raw = {"id": "a", "type": "io.test.log.Log", "message": "m"}
    ctx = context()

    class Info:
        context = {"parse": ctx}

    assert isinstance(validate_plugin(raw, PluginKind.TASK, Info()), Log)  # type: ignore[arg-type]


def test_defaults_fill_required_properties_before_they_are_checked() -> None:
    ctx = context(PluginDefault("io.test.log.Log", {"message": "from defaults"}))
    raw = {
        "id": "i",
        "type": "io.test.flow.If",
        "condition": "x",
        "then": [{"id": "a", "type": "io.test.log.Log"}],
    }
    task = If.model_validate(raw, context=ctx)
    assert isinstance(task.then[0], Log)
    assert task.then[0].message == "from defaults"


def test_defaults_match_by_prefix_and_by_alias() -> None:
    by_prefix = PluginDefault("io.test", {"level": "WARN"})
    merged = apply_defaults({"type": "io.test.log.Log", "message": "m"}, Log, [by_prefix])
    assert merged["level"] == "WARN"
    by_canonical = PluginDefault("io.test.log.Log", {"level": "ERROR"})
    merged = apply_defaults({"type": "io.test.legacy.Log", "message": "m"}, Log, [by_canonical])
    assert merged["level"] == "ERROR"


def test_defaults_of_another_type_do_not_apply() -> None:
    other = PluginDefault("io.other", {"level": "WARN"})
    assert apply_defaults({"type": "io.test.log.Log"}, Log, [other]) == {"type": "io.test.log.Log"}
    empty = PluginDefault("", {"level": "WARN"})
    assert apply_defaults({"type": "io.test.log.Log"}, Log, [empty]) == {"type": "io.test.log.Log"}


def test_the_task_wins_over_non_forced_defaults_and_forced_defaults_win() -> None:
    soft = PluginDefault("io.test.log.Log", {"level": "WARN"})
    hard = PluginDefault("io.test.log.Log", {"level": "ERROR"}, forced=True)
    raw = {"type": "io.test.log.Log", "level": "DEBUG"}
    assert apply_defaults(raw, Log, [soft])["level"] == "DEBUG"
    assert apply_defaults(raw, Log, [hard])["level"] == "ERROR"


def test_defaults_merge_deeply_and_ignore_unknown_keys() -> None:
    default = PluginDefault("io.test.log.Log", {"options": {"a": 1, "b": 2}, "nope": True})
    raw = {"type": "io.test.log.Log", "options": {"b": 3}}
    merged = apply_defaults(raw, Log, [default])
    assert merged["options"] == {"a": 1, "b": 3}
    assert "nope" not in merged


def test_defaults_accept_expression_values() -> None:
    default = PluginDefault("io.test.log.Log", {"message": "{{ flow.id }}"})
    merged = apply_defaults({"type": "io.test.log.Log"}, Log, [default])
    assert merged["message"] == "{{ flow.id }}"


def test_deep_merge_replaces_non_mappings() -> None:
    assert deep_merge({"a": {"x": 1}, "b": [1]}, {"a": 2, "b": [2]}) == {"a": 2, "b": [2]}


def test_legacy_alias_use_is_noted_as_a_warning() -> None:
    ctx = context()
    raw = {
        "id": "i",
        "type": "io.test.flow.If",
        "condition": "x",
        "then": [{"id": "a", "type": "io.test.legacy.Log", "message": "m"}],
    }
    If.model_validate(raw, context=ctx)
    assert ctx.warnings == [("type", "'io.test.legacy.Log' is a legacy alias of 'io.test.log.Log'")]


def test_nested_plugins_dump_under_kestra_names() -> None:
    raw = {
        "id": "i",
        "type": "io.test.flow.If",
        "condition": "x",
        "then": [{"id": "a", "type": "io.test.log.Log", "message": "m"}],
        "else": [{"id": "b", "type": "io.test.log.Log", "message": "n"}],
    }
    dumped = If.model_validate(raw, context=context()).model_dump(by_alias=True, exclude_unset=True)
    assert dumped["then"] == [{"id": "a", "type": "io.test.log.Log", "message": "m"}]
    assert dumped["else"][0]["id"] == "b"


def test_worker_group_is_rejected_as_enterprise_only() -> None:
    raw = {"id": "a", "type": "io.test.log.Log", "message": "m", "workerGroup": {"key": "gpu"}}
    with pytest.raises(ValidationError, match="Enterprise Edition"):
        Log.model_validate(raw, context=context())


def test_task_id_pattern_forbids_dots() -> None:
    with pytest.raises(ValidationError, match="pattern"):
        Log.model_validate({"id": "a.b", "type": "io.test.log.Log", "message": "m"})


def test_use_of_a_deprecated_type_is_noted_as_a_warning() -> None:
    @plugin("io.test.old.Echo", deprecated=True)
    class Echo(RunnableTask):
        pass

    ctx = ParseContext(PluginRegistry([If, Echo]))
    raw = {
        "id": "i",
        "type": "io.test.flow.If",
        "condition": "x",
        "then": [{"id": "a", "type": "io.test.old.Echo"}],
    }
    If.model_validate(raw, context=ctx)
    assert ctx.warnings == [("type", "'io.test.old.Echo' is deprecated")]


def test_yaml_numbers_and_booleans_given_to_text_properties_read_as_text() -> None:
    raw = {"id": "a", "type": "io.test.log.Log", "message": 42, "level": True}
    task = Log.model_validate(raw, context=context())
    assert (task.message, task.level) == ("42", "true")
    assert Log.model_validate({**raw, "message": 1.5}, context=context()).message == "1.5"


def test_properties_that_accept_booleans_keep_them() -> None:
    raw = {"id": "a", "type": "io.test.log.Log", "message": "m", "disabled": True}
    assert Log.model_validate(raw, context=context()).disabled is True


def test_booleans_inside_lists_of_texts_read_as_text() -> None:
    raw = {"id": "a", "type": "io.test.log.Log", "message": "m", "tags": [True, "x", 3]}
    assert Log.model_validate(raw, context=context()).tags == ["true", "x", "3"]
    mixed = {"id": "a", "type": "io.test.log.Log", "message": "m", "mixed": [True]}
    assert Log.model_validate(mixed, context=context()).mixed == [True]

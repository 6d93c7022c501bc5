"""PluginRegistry: registration, aliases, kinds, suggestions, entry points."""

from __future__ import annotations

import pytest

from legato.errors import PluginError
from legato.model.plugin import PluginKind
from legato.model.registry import PluginRegistry
from legato.sdk import Condition, RunnableTask, Trigger, plugin


@plugin("io.example.log.Log", aliases=("io.example.legacy.Log",), title="Log it")
class Log(RunnableTask):
    message: str


@plugin("io.example.debug.Return")
class Return(RunnableTask):
    """Return a value."""

    format: str | None = None


@plugin("io.example.trigger.Schedule")
class Schedule(Trigger):
    cron: str


@plugin("io.example.condition.Expression")
class ExpressionCondition(Condition):
    expression: str


def registry() -> PluginRegistry:
    return PluginRegistry([Log, Return, Schedule, ExpressionCondition])


def test_resolves_canonical_names_and_aliases_to_the_same_class() -> None:
    reg = registry()
    assert reg.resolve(PluginKind.TASK, "io.example.log.Log") is Log
    assert reg.resolve(PluginKind.TASK, "io.example.legacy.Log") is Log
    assert reg.resolve(PluginKind.TRIGGER, "io.example.log.Log") is None


def test_types_lists_canonical_names_only() -> None:
    assert registry().types(PluginKind.TASK) == ["io.example.debug.Return", "io.example.log.Log"]


def test_classes_are_sorted_by_type() -> None:
    reg = registry()
    assert reg.classes(PluginKind.TASK) == [Return, Log]
    assert len(reg.classes()) == 4


def test_title_defaults_to_first_docstring_line() -> None:
    assert Log.title == "Log it"
    assert Return.title == "Return a value."


def test_registering_two_classes_under_one_name_is_an_error() -> None:
    @plugin("io.example.log.Log")
    class Other(RunnableTask):
        pass

    with pytest.raises(PluginError, match="registered twice"):
        PluginRegistry([Log, Other])


def test_registering_an_undecorated_class_is_an_error() -> None:
    class Bare(RunnableTask):
        pass

    with pytest.raises(PluginError, match="no type string"):
        PluginRegistry([Bare])


def test_unknown_type_suggests_the_nearest() -> None:
    reg = registry()
    message = reg.unknown_message(PluginKind.TASK, "io.example.log.Logg")
    assert "unknown task type 'io.example.log.Logg'" in message
    assert "did you mean 'io.example.log.Log'" in message


def test_unknown_type_suggests_by_last_segment_when_the_package_is_wrong() -> None:
    message = registry().unknown_message(PluginKind.TASK, "com.acme.something.else.Return")
    assert "'io.example.debug.Return'" in message


def test_unknown_type_without_a_near_match_says_what_to_do() -> None:
    message = registry().unknown_message(PluginKind.TASK, "zzz")
    assert "install the plugin" in message


def test_a_type_of_another_kind_is_named_as_such() -> None:
    message = registry().unknown_message(PluginKind.TASK, "io.example.trigger.Schedule")
    assert "it is a trigger type, not a task type" in message


def test_get_raises_with_the_message() -> None:
    with pytest.raises(PluginError, match="unknown task type 'nope'"):
        registry().get(PluginKind.TASK, "nope")
    assert registry().get(PluginKind.TASK, "io.example.log.Log") is Log


def test_from_entry_points_loads_the_builtin_groups() -> None:
    reg = PluginRegistry.from_entry_points()
    assert isinstance(reg, PluginRegistry)


def test_from_entry_points_of_an_empty_group_is_empty() -> None:
    assert PluginRegistry.from_entry_points("legato.no-such-group").classes() == []

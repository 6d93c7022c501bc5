"""Loading task definitions: validated through the registry, once per definition object."""

from __future__ import annotations

import pytest

from legato.model.registry import PluginRegistry
from legato.sdk.run_context import TaskError
from legato.worker.tasks import load_task

REGISTRY = PluginRegistry.from_entry_points()
RETURN = {"id": "r", "type": "io.kestra.plugin.core.debug.Return", "format": "x"}


def test_the_same_definition_object_gives_the_same_task() -> None:
    definition = dict(RETURN)
    first = load_task(definition, REGISTRY)
    assert load_task(definition, REGISTRY) is first
    assert first.format == "x"  # type: ignore[attr-defined]


def test_an_equal_but_other_definition_is_validated_again() -> None:
    first = load_task(dict(RETURN), REGISTRY)
    again = load_task({**RETURN, "format": "y"}, REGISTRY)
    assert again is not first and again.format == "y"  # type: ignore[attr-defined]


def test_another_registry_validates_again() -> None:
    definition = dict(RETURN)
    load_task(definition, REGISTRY)
    with pytest.raises(TaskError, match="Invalid task 'r'"):
        load_task(definition, PluginRegistry([]))


def test_an_invalid_definition_is_refused_every_time() -> None:
    definition = {"id": "r", "type": "io.kestra.plugin.core.debug.Return", "nope": 1}
    for _ in range(2):
        with pytest.raises(TaskError, match="nope"):
            load_task(definition, REGISTRY)

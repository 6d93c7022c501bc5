"""``sdk.task_settings``: what a context carries, or the defaults."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from legato.sdk.run_context import RunContext
from legato.sdk.task_settings import DEFAULT_TASK_SETTINGS, TaskSettings, settings_of


def context(**attributes: Any) -> RunContext:
    return cast(RunContext, SimpleNamespace(**attributes))


def test_the_settings_a_context_carries() -> None:
    carried = TaskSettings(docker_fallback="fail")
    assert settings_of(context(task_settings=carried)) is carried


def test_a_context_without_settings_gets_the_defaults() -> None:
    assert settings_of(context()) == TaskSettings(docker_fallback="process")
    assert settings_of(context(task_settings="fail")) is DEFAULT_TASK_SETTINGS

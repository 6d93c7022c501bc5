"""``plugins.scripts.fallback``: a task asking for Docker runs as a process with one warning,
or fails when the installation's Docker fallback is ``fail``."""

from __future__ import annotations

from typing import Any, cast

import pytest

from legato.plugins.scripts import fallback
from legato.sdk.run_context import RunContext, TaskError
from legato.sdk.task_settings import TaskSettings


class Logger:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)


class Context:
    def __init__(self, settings: TaskSettings | None = None) -> None:
        self.logger = Logger()
        if settings is not None:
            self.task_settings = settings


@pytest.fixture(autouse=True)
def no_docker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fallback, "docker_available", lambda: False)


def apply(ctx: Any, image: str | None = "python:3.13-slim") -> None:
    fallback.warn_process_fallback(cast(RunContext, ctx), image)


@pytest.mark.parametrize("settings", [None, TaskSettings(docker_fallback="process")])
def test_process_fallback_logs_one_warning_naming_the_image(
    settings: TaskSettings | None,
) -> None:
    ctx = Context(settings)
    apply(ctx)
    assert ctx.logger.warnings == [
        "The task asks for the Docker task runner with image 'python:3.13-slim', but no Docker "
        "engine answered 'docker info': running its commands with the Process runner on the "
        "worker's host instead"
    ]


def test_fail_fallback_fails_without_retry_and_says_how_to_switch() -> None:
    ctx = Context(TaskSettings(docker_fallback="fail"))
    with pytest.raises(TaskError) as info:
        apply(ctx, None)
    message = info.value.message
    assert "image '?'" in message and "no Docker engine answered 'docker info'" in message
    assert "taskRunner to {type: io.kestra.plugin.core.runner.Process}" in message
    assert "legato.tasks.docker-fallback to 'process' (LEGATO_DOCKER_FALLBACK=process)" in message
    assert info.value.retryable is False
    assert ctx.logger.warnings == []


def test_with_a_docker_engine_the_reason_is_the_given_one_or_a_host_only_task(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fallback, "docker_available", lambda: True)
    ctx = Context()
    apply(ctx)
    assert (
        "but this task type runs its commands on the worker's host only:"
        in (ctx.logger.warnings[0])
    )
    fallback.warn_process_fallback(cast(RunContext, ctx), "x", "image 'x' could not be pulled")
    assert "with image 'x', but image 'x' could not be pulled:" in ctx.logger.warnings[1]

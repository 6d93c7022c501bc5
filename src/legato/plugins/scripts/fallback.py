"""Docker fallback: what a script task asking for Docker does, as the installation configures.

A task asks for Docker when its ``taskRunner`` is the Docker runner or is unset (Kestra's
default), when the legacy ``runner`` is ``DOCKER``, or when it names a ``containerImage`` without
an explicit Process runner. It runs in a container (``docker_select``) unless that cannot be:
no Docker engine answers (``docker info``, asked once per process, the answer cached), its image
cannot be had, or the task type runs on the host only (legacy tasks). Then, with the ``process``
fallback (``legato.tasks.docker-fallback``, the default) it runs as a local process and logs ONE
warning naming the image and the reason; with ``fail`` it fails, without retry, saying so and
how to switch. The setting comes from the RunContext (``sdk.task_settings``), never from the config.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from legato.sdk.run_context import RunContext, TaskError
from legato.sdk.task_settings import settings_of

__all__ = ["PROCESS_RUNNER", "docker_available", "warn_process_fallback"]

PROCESS_RUNNER = "io.kestra.plugin.core.runner.Process"
DOCKER_CHECK_SECONDS = 3.0


@functools.cache
def docker_available() -> bool:
    """True when ``docker info`` answers within a few seconds (asked once, then cached)."""
    docker = shutil.which("docker")
    if docker is None:
        return False
    try:
        done = subprocess.run(
            [docker, "info"],
            capture_output=True,
            timeout=DOCKER_CHECK_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def warn_process_fallback(ctx: RunContext, image: str | None, reason: str | None = None) -> None:
    """Apply the configured Docker fallback to a task that asked for Docker: log the one
    warning and return (``process``), or raise a non-retryable ``TaskError`` (``fail``).
    ``reason`` says why no container runs (by default: no engine, or a host-only task type)."""
    why = reason or (
        "this task type runs its commands on the worker's host only"
        if docker_available()
        else "no Docker engine answered 'docker info'"
    )
    asked = f"The task asks for the Docker task runner with image '{image or '?'}', but {why}"
    if settings_of(ctx).docker_fallback == "fail":
        raise TaskError(
            f"{asked}, and the Docker fallback is 'fail'. Set the task's taskRunner to "
            f"{{type: {PROCESS_RUNNER}}}, or set legato.tasks.docker-fallback to 'process' "
            "(LEGATO_DOCKER_FALLBACK=process) to run its commands on the worker's host",
            retryable=False,
        )
    ctx.logger.warn(
        f"{asked}: running its commands with the Process runner on the worker's host instead"
    )

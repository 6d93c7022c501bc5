"""Docker fallback: a script task asking for Docker runs with the Process runner instead.

A task asks for Docker when its ``taskRunner`` is the Docker runner or is unset (Kestra's
default), when the legacy ``runner`` is ``DOCKER``, or when it names a ``containerImage`` without
an explicit Process runner. Legato does not run containers yet: such a task runs as a local
process and logs ONE warning naming the image (and whether a Docker engine answered — checked
once per process with ``docker info``, the answer cached). Failing instead is not configurable yet.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from legato.sdk.run_context import RunContext

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


def warn_process_fallback(ctx: RunContext, image: str | None) -> None:
    """Log the one warning of a task that asked for Docker but runs as a process."""
    why = (
        "Legato does not run containers yet"
        if docker_available()
        else "no Docker engine answered 'docker info'"
    )
    ctx.logger.warn(
        f"The task asks for the Docker task runner with image '{image or '?'}', but {why}: "
        "running its commands with the Process runner on the worker's host instead"
    )

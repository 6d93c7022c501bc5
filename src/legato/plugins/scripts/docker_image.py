"""Getting a container's image per ``pullPolicy`` before the container is created.

``obtain_image`` answers None when the image is there to use, else why it cannot be had (the
caller then applies the Docker fallback: a process with one warning, or a failure).

Invariants:

* ``IF_NOT_PRESENT`` (Kestra's default since 0.23) pulls only an image the engine lacks: a
  local image (``docker image inspect`` answers) is used as it is, never pulled.
* ``NEVER`` never pulls: a missing image cannot be had.
* ``ALWAYS`` pulls; when the pull fails but the engine holds the image, that copy is used with a
  warning (Kestra would fail; an engine without a registry still runs its local images).
* A pull that failed is remembered for the worker process (per engine and image) and not tried
  again: flows written for Docker Hub images then cost one failed pull, not one per task.
"""

from __future__ import annotations

import threading

from legato.plugins.scripts.docker_cli import DockerCli, DockerCommandError
from legato.plugins.scripts.docker_spec import ContainerSpec
from legato.sdk.run_context import TaskLogger

__all__ = ["PULL_SECONDS", "forget_failed_pulls", "obtain_image"]

#: how long one pull may take
PULL_SECONDS = 600.0

_failed_pulls: dict[tuple[str | None, str], str] = {}
_lock = threading.Lock()


def forget_failed_pulls() -> None:
    """Forget the remembered pull failures (a registry became reachable; tests)."""
    with _lock:
        _failed_pulls.clear()


def obtain_image(cli: DockerCli, spec: ContainerSpec, logger: TaskLogger) -> str | None:
    """Make ``spec.image`` usable per its pull policy; None when it is, else the reason."""
    present = cli.succeeds("image", "inspect", spec.image)
    if present and spec.pull_policy != "ALWAYS":
        return None
    if spec.pull_policy == "NEVER":
        return f"image '{spec.image}' is not on the Docker engine and pullPolicy is NEVER"
    failure = _pull(cli, spec.image, logger)
    if failure is None:
        return None
    if present:
        logger.warn(
            f"Could not pull image '{spec.image}' (pullPolicy ALWAYS): {failure}; "
            "using the copy the Docker engine already holds"
        )
        return None
    return f"image '{spec.image}' could not be pulled: {failure}"


def _pull(cli: DockerCli, image: str, logger: TaskLogger) -> str | None:
    key = (cli.host, image)
    with _lock:
        known = _failed_pulls.get(key)
    if known is not None:
        return known
    logger.info(f"Pulling image '{image}'")
    try:
        cli.run("pull", "--quiet", image, timeout=PULL_SECONDS)
    except DockerCommandError as error:
        with _lock:
            _failed_pulls[key] = str(error)
        return str(error)
    return None

"""The Docker task runner, ``io.kestra.plugin.scripts.runner.docker.Docker``.

Kestra's default task runner for script tasks: runs the commands in a container of the task's
``containerImage``. This module declares its properties (names and defaults are Kestra's;
``pullPolicy`` is ``IF_NOT_PRESENT`` by default since Kestra 0.23); ``docker_select`` and
``docker_run`` run it, local files reaching the container through a volume copy
(``fileHandlingStrategy: VOLUME``) or a bind mount (``MOUNT``).

``…docker.DockerTaskRunner`` was the type string of the beta task runner (Kestra 0.16) that this
one replaced; flows still using it are accepted through a legacy alias (with a warning).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from legato.model.property import Duration, Dyn
from legato.sdk import TaskRunner, plugin
from legato.sdk.scripts import Cpu, Credentials, DeviceRequest, Memory, PullPolicy

FileHandlingStrategy = Literal["MOUNT", "VOLUME"]


@plugin(
    "io.kestra.plugin.scripts.runner.docker.Docker",
    aliases=("io.kestra.plugin.scripts.runner.docker.DockerTaskRunner",),
    title="Run a task in a Docker container.",
)
class DockerTaskRunner(TaskRunner):
    """Run the task's commands in a Docker container."""

    host: Dyn[str] | None = None
    config: str | dict[str, Any] | None = None
    credentials: Credentials | None = None
    #: kept for backward compatibility with the ``docker:`` options; prefer ``containerImage``
    image: Dyn[str] | None = None
    user: Dyn[str] | None = None
    entryPoint: Dyn[list[str]] = [""]
    extraHosts: Dyn[list[str]] | None = None
    networkMode: Dyn[str] | None = None
    portBindings: Dyn[list[str]] | None = None
    volumes: Dyn[list[str]] | None = None
    pullPolicy: Dyn[PullPolicy] = "IF_NOT_PRESENT"
    deviceRequests: list[DeviceRequest] | None = None
    cpu: Cpu | None = None
    memory: Memory | None = None
    shmSize: Dyn[str] | None = None
    privileged: Dyn[bool] | None = None
    fileHandlingStrategy: Dyn[FileHandlingStrategy] = "VOLUME"
    delete: Dyn[bool] = True
    wait: Dyn[bool] = True
    killGracePeriod: Duration = timedelta(0)
    resume: Dyn[bool] = True

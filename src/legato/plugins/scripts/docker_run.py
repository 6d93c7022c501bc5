"""Run a script job in a Docker container: the launcher of the Docker task runner.

``ContainerLauncher`` is a ``runner.Launcher``: ``run_commands`` hands it the argv, the working
directory and the task's environment, and it answers a ``ProcessResult`` like the Process
runner's, its output lines streamed through the same handler (``::{…}::`` messages included).

Invariants:

* The container's working directory is the task's working directory path: ``{{ workingDir }}``
  and ``{{ outputDir }}`` mean the same path inside and outside (as Kestra's runner).
  ``VOLUME`` copies the directory into a fresh named volume mounted there, and back once the
  container has ended (also after a failure); ``MOUNT`` bind-mounts the directory itself.
* The container gets the task's environment only (``env``, ``WORKING_DIR``, ``OUTPUT_DIR``),
  passed by name through the CLI's environment: values never appear on a command line.
* stdout and stderr come from ``docker start --attach`` (read by ``process.run_process``); the
  exit code is the container's (``docker inspect``); an OOM kill is logged at ERROR.
* A kill (or timeout) stops the container at once: ``docker kill``, or ``docker stop`` with
  ``killGracePeriod`` when it is positive. Whatever happens, a container still running is
  stopped, and with ``delete`` (the default) the container and its volume are removed.
* ``wait: false`` starts the container and returns exit code 0 without waiting for it; it is
  then left to run (and is not removed), as Kestra.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from legato.plugins.scripts.docker_cli import DockerCli, DockerCommandError
from legato.plugins.scripts.docker_spec import ContainerSpec
from legato.plugins.scripts.process import LineHandler, ProcessResult, run_process
from legato.sdk.run_context import TaskError, TaskLogger

__all__ = ["LABEL", "ContainerLauncher"]

#: the label every container and volume of the runner carries (value: the execution id)
LABEL = "io.legato.execution-id"


@dataclass
class _Container:
    id: str
    volume: str | None
    #: the container was seen stopped after its run
    ended: bool = False
    #: started with ``wait: false``: neither stopped nor removed
    left_running: bool = False


@dataclass
class ContainerLauncher:
    """Runs jobs in containers of ``spec`` through ``cli``."""

    spec: ContainerSpec
    cli: DockerCli
    logger: TaskLogger
    execution_id: str

    def __call__(
        self,
        argv: Sequence[str],
        working: Path,
        env: Mapping[str, str],
        on_line: LineHandler,
        is_killed: Callable[[], bool],
    ) -> ProcessResult:
        """Run ``argv`` in a new container; stream its lines to ``on_line``."""
        container = self._create(argv, working, env)
        try:
            if container.volume is not None:
                self._docker("cp", f"{working}/.", f"{container.id}:{working}")
            if not self.spec.wait:
                self._docker("start", container.id)
                container.left_running = True
                self.logger.info(f"Container {container.id[:12]} started (wait: false)")
                return ProcessResult(0, killed=False)
            return self._attach(container, working, on_line, is_killed)
        finally:
            if not container.left_running:
                if not container.ended:
                    self._stop(container.id)
                if self.spec.delete:
                    self._remove(container)

    def _create(self, argv: Sequence[str], working: Path, env: Mapping[str, str]) -> _Container:
        label = f"{LABEL}={self.execution_id}"
        volume = None
        if self.spec.file_handling == "VOLUME":
            volume = self._docker("volume", "create", "--label", label)
            mount = f"{volume}:{working}"
        else:
            mount = f"{working}:{working}"
        options = [f"--workdir={working}", f"--label={label}", f"--volume={mount}"]
        options += [f"--env={name}" for name in env]
        try:
            cid = self._docker(
                "create",
                *options,
                *self.spec.create_flags,
                self.spec.image,
                *self.spec.command_prefix,
                *argv,
                env={**os.environ, **env},
            )
        except TaskError:
            if volume is not None:
                self._quietly("volume", "rm", volume)
            raise
        return _Container(cid, volume)

    def _attach(
        self,
        container: _Container,
        working: Path,
        on_line: LineHandler,
        is_killed: Callable[[], bool],
    ) -> ProcessResult:
        stopped = False

        def killed() -> bool:
            nonlocal stopped
            if not stopped and is_killed():
                stopped = True
                self._stop(container.id)
            return stopped

        attached = run_process(
            self.cli.argv("start", "--attach", container.id),
            cwd=working,
            env=os.environ,
            on_line=on_line,
            is_killed=killed,
        )
        state = json.loads(self._docker("inspect", "--format", "{{json .State}}", container.id))
        container.ended = state.get("Running") is False
        if state.get("OOMKilled"):
            self.logger.error(
                f"The container of image '{self.spec.image}' was killed for using more memory "
                "than its limit (the Docker task runner's memory.memory)"
            )
        if container.volume is not None:
            self._docker("cp", f"{container.id}:{working}/.", str(working))
        exit_code = state.get("ExitCode")
        return ProcessResult(
            exit_code if isinstance(exit_code, int) else attached.exit_code,
            killed=stopped or attached.killed,
        )

    def _stop(self, container_id: str) -> None:
        state = self._quietly("inspect", "--format", "{{.State.Running}}", container_id)
        if state != "true":
            return
        grace = int(self.spec.kill_grace.total_seconds())
        if grace > 0:
            self._quietly("stop", "--time", str(grace), container_id)
        else:
            self._quietly("kill", container_id)

    def _remove(self, container: _Container) -> None:
        self._quietly("rm", "--force", "--volumes", container.id)
        if container.volume is not None:
            self._quietly("volume", "rm", "--force", container.volume)

    def _docker(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        try:
            return self.cli.run(*args, env=env)
        except DockerCommandError as error:
            raise TaskError(
                f"Docker task runner (image '{self.spec.image}'): 'docker {args[0]}' failed: "
                f"{error}",
            ) from None

    def _quietly(self, *args: str) -> str | None:
        with contextlib.suppress(DockerCommandError):
            return self.cli.run(*args)
        return None

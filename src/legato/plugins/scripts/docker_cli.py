"""The ``docker`` command line, as the Docker task runner drives it.

``DockerCli`` builds ``docker`` argvs for one engine (``--host``) and one optional client
configuration directory (``--config``, holding registry credentials), and runs short commands.

Invariants: a command that fails or does not answer in time raises ``DockerCommandError``
carrying Docker's own message (its stderr), never a bare exit code; the ``docker`` program is
looked up on ``PATH`` when a command runs (a missing one is a ``DockerCommandError`` too).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["COMMAND_SECONDS", "DockerCli", "DockerCommandError"]

#: how long a short command (create, cp, inspect, rm…) may take
COMMAND_SECONDS = 120.0


class DockerCommandError(Exception):
    """A ``docker`` command failed; the message is Docker's."""


@dataclass(frozen=True)
class DockerCli:
    """``docker`` for one engine address and one client configuration."""

    host: str | None = None
    config_dir: Path | None = None

    def argv(self, *args: str) -> list[str]:
        """The full argv of ``docker <args>``."""
        program = shutil.which("docker")
        if program is None:
            raise DockerCommandError("the 'docker' command is not on the worker's PATH")
        options = ["--config", str(self.config_dir)] if self.config_dir else []
        options += ["--host", self.host] if self.host else []
        return [program, *options, *args]

    def run(
        self,
        *args: str,
        env: Mapping[str, str] | None = None,
        timeout: float = COMMAND_SECONDS,
    ) -> str:
        """Run ``docker <args>``; return its stdout (stripped).

        Raises:
            DockerCommandError: with Docker's message when it fails or times out.
        """
        try:
            done = subprocess.run(
                self.argv(*args),
                capture_output=True,
                env=None if env is None else dict(env),
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise DockerCommandError(
                f"'docker {args[0]}' did not answer within {timeout:g} s"
            ) from None
        except OSError as error:
            raise DockerCommandError(f"'docker {args[0]}' could not start: {error}") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise DockerCommandError(message or f"'docker {args[0]}' exited {done.returncode}")
        return done.stdout.decode("utf-8", "replace").strip()

    def succeeds(self, *args: str) -> bool:
        """True when ``docker <args>`` succeeds."""
        try:
            self.run(*args)
        except DockerCommandError:
            return False
        return True

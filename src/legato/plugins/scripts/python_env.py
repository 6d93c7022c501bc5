"""Python ``dependencies`` of script tasks: a cached virtual environment per dependency set.

Invariants:

* One environment per distinct set of requirement strings (sorted, de-duplicated), under
  ``$LEGATO_HOME/python-envs/<key>`` (``~/.legato`` when unset), made with ``uv venv`` on the
  host's Python and filled with ``uv pip install``; ``uv`` is the one on PATH or
  ``python -m uv``.
* An environment is used only once complete (a marker file written last); builders of the same
  set wait on a file lock, so concurrent tasks build it once. A failed install leaves no marker
  and raises ``TaskError`` with uv's last output lines.
* Tasks see it through ``PATH`` (its ``bin`` put first, as a prefix) and ``VIRTUAL_ENV``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from legato.sdk.run_context import RunContext, TaskError

__all__ = ["dependency_env", "env_key", "envs_root", "legato_home", "uv_command"]

MARKER = ".legato-complete"
TAIL_LINES = 15


def legato_home() -> Path:
    """``$LEGATO_HOME``, else ``~/.legato``."""
    return Path(os.environ.get("LEGATO_HOME") or "~/.legato").expanduser()


def envs_root() -> Path:
    """Where dependency environments live."""
    return legato_home() / "python-envs"


def env_key(dependencies: Sequence[str]) -> str:
    """The cache key of a dependency set (order and duplicates do not matter)."""
    text = "\n".join(sorted({d.strip() for d in dependencies if d.strip()}))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def uv_command() -> list[str]:
    """How to call uv."""
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def dependency_env(ctx: RunContext, dependencies: Sequence[str], python: str) -> dict[str, str]:
    """Environment variables running commands in the (cached) environment of ``dependencies``:
    ``PATH`` is a prefix, to go before the task's own ``PATH``."""
    root = envs_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / env_key(dependencies)
    with (root / f"{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / MARKER).exists():
            ctx.logger.info(f"Installing Python dependencies into {target}: {list(dependencies)}")
            _build(target, list(dependencies), python)
    return {"PATH": str(target / "bin"), "VIRTUAL_ENV": str(target)}


def _build(target: Path, dependencies: list[str], python: str) -> None:
    if target.exists():
        shutil.rmtree(target)
    uv = uv_command()
    _call([*uv, "venv", "--quiet", "--python", python, str(target)])
    _call(
        [
            *uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(target / "bin" / "python"),
            *dependencies,
        ]
    )
    (target / MARKER).write_text("\n".join(dependencies), encoding="utf-8")


def _call(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-TAIL_LINES:])
        raise TaskError(
            f"Installing Python dependencies failed (exit code {done.returncode}): {tail}",
            retryable=False,
        )

"""The PyPI ``kestra`` package for Python script tasks (``from kestra import Kestra``).

Python tasks run with the host's interpreter or a dependency environment, neither of which has
Kestra's client library; this module installs it once, beside them, and says how a script
reaches it.

Invariants:

* One pinned version, ``KESTRA_VERSION``, installed once per interpreter version (``cp311``…)
  with uv into ``$LEGATO_HOME/python-support/kestra-<version>-<tag>/``: ``lib/`` holds the
  package and its dependencies (``uv pip install --target --compile-bytecode``), ``boot/``
  holds only a ``sitecustomize`` module. uv's cache is tried first (``--offline``), then the
  index. The directory is built beside its final place and renamed into it under a file lock,
  so it is complete whenever it exists and concurrent tasks build it once.
* A script sees it through ``PYTHONPATH=<support>/boot`` (``python_path_prefix``): that
  ``sitecustomize`` appends ``lib`` to the END of ``sys.path``, after site-packages, so what the
  user installed (their ``requests``, or another ``kestra``) wins, then runs the
  ``sitecustomize`` it shadows, if there is one.
* The outcome for an interpreter and a home (a directory, or why there is none) is kept for the
  life of the process: after the first task, the check is a dictionary lookup.
* A failed install never fails a task: every Python task without the package logs one warning
  saying why, and the script runs; ``import kestra`` then fails with Python's own error.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from legato.plugins.scripts.python_env import legato_home, uv_command
from legato.sdk.run_context import RunContext

__all__ = [
    "KESTRA_VERSION",
    "KestraSupport",
    "boot_module",
    "kestra_support",
    "python_path_prefix",
    "support_root",
]

#: the version of the ``kestra`` package scripts import
KESTRA_VERSION = "2.0.0"
INSTALL_TIMEOUT_SECONDS = 300.0
TAIL_LINES = 8
_TAG_PROGRAM = "import sys; print(sys.implementation.cache_tag or 'py')"


@dataclass(frozen=True)
class KestraSupport:
    """Where the package is for one interpreter (``directory``), or why it is not (``problem``)."""

    directory: Path | None
    problem: str = ""


_known: dict[tuple[Path, str], KestraSupport] = {}
_known_lock = threading.Lock()


def support_root() -> Path:
    """Where support packages for scripts live."""
    return legato_home() / "python-support"


def kestra_support(python: str, note: Callable[[str], None] | None = None) -> KestraSupport:
    """The ``kestra`` package for scripts run by ``python``: installed on first use (``note``
    hears about it), then remembered for this process."""
    key = (support_root(), python)
    with _known_lock:
        known = _known.get(key)
        if known is None:
            known = _known[key] = _prepare(key[0], python, note or _quiet)
    return known


def python_path_prefix(ctx: RunContext, python: str) -> str | None:
    """The ``PYTHONPATH`` entry giving ``python``'s scripts the package; None (after one
    warning) when it could not be installed."""
    support = kestra_support(python, ctx.logger.info)
    if support.directory is None:
        ctx.logger.warn(
            f"The Python package kestra=={KESTRA_VERSION} is not available to this script "
            f"({support.problem}); the script runs without it, so 'from kestra import Kestra' "
            "fails. Allow access to PyPI (or fill uv's cache) and restart the worker, or add "
            "'kestra' to the task's dependencies."
        )
        return None
    return str(support.directory / "boot")


def boot_module(lib: Path) -> str:
    """The ``sitecustomize`` that puts ``lib`` after site-packages and chains to the next one.

    It uses the import system's own frozen modules (always loaded) rather than
    ``importlib.util``, whose imports would add milliseconds to every script's start."""
    return f'''"""Written by Legato: makes the kestra package importable after site-packages."""
import sys as _sys

_sys.path.append({str(lib)!r})


def _chain():
    import os
    import _frozen_importlib
    import _frozen_importlib_external

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in _sys.path if os.path.abspath(p or ".") != here]
    spec = _frozen_importlib_external.PathFinder.find_spec(__name__, rest)
    if spec is not None and spec.loader is not None:
        module = _frozen_importlib.module_from_spec(spec)
        _sys.modules[__name__] = module
        spec.loader.exec_module(module)


_chain()
'''


def _quiet(message: str) -> None:
    del message


def _prepare(root: Path, python: str, note: Callable[[str], None]) -> KestraSupport:
    try:
        tag = _interpreter_tag(python)
    except (OSError, subprocess.SubprocessError) as error:
        return KestraSupport(None, f"cannot run the interpreter '{python}': {error}")
    target = root / f"kestra-{KESTRA_VERSION}-{tag}"
    if target.is_dir():
        return KestraSupport(target)
    try:
        problem = _build_once(target, python, note)
    except OSError as error:
        problem = f"cannot write {root}: {error}"
    return KestraSupport(None if problem else target, problem)


def _build_once(target: Path, python: str, note: Callable[[str], None]) -> str:
    """Build ``target`` unless another process did while we waited for the lock."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / f"{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_dir():
            return ""
        note(f"Preparing the Python package kestra=={KESTRA_VERSION} for scripts in {target}")
        return _build(target, python)


def _interpreter_tag(python: str) -> str:
    done = subprocess.run(
        [python, "-c", _TAG_PROGRAM], capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout.strip()


def _build(target: Path, python: str) -> str:
    """Install into a partial directory renamed to ``target``; '' on success, else why not."""
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    lib = partial / "lib"
    options = [
        "--quiet",
        "--compile-bytecode",
        "--python",
        python,
        "--target",
        str(lib),
        f"kestra=={KESTRA_VERSION}",
    ]
    install = [*uv_command(), "pip", "install"]
    problem = _run([*install, "--offline", *options])
    if problem:
        problem = _run([*install, *options])
    if not problem:
        problem = _write_boot(partial / "boot", target / "boot", python)
    if problem:
        shutil.rmtree(partial, ignore_errors=True)
        return problem
    os.rename(partial, target)
    return ""


def _write_boot(boot: Path, final: Path, python: str) -> str:
    """Write ``sitecustomize`` and its byte code (scripts may run with PYTHONDONTWRITEBYTECODE,
    and compiling it at every start would cost milliseconds)."""
    boot.mkdir()
    (boot / "sitecustomize.py").write_text(boot_module(final.parent / "lib"), encoding="utf-8")
    return _run([python, "-m", "compileall", "-q", "-d", str(final), str(boot)])


def _run(argv: list[str]) -> str:
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, check=False, timeout=INSTALL_TIMEOUT_SECONDS
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{Path(argv[0]).name} could not run: {error}"
    if done.returncode == 0:
        return ""
    lines = (done.stderr or done.stdout).strip().splitlines()[-TAIL_LINES:]
    return f"{Path(argv[0]).name} failed with exit code {done.returncode}: " + " / ".join(lines)

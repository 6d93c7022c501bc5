"""Run one command as a local process (the Process task runner), streaming its output.

Invariants:

* The process starts in its own session (process group); a kill (``ctx.is_killed()``, which a
  task timeout also sets) ends the whole group: SIGTERM, then SIGKILL after a grace period.
* stdout and stderr are read by two threads into one queue; lines are handled on the calling
  thread only, in order per stream, whole (a long line is never cut or dropped). Bytes that are
  not UTF-8 are replaced, never fatal.
* ``run_process`` returns when the process has exited and both streams are drained (a leftover
  child holding a stream open is killed with the group after ``DRAIN_SECONDS``).
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = ["DRAIN_SECONDS", "KILL_GRACE_SECONDS", "ProcessResult", "run_process"]

POLL_SECONDS = 0.05
KILL_GRACE_SECONDS = 2.0
DRAIN_SECONDS = 5.0

#: a line handler: (stream name "stdout" | "stderr", the line without its newline)
LineHandler = Callable[[str, str], None]


@dataclass(frozen=True)
class ProcessResult:
    """How the process ended."""

    exit_code: int
    killed: bool


def run_process(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    on_line: LineHandler,
    is_killed: Callable[[], bool],
) -> ProcessResult:
    """Run ``argv`` in ``cwd`` with ``env``; pass each output line to ``on_line``."""
    process = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    lines: queue.Queue[tuple[str, str | None]] = queue.Queue()
    readers = [
        _reader("stdout", process.stdout, lines),
        _reader("stderr", process.stderr, lines),
    ]
    killed = _pump(process, lines, on_line, is_killed, open_streams=len(readers))
    for reader in readers:
        reader.join(timeout=1.0)
    return ProcessResult(process.wait(), killed)


def _reader(
    name: str, stream: IO[bytes] | None, lines: queue.Queue[tuple[str, str | None]]
) -> threading.Thread:
    def read() -> None:
        if stream is not None:
            with stream:
                for raw in iter(stream.readline, b""):
                    lines.put((name, raw.decode("utf-8", "replace").rstrip("\r\n")))
        lines.put((name, None))

    thread = threading.Thread(target=read, name=f"script-{name}", daemon=True)
    thread.start()
    return thread


def _pump(
    process: subprocess.Popen[bytes],
    lines: queue.Queue[tuple[str, str | None]],
    on_line: LineHandler,
    is_killed: Callable[[], bool],
    open_streams: int,
) -> bool:
    killed = False
    exited_at: float | None = None
    waited = 0.0
    while open_streams:
        if not killed and is_killed():
            killed = True
            _kill_group(process)
        if exited_at is None and process.poll() is not None:
            exited_at = waited
        if exited_at is not None and waited - exited_at > DRAIN_SECONDS:
            _signal_group(process, signal.SIGKILL)
            exited_at = waited
        try:
            name, line = lines.get(timeout=POLL_SECONDS)
        except queue.Empty:
            waited += POLL_SECONDS
            continue
        if line is None:
            open_streams -= 1
        else:
            on_line(name, line)
    return killed


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=KILL_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
    _signal_group(process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)

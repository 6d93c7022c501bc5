"""Run one command as a local process (the Process task runner), streaming its output.

Invariants:

* The process starts in its own session (process group); a kill (``ctx.is_killed()``, which a
  task timeout also sets) ends the whole group: SIGTERM, then SIGKILL after a grace period.
* stdout and stderr are read on the calling thread through one selector (no reader threads:
  starting two threads per task cost milliseconds of every script's round trip). Lines are
  handed to ``on_line`` in order per stream, whole (a long line is never cut or dropped), the
  last one even without a newline. Bytes that are not UTF-8 are replaced, never fatal.
* ``run_process`` returns when the process has exited and both streams are drained (a leftover
  child holding a stream open is killed with the group after ``DRAIN_SECONDS``).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

__all__ = ["DRAIN_SECONDS", "KILL_GRACE_SECONDS", "ProcessResult", "run_process"]

POLL_SECONDS = 0.05
KILL_GRACE_SECONDS = 2.0
DRAIN_SECONDS = 5.0
READ_BYTES = 65536

#: a line handler: (stream name "stdout" | "stderr", the line without its newline)
LineHandler = Callable[[str, str], None]


@dataclass(frozen=True)
class ProcessResult:
    """How the process ended."""

    exit_code: int
    killed: bool


@dataclass
class _LineSplitter:
    """Cuts one stream's bytes into lines."""

    name: str
    stream: IO[bytes]
    pending: bytearray = field(default_factory=bytearray)

    def feed(self, chunk: bytes, on_line: LineHandler) -> None:
        end = chunk.rfind(b"\n")
        if end < 0:
            self.pending += chunk
            return
        complete = self.pending + chunk[:end] if self.pending else chunk[:end]
        self.pending = bytearray(chunk[end + 1 :])
        for raw in complete.split(b"\n"):
            on_line(self.name, _text(raw))

    def finish(self, on_line: LineHandler) -> None:
        if self.pending:
            on_line(self.name, _text(self.pending))
            self.pending = bytearray()


def _text(raw: bytes | bytearray) -> str:
    return raw.decode("utf-8", "replace").rstrip("\r")


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
    with selectors.DefaultSelector() as selector:
        for name, stream in (("stdout", process.stdout), ("stderr", process.stderr)):
            if stream is not None:
                selector.register(stream, selectors.EVENT_READ, _LineSplitter(name, stream))
        killed = _pump(process, selector, on_line, is_killed)
    return ProcessResult(process.wait(), killed)


def _pump(
    process: subprocess.Popen[bytes],
    selector: selectors.BaseSelector,
    on_line: LineHandler,
    is_killed: Callable[[], bool],
) -> bool:
    killed = False
    exited_at: float | None = None
    while selector.get_map():
        if not killed and is_killed():
            killed = True
            _kill_group(process)
        if exited_at is None and process.poll() is not None:
            exited_at = time.monotonic()
        if exited_at is not None and time.monotonic() - exited_at > DRAIN_SECONDS:
            _signal_group(process, signal.SIGKILL)
            exited_at = time.monotonic()
        for key, _ in selector.select(timeout=POLL_SECONDS):
            _read(selector, key, on_line)
    return killed


def _read(
    selector: selectors.BaseSelector, key: selectors.SelectorKey, on_line: LineHandler
) -> None:
    splitter: _LineSplitter = key.data
    chunk = os.read(key.fd, READ_BYTES)
    if chunk:
        splitter.feed(chunk, on_line)
        return
    selector.unregister(splitter.stream)
    splitter.stream.close()
    splitter.finish(on_line)


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

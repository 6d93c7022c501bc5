"""Stdlib-only helpers shared by the peer workload scripts (run inside the peers' own venvs).

Invariants: nothing here imports Legato, Prefect or Dagster, so each workload script can import it
from its own directory in a virtual environment that holds only the peer engine. Results leave
the process as one line ``PEER-RESULT {json}`` on standard output, which ``run.py`` parses.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULT_PREFIX = "PEER-RESULT "


def timed(action: Callable[[], object]) -> float:
    """Wall-clock seconds taken by ``action()``."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def back_to_back(action: Callable[[], object], count: int, budget: float) -> dict[str, Any]:
    """Run ``action`` up to ``count`` times, stopping early once ``budget`` seconds are spent.

    Returns how many runs happened, their total seconds and the rate; ``complete`` says whether
    all ``count`` runs were done (a stopped series is a measured rate over fewer runs, not 1,000).
    """
    started = time.perf_counter()
    runs = 0
    while runs < count:
        action()
        runs += 1
        if time.perf_counter() - started > budget:
            break
    seconds = time.perf_counter() - started
    return {
        "runs": runs,
        "requested": count,
        "seconds": seconds,
        "per_second": runs / seconds,
        "complete": runs == count,
    }


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_memory() -> dict[str, float]:
    """Peak RSS in MB of this process and of its live helper processes (e.g. a local server).

    ``self_mb`` and ``children_mb`` are ``VmHWM`` from /proc: a new address space starts at
    exec, so they count only this program. ``getrusage`` is reported beside them but not used in
    the table: on Linux its ``ru_maxrss`` survives exec, so a process started from a big parent
    (bench/engine.py) inherits the parent's peak; ``reaped_children_max_mb`` (the largest child
    already waited for) has the same flaw and is an upper bound.
    """
    pending = _children(os.getpid())
    live = 0.0
    while pending:
        pid = pending.pop()
        live += _hwm_mb(pid)
        pending.extend(_children(pid))
    return {
        "self_mb": _hwm_mb(os.getpid()),
        "children_mb": live,
        "getrusage_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "reaped_children_max_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def emit(results: dict[str, Any]) -> None:
    """Write the results line that ``run.py`` reads."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(results) + "\n")
    sys.stdout.flush()

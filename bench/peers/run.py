"""Run the peer engines (Prefect, Dagster) on bench/engine.py's scenarios and report the figures.

Usage: ``uv run --frozen python bench/peers/run.py [--only prefect|dagster] [--executions N]
[--budget S] [--json]``; from bench/engine.py: ``from peers.run import peer_rows``.

Each peer gets its own virtual environment under ``bench/.peers-venvs/`` (gitignored), made with
``uv venv`` and ``uv pip install`` of the pinned requirements below the first time and reused
while the pins match. Each workload script runs in a subprocess of that environment with a fresh
temporary home, a time limit per run and a limit for the whole series; its standard error goes
to ``bench/.peers-venvs/<variant>.log``. Nothing here imports a peer engine, and nothing is
fetched at run time except the PyPI installs.

Invariant: rows carry exactly bench/engine.py's row labels, so they can sit beside its columns.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VENVS = HERE.parent / ".peers-venvs"
RESULT_PREFIX = "PEER-RESULT "

#: pins that install from PyPI here; fastapi is held back because prefect 3.8.8's server module
#: passes ``min_items`` to ``Body()``, which fastapi 0.165 no longer accepts.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "prefect": ("prefect==3.8.8", "fastapi==0.149.0"),
    "dagster": ("dagster==1.13.29",),
}


@dataclass(frozen=True)
class Variant:
    """One measured column: a peer's workload script run with some arguments."""

    name: str
    peer: str
    script: str
    args: tuple[str, ...] = ()


VARIANTS = (
    Variant("prefect", "prefect", "prefect_workloads.py"),
    Variant("dagster-ephemeral", "dagster", "dagster_workloads.py", ("--instance", "ephemeral")),
    Variant("dagster-sqlite", "dagster", "dagster_workloads.py", ("--instance", "sqlite")),
)

PER_RUN_LIMIT = 300.0
TOTAL_LIMIT = 600.0


class PeerError(Exception):
    """A peer could not be installed or measured; the message says why, in a few words."""


def ensure_venv(peer: str) -> Path:
    """The Python of ``peer``'s environment, creating or re-pinning it first when needed."""
    uv = shutil.which("uv")
    if uv is None:
        raise PeerError("uv not on PATH (install it: pip install uv)")
    home = VENVS / peer
    python = home / "bin" / "python"
    pins = "\n".join(REQUIREMENTS[peer])
    marker = home / "legato-bench-pins.txt"
    if python.exists() and marker.exists() and marker.read_text() == pins:
        return python
    steps = (
        [uv, "venv", "--quiet", "--clear", "--python", sys.executable, str(home)],
        [uv, "pip", "install", "--quiet", "--python", str(python), *REQUIREMENTS[peer]],
    )
    for command in steps:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise PeerError(f"install failed: {tail}")
    marker.write_text(pins)
    return python


def _environment(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "DAGSTER_", "VIRTUAL_ENV", "PYTHON", "UV_"))
    }
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DAGSTER_HOME=str(home),
        DO_NOT_TRACK="1",
    )
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return env


def run_variant(variant: Variant, executions: int, budget: float, limit: float) -> dict[str, Any]:
    """The raw figures of one variant's workload (see the scripts' docstrings for keys)."""
    python = ensure_venv(variant.peer)
    command = [str(python), str(HERE / variant.script), "--executions", str(executions)]
    command += ["--budget", str(budget), *variant.args]
    log = VENVS / f"{variant.name}.log"
    with (
        tempfile.TemporaryDirectory(prefix=f"legato-peer-{variant.name}-") as home,
        log.open("w") as errors,
    ):
        try:
            done = subprocess.run(
                command,
                cwd=HERE,
                env=_environment(Path(home)),
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                timeout=limit,
                check=False,
            )
        except subprocess.TimeoutExpired as timeout:
            raise PeerError(f"timed out after {limit:.0f} s") from timeout
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX))
            return result
    raise PeerError(f"exit {done.returncode}, no result (see {log.name})")


def labels(executions: int) -> tuple[str, str, str, str]:
    """bench/engine.py's row labels for scenarios (a) to (d)."""
    return (
        "(a) 100 Log tasks",
        "(b) ForEach 1,000 Return",
        f"(c) {executions} one-task executions",
        "(d) peak memory",
    )


def format_row(result: dict[str, Any], executions: int) -> dict[str, str]:
    """One table column: engine.py's labels mapped to short human figures."""
    a, b, c, d = labels(executions)
    series = result["c"]
    rate = f"{series['per_second']:.1f} executions/s"
    if not series["complete"]:
        rate += f" ({series['runs']} runs)"
    memory = f"{result['d']['self_mb']:.0f} MB"
    if result["d"]["children_mb"] >= 1:
        memory += f" + {result['d']['children_mb']:.0f} MB children"
    seconds_a = result["a_seconds"]
    return {
        "engine": result["engine"],
        a: f"{seconds_a:.3f} s, {seconds_a / result['a_tasks'] * 1000:.2f} ms/task",
        b: f"{result['b_seconds']:.3f} s ({result['b_tasks']} task runs)",
        c: rate,
        d: memory,
    }


def failed_row(name: str, reason: str, executions: int) -> dict[str, str]:
    """A column for a peer that was not measured: the reason, cut into cells of 33 characters."""
    a, b, c, d = labels(executions)
    return {"engine": name, a: "not measured:", b: reason[:33], c: reason[33:66], d: reason[66:99]}


def peer_results(
    executions: int = 1000, budget: float = 60.0, only: str | None = None
) -> list[tuple[Variant, dict[str, Any] | str]]:
    """Raw figures per variant, or the reason it was not measured; bounded by TOTAL_LIMIT."""
    deadline = time.monotonic() + TOTAL_LIMIT
    outcomes: list[tuple[Variant, dict[str, Any] | str]] = []
    for variant in VARIANTS:
        if only is not None and variant.peer != only:
            continue
        left = deadline - time.monotonic()
        if left < 30:
            outcomes.append((variant, "total time limit reached"))
            continue
        try:
            outcomes.append(
                (variant, run_variant(variant, executions, budget, min(PER_RUN_LIMIT, left)))
            )
        except PeerError as error:
            outcomes.append((variant, str(error)))
    return outcomes


def peer_rows(
    executions: int = 1000, budget: float = 60.0, only: str | None = None
) -> list[dict[str, str]]:
    """One dict per peer column: ``engine`` (column name) plus engine.py's row labels."""
    return [
        format_row(outcome, executions)
        if isinstance(outcome, dict)
        else failed_row(variant.name, outcome, executions)
        for variant, outcome in peer_results(executions, budget, only)
    ]


def print_rows(rows: list[dict[str, str]], executions: int) -> None:
    width = max(len(label) for label in labels(executions)) + 2
    print("scenario".ljust(width) + "".join(row["engine"].ljust(34) for row in rows))
    for label in labels(executions):
        print(label.ljust(width) + "".join(row[label].ljust(34) for row in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(REQUIREMENTS))
    parser.add_argument("--executions", type=int, default=1000)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds cap for (c) per run")
    parser.add_argument("--json", action="store_true", help="print raw figures as JSON too")
    args = parser.parse_args()
    outcomes = peer_results(args.executions, args.budget, args.only)
    if args.json:
        print(json.dumps({variant.name: outcome for variant, outcome in outcomes}, indent=2))
    rows = [
        format_row(outcome, args.executions)
        if isinstance(outcome, dict)
        else failed_row(variant.name, outcome, args.executions)
        for variant, outcome in outcomes
    ]
    print_rows(rows, args.executions)
    print("(c) with '(N runs)': stopped at the --budget cap; the rate is measured over N runs.")


if __name__ == "__main__":
    main()

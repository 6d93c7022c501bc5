"""Prefect's side of bench/engine.py's scenarios, run inside Prefect's own virtual environment.

Usage (normally through ``run.py``): ``python prefect_workloads.py [--executions N] [--budget S]``
with ``PREFECT_HOME`` pointing at an empty temporary directory and no ``PREFECT_API_URL``, so
Prefect starts its ephemeral local API server (SQLite under ``PREFECT_HOME``) as a subprocess.

Scenarios, each the same workload as Legato's:
(a) a flow calling 100 tasks in sequence, each logging one line with ``get_run_logger()``;
(b) a flow mapping a task over 1,000 values (``.map`` on the default ThreadPoolTaskRunner), each
    returning its value, and waiting for all results;
(c) back-to-back calls of a flow with one logging task, up to N or until ``--budget`` seconds;
(d) peak RSS of this process and, separately, of the ephemeral server it started.
One warm-up call of the one-task flow runs first (server start, imports), as in engine.py, then
one timed call (``single_s``). After (b), calls of the one-task flow are repeated until one is
back to normal speed, and timed apart as ``after_b``: the server is still digesting (b)'s
1,000 task runs' states and logs after the flow returns, and a later flow call waits for that.
"""

from __future__ import annotations

import argparse
from importlib.metadata import version

from _measure import back_to_back, emit, peak_memory, timed
from prefect import flow, get_run_logger, task


@task
def log_line(index: int) -> None:
    get_run_logger().info("line %d", index)


@task
def give_back(value: int) -> int:
    return value


@flow
def sequential() -> None:
    for index in range(100):
        log_line(index)


@flow
def fanout() -> list[int]:
    values: list[int] = give_back.map(range(1, 1001)).result()
    if len(values) != 1000:
        raise RuntimeError(f"fanout returned {len(values)} values, expected 1000")
    return values


@flow
def single() -> None:
    log_line(0)


def settle_after(baseline: float, cap: float = 180.0) -> dict[str, float]:
    """Call ``single`` until a call is back to normal speed (< 1.5 x ``baseline``), twice at least.

    (b) leaves the ephemeral server digesting 1,000 task runs' states and logs after the flow has
    returned; a later flow call waits for that. Timing it apart keeps (c) a measure of (c).
    """
    spent = 0.0
    calls = 0
    while spent < cap:
        seconds = timed(single)
        spent += seconds
        calls += 1
        if calls >= 2 and seconds < 1.5 * baseline:
            break
    return {"seconds": spent, "calls": calls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=1000)
    parser.add_argument("--budget", type=float, default=120.0)
    args = parser.parse_args()
    warmup = timed(single)
    baseline = timed(single)
    seconds_a = timed(sequential)
    seconds_b = timed(fanout)
    settle = settle_after(baseline)
    series = back_to_back(single, args.executions, args.budget)
    emit(
        {
            "engine": f"prefect {version('prefect')}",
            "warmup_s": warmup,
            "a_seconds": seconds_a,
            "a_tasks": 100,
            "b_seconds": seconds_b,
            "b_tasks": 1000,
            "single_s": baseline,
            "after_b": settle,
            "c": series,
            "d": peak_memory(),
        }
    )


if __name__ == "__main__":
    main()

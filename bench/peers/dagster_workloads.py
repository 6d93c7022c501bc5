"""Dagster's side of bench/engine.py's scenarios, run inside Dagster's own virtual environment.

Usage (normally through ``run.py``):
``python dagster_workloads.py [--instance ephemeral|sqlite] [--executions N] [--budget S]``
with ``DAGSTER_HOME`` pointing at an empty temporary directory. Every run goes through
``execute_in_process`` (Dagster's in-process executor: one op at a time, in this process) on
either an ephemeral in-memory instance (the default for ``execute_in_process``) or a SQLite
instance in a temporary directory (``DagsterInstance.local_temp``), closer to Legato's SQLite.

Scenarios, each the same workload as Legato's:
(a) a job of 100 ops chained by ``Nothing`` dependencies, each logging a line with context.log;
(b) a job whose first op yields 1,000 ``DynamicOutput`` values mapped over an op that returns its
    value (no collect step: Kestra's ForEach has none either);
(c) back-to-back ``execute_in_process`` runs of a one-op job, up to N or until ``--budget`` s;
(d) peak RSS of this process and of its live helper processes (Dagster's are short-lived).
One warm-up run of the one-op job runs first (imports, instance set-up), as in engine.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

from _measure import back_to_back, emit, peak_memory, timed
from dagster import (
    DagsterInstance,
    DynamicOut,
    DynamicOutput,
    In,
    JobDefinition,
    Nothing,
    job,
    op,
)


@op
def first_line(context) -> None:
    context.log.info("line 0")


@op(ins={"after": In(Nothing)})
def next_line(context) -> None:
    context.log.info(f"line {context.op_handle.name}")


@job
def sequential() -> None:
    previous = first_line()
    for index in range(1, 100):
        previous = next_line.alias(f"line{index}")(after=previous)


@op(out=DynamicOut(int))
def values() -> Iterator[DynamicOutput[int]]:
    for value in range(1, 1001):
        yield DynamicOutput(value, mapping_key=str(value))


@op
def give_back(value: int) -> int:
    return value


@job
def fanout() -> None:
    values().map(give_back)


@job
def single() -> None:
    first_line()


def runner(job_def: JobDefinition, instance: DagsterInstance | None) -> Any:
    def run() -> None:
        result = job_def.execute_in_process(instance=instance)
        if not result.success:
            raise RuntimeError(f"{job_def.name} failed")

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", choices=("ephemeral", "sqlite"), default="ephemeral")
    parser.add_argument("--executions", type=int, default=1000)
    parser.add_argument("--budget", type=float, default=120.0)
    args = parser.parse_args()
    instance = DagsterInstance.local_temp() if args.instance == "sqlite" else None
    warmup = timed(runner(single, instance))
    seconds_a = timed(runner(sequential, instance))
    seconds_b = timed(runner(fanout, instance))
    series = back_to_back(runner(single, instance), args.executions, args.budget)
    emit(
        {
            "engine": f"dagster {version('dagster')} ({args.instance})",
            "warmup_s": warmup,
            "a_seconds": seconds_a,
            "a_tasks": 100,
            "b_seconds": seconds_b,
            "b_tasks": 1001,
            "c": series,
            "d": peak_memory(),
        }
    )


if __name__ == "__main__":
    main()

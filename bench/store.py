"""Store micro-benchmark: ``uv run --frozen python bench/store.py [--rounds N] [--no-postgres]``.

One round is what one task costs the store in the engine's loop: the executor claims the
execution's events and commits a transition that dispatches a worker job; the worker claims
the job and finishes it (one result event, one log line). Prints the mean and 95th percentile
latency of each operation per adapter (memory, SQLite in a temporary folder, PostgreSQL in a
temporary database from PGHOST/PGPORT/PGUSER). The engine's budget is ≤ 1 ms per task overall.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from legato.model.execution import Execution, State, StateType, TaskRun
from legato.store.bundle import Store
from legato.store.factory import open_store
from legato.store.protocols import LogEntry, NewEvent, WorkerJob

START = datetime(2024, 5, 1, tzinfo=UTC)
OPERATIONS = ("claim_events", "commit", "claim_job", "finish")


def _execution(execution_id: str, runs: int) -> Execution:
    task_runs = tuple(
        TaskRun(
            id=f"run{n:04d}",
            executionId=execution_id,
            namespace="company.team",
            flowId="bench",
            taskId=f"log{n}",
            outputs={"value": n},
            state=State.of(StateType.RUNNING, START).with_state(StateType.SUCCESS, START),
        )
        for n in range(runs)
    )
    return Execution(
        id=execution_id,
        namespace="company.team",
        flowId="bench",
        state=State.of(StateType.RUNNING, START),
        taskRunList=task_runs,
    )


async def _timed(samples: dict[str, list[float]], name: str, work: Awaitable[object]) -> object:
    began = time.perf_counter()
    result = await work
    samples[name].append(time.perf_counter() - began)
    return result


async def _round(store: Store, samples: dict[str, list[float]], number: int) -> None:
    now = START + timedelta(seconds=number)
    claimed = await _timed(samples, "claim_events", store.executor.claim_events("ex", now))
    assert isinstance(claimed, list) and claimed, "the benchmark lost its event"
    execution, events = claimed[0]
    run_id = f"run{number}"
    job = WorkerJob(f"{execution.id}-{number}", execution.id, run_id, {"taskRunId": run_id})
    commit = store.executor.commit(execution, [e.id for e in events], jobs=[job])
    await _timed(samples, "commit", commit)
    jobs = await _timed(samples, "claim_job", store.worker_queue.claim("w", 1, now))
    assert isinstance(jobs, list) and jobs, "the benchmark lost its job"
    finished = NewEvent(execution.id, {"event": "TaskRunFinished", "taskRunId": f"run{number}"})
    line = LogEntry(execution.id, now, "INFO", f"task {number} done")
    await _timed(samples, "finish", store.worker_queue.finish(jobs[0].id, [finished], [line]))


async def measure(store: Store, rounds: int) -> dict[str, list[float]]:
    execution = _execution(uuid.uuid4().hex, 20)
    await store.executions.create(execution, [NewEvent(execution.id, {"event": "Created"})])
    samples: dict[str, list[float]] = {name: [] for name in OPERATIONS}
    for number in range(rounds):
        await _round(store, samples, number)
    return samples


def _report(name: str, samples: dict[str, list[float]]) -> None:
    total = 0.0
    for operation in OPERATIONS:
        values = sorted(samples[operation])
        mean = statistics.fmean(values) * 1000
        p95 = values[int(len(values) * 0.95) - 1] * 1000
        total += mean
        print(f"{name:<9} {operation:<13} mean {mean:7.3f} ms   p95 {p95:7.3f} ms")
    print(f"{name:<9} {'per task':<13} mean {total:7.3f} ms")


def _pg_admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=int(os.environ.get("PGPORT", "5432")),
        user=os.environ.get("PGUSER", "postgres"),
        dbname="postgres",
        autocommit=True,
    )


async def _run(name: str, opener: Callable[[], Awaitable[Store]], rounds: int) -> None:
    store = await opener()
    try:
        await measure(store, min(50, rounds))  # warm up connections and statement caches
        _report(name, await measure(store, rounds))
    finally:
        await store.close()


async def main(rounds: int, postgres: bool) -> None:
    await _run("memory", lambda: open_store("memory://"), rounds)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        await _run("sqlite", lambda: open_store(url), rounds)
    if not postgres:
        return
    database = f"legato_bench_{uuid.uuid4().hex[:8]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        host = os.environ.get("PGHOST", "127.0.0.1")
        port = os.environ.get("PGPORT", "5432")
        user = os.environ.get("PGUSER", "postgres")
        url = f"postgresql://{user}@{host}:{port}/{database}"
        await _run("postgres", lambda: open_store(url), rounds)
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--no-postgres", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, not arguments.no_postgres))

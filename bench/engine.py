"""Engine benchmark: the issue's goals, measured through the whole in-process stack.

Usage: ``uv run --frozen python bench/engine.py [--only sqlite|postgresql] [--executions N]``

Scenarios, per store (SQLite in a temporary home; PostgreSQL in a fresh database created on the
server named by ``PGHOST``/``PGPORT``/``PGUSER`` (default ``postgres@127.0.0.1:5432``) and
dropped afterwards, or at ``LEGATO_BENCH_PG_URL`` when set):

(a) one execution of a flow of 100 sequential Log tasks: wall time and overhead per task;
(b) one execution of a ForEach over 1,000 values (concurrencyLimit 0) of Return tasks;
(c) N back-to-back executions of a one-task flow (created all at once): executions per second;
(d) the process's peak resident memory (``resource.getrusage``) after all scenarios.

Goals (issue 3): (a) ≤ 1 ms per task, (b) < 1 s, (c) ≥ 250 executions/s, (d) < 300 MB.
With ``--peers``, the same scenarios also run on Prefect and Dagster, each installed in its own
virtual environment (``bench/peers``), and their columns print beside Legato's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from legato import bootstrap, config
from legato.model.execution import StateType
from legato.services.executions import NewExecution

NAMESPACE = "bench"
LOG = "io.kestra.plugin.core.log.Log"


def sequential_flow(count: int) -> str:
    tasks = "".join(
        f"  - id: log{i}\n    type: {LOG}\n    message: line {i}\n" for i in range(count)
    )
    return f"id: sequential\nnamespace: {NAMESPACE}\ntasks:\n{tasks}"


FOREACH_FLOW = f"""id: fanout
namespace: {NAMESPACE}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{{{ range(1, 1000) }}}}"
    concurrencyLimit: 0
    tasks:
      - id: ret
        type: io.kestra.plugin.core.debug.Return
        format: "{{{{ taskrun.value }}}}"
"""

ONE_TASK_FLOW = f"""id: single
namespace: {NAMESPACE}
tasks:
  - id: only
    type: {LOG}
    message: hello
"""


async def run_one(engine: bootstrap.Engine, flow_id: str) -> tuple[float, int]:
    """Seconds to run one execution of ``flow_id`` to its end, and its task-run count."""
    started = time.perf_counter()
    execution = await engine.executions.create(NewExecution(NAMESPACE, flow_id))
    final = await engine.wait(execution.id, poll=0.5)
    elapsed = time.perf_counter() - started
    if final.state.current != StateType.SUCCESS:
        raise RuntimeError(f"{flow_id} ended {final.state.current}")
    return elapsed, len(final.taskRunList)


async def back_to_back(engine: bootstrap.Engine, count: int) -> float:
    """Executions per second for ``count`` one-task executions created at once."""
    started = time.perf_counter()
    ids = [
        (await engine.executions.create(NewExecution(NAMESPACE, "single"))).id for _ in range(count)
    ]
    for execution_id in ids:
        final = await engine.wait(execution_id, poll=0.5)
        if final.state.current != StateType.SUCCESS:
            raise RuntimeError(f"single ended {final.state.current}")
    return count / (time.perf_counter() - started)


async def measure(settings: config.Settings, executions: int) -> dict[str, str]:
    results: dict[str, str] = {}
    async with bootstrap.open_engine(settings) as engine:
        for source in (sequential_flow(100), FOREACH_FLOW, ONE_TASK_FLOW):
            await engine.flows.deploy(source)
        async with engine.running():
            await run_one(engine, "single")  # warm-up: imports, caches, first statements
            seconds, runs = await run_one(engine, "sequential")
            results["(a) 100 Log tasks"] = f"{seconds:.3f} s, {seconds / runs * 1000:.2f} ms/task"
            seconds, runs = await run_one(engine, "fanout")
            results["(b) ForEach 1,000 Return"] = f"{seconds:.3f} s ({runs} task runs)"
            rate = await back_to_back(engine, executions)
            results[f"(c) {executions} one-task executions"] = f"{rate:.0f} executions/s"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["(d) peak memory"] = f"{peak:.0f} MB"
    return results


def stores(only: str | None) -> list[tuple[str, Callable[[Path], config.Settings]]]:
    chosen: list[tuple[str, Callable[[Path], config.Settings]]] = []
    if only in (None, "sqlite"):
        chosen.append(("sqlite", lambda home: config.Settings.for_home(home)))
    if only in (None, "postgresql"):
        pg_url = os.environ.get("LEGATO_BENCH_PG_URL") or fresh_pg_database()
        if pg_url:

            def postgres(home: Path) -> config.Settings:
                base = config.Settings.for_home(home)
                return config.Settings(base.home, pg_url, base.storage_path, base.worker_threads)

            chosen.append(("postgresql", postgres))
    return chosen


PG_DATABASE = f"legato_bench_{os.getpid()}"


def _pg_admin() -> Any:
    import psycopg

    return psycopg.connect(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=int(os.environ.get("PGPORT", "5432")),
        user=os.environ.get("PGUSER", "postgres"),
        dbname="postgres",
        autocommit=True,
    )


def fresh_pg_database() -> str | None:
    """A new empty database on the PG* server, or None when no server answers."""
    try:
        with _pg_admin() as admin:
            admin.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    except Exception as error:
        print(f"PostgreSQL: not measured ({error.__class__.__name__}: {error})".strip())
        return None
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = os.environ.get("PGPORT", "5432")
    user = os.environ.get("PGUSER", "postgres")
    return f"postgresql://{user}@{host}:{port}/{PG_DATABASE}"


def drop_pg_database() -> None:
    with contextlib.suppress(Exception), _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--executions", type=int, default=1000)
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also run the same scenarios on Prefect and Dagster (bench/peers; ~7 minutes)",
    )
    args = parser.parse_args()
    chosen = stores(args.only)
    if not chosen:
        sys.exit("no store to measure")
    table: dict[str, dict[str, str]] = {}
    try:
        for name, make in chosen:
            with tempfile.TemporaryDirectory(prefix="legato-bench-") as home:
                table[name] = asyncio.run(measure(make(Path(home)), args.executions))
    finally:
        drop_pg_database()
    if args.peers:
        from peers.run import peer_rows  # bench/ is first on sys.path when run as a script

        table.update({row.pop("engine"): row for row in peer_rows(args.executions)})
    print_table(table)
    print("(d) is the peak of the whole process, so it covers every store measured before it.")


def print_table(table: dict[str, dict[str, str]]) -> None:
    names = list(table)
    rows = list(next(iter(table.values())))
    width = max(len(r) for r in rows) + 2
    print("scenario".ljust(width) + "".join(n.ljust(34) for n in names))
    for row in rows:
        print(row.ljust(width) + "".join(table[n][row].ljust(34) for n in names))


if __name__ == "__main__":
    main()

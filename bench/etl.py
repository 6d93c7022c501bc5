"""ETL benchmark: a PostgreSQL CopyIn task against ``psql``'s ``\\copy``, and a Python Script
task's round trip against running the same script directly.

Usage: ``uv run --frozen python bench/etl.py [--rows N] [--repeat R] [--script-runs N]
[--only copy|script]``

(1) CopyIn: ``--rows`` (1,000,000) NYC-yellow-taxi-like CSV rows (19 columns, deterministic) are
    written to a temporary directory and loaded into a fresh table of a fresh database
    (``legato_etl_<pid>`` on the server named by ``PGHOST``/``PGPORT``/``PGUSER``, default
    ``postgres@127.0.0.1:5432``, dropped afterwards), the table truncated before every load.
    Loads alternate (one warm-up round, then ``--repeat`` rounds) between
    ``psql -c "\\copy …"`` and a one-task Legato flow
    (``io.kestra.plugin.jdbc.postgresql.CopyIn``) run through the whole engine (SQLite store,
    local internal storage) with the file uploaded to internal storage beforehand. Three
    Legato times: ``run()`` (the task's own work, timed around the plugin method in this
    process), the task run (CREATED → SUCCESS as the executor recorded it) and the execution
    (creation → end as seen here). Goal: ``run()`` median ≤ 1.3 × psql median.
(2) Script: ``--script-runs`` executions of a flow with one ``python.Script`` task (Process
    runner, a one-line script) against ``subprocess.run([python, file])`` of the same script
    with the same interpreter, alternately (one warm-up round). Goal: ``run()`` median − direct
    median ≤ 20 ms; the task-run and execution differences are printed too.

Medians of the repetitions are printed in a table, with the goals.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from legato import bootstrap, config
from legato.model.execution import Execution, StateType, TaskRun
from legato.plugins.jdbc.postgres_copy import CopyIn
from legato.plugins.scripts.execute import python_executable
from legato.plugins.scripts.python import PythonScript
from legato.services.executions import NewExecution

NAMESPACE = "bench"
PG_HOST = os.environ.get("PGHOST", "127.0.0.1")
PG_PORT = os.environ.get("PGPORT", "5432")
PG_USER = os.environ.get("PGUSER", "postgres")
DATABASE = f"legato_etl_{os.getpid()}"
TABLE = "yellow_tripdata"
COPY_GOAL = 1.3
SCRIPT_GOAL = 20.0

YELLOW_COLUMNS = {
    "VendorID": "text",
    "tpep_pickup_datetime": "timestamp",
    "tpep_dropoff_datetime": "timestamp",
    "passenger_count": "integer",
    "trip_distance": "double precision",
    "RatecodeID": "text",
    "store_and_fwd_flag": "text",
    "PULocationID": "text",
    "DOLocationID": "text",
    "payment_type": "integer",
    "fare_amount": "double precision",
    "extra": "double precision",
    "mta_tax": "double precision",
    "tip_amount": "double precision",
    "tolls_amount": "double precision",
    "improvement_surcharge": "double precision",
    "total_amount": "double precision",
    "congestion_surcharge": "double precision",
    "airport_fee": "double precision",
}

SCRIPT = 'print("hello from a script")\n'


# --- data -------------------------------------------------------------------------------------


def trip_tails(rng: random.Random, count: int) -> list[tuple[str, int]]:
    """``count`` distinct trips: the CSV text after the dates, and the trip's duration (s)."""
    tails = []
    for _ in range(count):
        distance = round(rng.expovariate(1 / 3), 2)
        fare = round(2.5 + distance * 2.5, 2)
        tip = round(fare * rng.choice([0, 0, 0.1, 0.15, 0.2]), 2)
        total = round(fare + 1 + tip + 0.3 + 2.5, 2)
        fields = (
            rng.randint(1, 6),
            distance,
            rng.choice([1, 1, 1, 2, 5]),
            rng.choice("NNNY"),
            rng.randint(1, 265),
            rng.randint(1, 265),
            rng.choice([1, 1, 2, 3]),
            fare,
            0.5,
            0.5,
            tip,
            0,
            0.3,
            total,
            2.5,
            rng.choice([0, 0, 0, 1.25]),
        )
        tails.append((",".join(map(str, fields)), rng.randint(120, 3600)))
    return tails


def write_yellow_csv(path: Path, rows: int, seed: int = 2019) -> None:
    """``rows`` yellow-taxi-like rows with a header; the same ``seed`` gives the same file."""
    tails = trip_tails(random.Random(seed), 4096)
    start = 1546300800  # 2019-01-01T00:00:00Z
    stamp = "%Y-%m-%d %H:%M:%S"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(YELLOW_COLUMNS) + "\n")
        block: list[str] = []
        for i in range(rows):
            tail, duration = tails[(i * 2654435761) % len(tails)]
            pickup = start + i * 2.67
            begin = time.strftime(stamp, time.gmtime(pickup))
            end = time.strftime(stamp, time.gmtime(pickup + duration))
            block.append(f"{1 + i % 2},{begin},{end},{tail}\n")
            if len(block) == 10_000:
                out.write("".join(block))
                block.clear()
        out.write("".join(block))


# --- PostgreSQL -------------------------------------------------------------------------------


def connect(dbname: str) -> psycopg.Connection[tuple[Any, ...]]:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True)


@contextlib.contextmanager
def fresh_database() -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A new database holding the empty ``yellow_tripdata`` table; dropped afterwards."""
    with connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    try:
        with connect(DATABASE) as conn:
            columns = ", ".join(f"{name} {kind}" for name, kind in YELLOW_COLUMNS.items())
            conn.execute(f"CREATE TABLE {TABLE} ({columns})")
            yield conn
    finally:
        with connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def psql_copy(csv: Path) -> float:
    """Seconds for ``psql`` to ``\\copy`` ``csv`` into the table (process start included)."""
    command = (
        f"\\copy {TABLE} ({', '.join(YELLOW_COLUMNS)}) FROM '{csv}' WITH (FORMAT CSV, HEADER TRUE)"
    )
    started = time.perf_counter()
    subprocess.run(
        ["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", DATABASE, "-q", "-c", command],
        check=True,
    )
    return time.perf_counter() - started


# --- Legato -----------------------------------------------------------------------------------


def copy_in_flow() -> str:
    columns = "".join(f"\n      - {name}" for name in YELLOW_COLUMNS)
    return f"""id: copy_in
namespace: {NAMESPACE}
inputs:
  - id: data
    type: FILE
tasks:
  - id: load
    type: io.kestra.plugin.jdbc.postgresql.CopyIn
    url: jdbc:postgresql://{PG_HOST}:{PG_PORT}/{DATABASE}
    username: {PG_USER}
    from: "{{{{ inputs.data }}}}"
    table: {TABLE}
    format: CSV
    header: true
    columns:{columns}
"""


SCRIPT_FLOW = f"""id: script
namespace: {NAMESPACE}
tasks:
  - id: py
    type: io.kestra.plugin.scripts.python.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    script: {SCRIPT.strip()!r}
"""


@contextlib.contextmanager
def timed_runs(task_class: type[Any]) -> Iterator[list[float]]:
    """Seconds of every ``run`` of ``task_class`` while inside (the worker runs plugins in this
    process, so wrapping the method times exactly the task's own work)."""
    original = task_class.run
    times: list[float] = []

    def timed(self: Any, ctx: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, ctx)
        finally:
            times.append(time.perf_counter() - started)

    task_class.run = timed
    try:
        yield times
    finally:
        task_class.run = original


def task_run_seconds(run: TaskRun) -> float:
    """The task run's CREATED → end span as the executor recorded it (dispatch, claim, run and
    report)."""
    return (run.state.histories[-1].date - run.state.histories[0].date).total_seconds()


@dataclass
class Timings:
    """Seconds per execution: the plugin's ``run``, the task run, the whole execution."""

    run: list[float] = field(default_factory=list)
    task_run: list[float] = field(default_factory=list)
    execution: list[float] = field(default_factory=list)


async def run_flow(
    engine: bootstrap.Engine,
    flow_id: str,
    timings: Timings | None = None,
    inputs: dict[str, Any] | None = None,
) -> Execution:
    """Run one execution of ``flow_id`` to its end (recording its times in ``timings``)."""
    started = time.perf_counter()
    created = await engine.executions.create(NewExecution(NAMESPACE, flow_id, inputs=inputs))
    final = await engine.wait(created.id, poll=0.1)
    elapsed = time.perf_counter() - started
    if final.state.current != StateType.SUCCESS:
        logs = [entry.message for entry in await engine.stores.logs.find(created.id)]
        raise RuntimeError(f"{flow_id} ended {final.state.current}: {logs[-5:]}")
    if timings is not None:
        timings.task_run.append(task_run_seconds(final.taskRunList[-1]))
        timings.execution.append(elapsed)
    return final


async def compare_copies(
    settings: config.Settings, csv: Path, table: psycopg.Connection[tuple[Any, ...]], repeat: int
) -> tuple[list[float], Timings, int]:
    """``repeat`` rounds of a psql load then a CopyIn execution (after one warm-up of each),
    interleaved so that the machine's load weighs on both alike; psql seconds, CopyIn times and
    the last row count."""
    psql: list[float] = []
    timings, rows = Timings(), 0
    async with bootstrap.open_engine(settings) as engine:
        await engine.flows.deploy(copy_in_flow())
        uri = f"kestra:///{NAMESPACE}/copy_in/bench-data/{csv.name}"
        await engine.stores.files.put_file(uri, str(csv))
        async with engine.running():
            with timed_runs(CopyIn) as runs:
                for round_ in range(repeat + 1):
                    table.execute(f"TRUNCATE {TABLE}")
                    seconds = await asyncio.to_thread(psql_copy, csv)
                    table.execute(f"TRUNCATE {TABLE}")
                    recorded = timings if round_ else None  # round 0 warms up
                    final = await run_flow(engine, "copy_in", recorded, {"data": uri})
                    rows = int((final.taskRunList[-1].outputs or {})["rowCount"])
                    psql += [seconds] if round_ else []
            timings.run = runs[1:]
    return psql, timings, rows


async def compare_scripts(
    settings: config.Settings, folder: Path, runs: int
) -> tuple[list[float], Timings]:
    """``runs`` rounds of the script run directly then by a one-Script execution (after one
    warm-up of each), interleaved; direct seconds and the Script task's times."""
    script = folder / "script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    python = python_executable()
    direct: list[float] = []
    timings = Timings()
    async with bootstrap.open_engine(settings) as engine:
        await engine.flows.deploy(SCRIPT_FLOW)
        async with engine.running():
            with timed_runs(PythonScript) as plugin_runs:
                for round_ in range(runs + 1):
                    seconds = await asyncio.to_thread(run_directly, python, script)
                    await run_flow(engine, "script", timings if round_ else None)
                    direct += [seconds] if round_ else []
            timings.run = plugin_runs[1:]
    return direct, timings


def run_directly(python: str, script: Path) -> float:
    """Seconds of ``subprocess.run([python, script])``."""
    started = time.perf_counter()
    subprocess.run([python, str(script)], check=True, capture_output=True)
    return time.perf_counter() - started


# --- scenarios --------------------------------------------------------------------------------


def copy_scenario(rows: int, repeat: int) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="legato-etl-") as scratch:
        folder = Path(scratch)
        csv = folder / "yellow_tripdata_2019-01.csv"
        started = time.perf_counter()
        write_yellow_csv(csv, rows)
        generated = time.perf_counter() - started
        size_mb = csv.stat().st_size / 1e6
        with fresh_database() as table:
            settings = config.Settings.for_home(folder / "home")
            psql, timings, loaded = asyncio.run(compare_copies(settings, csv, table, repeat))
    if loaded != rows:
        raise RuntimeError(f"CopyIn loaded {loaded} rows, expected {rows}")
    ratio = statistics.median(timings.run) / statistics.median(psql)
    verdict = "met" if ratio <= COPY_GOAL else "NOT met"
    return [
        ("data", f"{rows:,} rows, {size_mb:.0f} MB, generated in {generated:.1f} s"),
        ("psql \\copy", _spread(psql)),
        ("CopyIn run()", _spread(timings.run)),
        ("CopyIn task run", _spread(timings.task_run)),
        ("CopyIn execution", _spread(timings.execution)),
        ("CopyIn run() / psql", f"{ratio:.2f} (goal ≤ {COPY_GOAL}: {verdict})"),
    ]


def script_scenario(runs: int) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="legato-etl-") as scratch:
        folder = Path(scratch)
        settings = config.Settings.for_home(folder / "home")
        direct, timings = asyncio.run(compare_scripts(settings, folder, runs))
    direct_ms = statistics.median(direct) * 1000

    def extra(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000 - direct_ms:+.1f} ms"

    verdict = (
        "met" if statistics.median(timings.run) * 1000 - direct_ms <= SCRIPT_GOAL else "NOT met"
    )
    return [
        ("python script.py", _spread(direct, "ms")),
        ("Script run()", _spread(timings.run, "ms")),
        ("Script task run", _spread(timings.task_run, "ms")),
        ("Script execution", _spread(timings.execution, "ms")),
        ("run() − direct", f"{extra(timings.run)} (goal ≤ {SCRIPT_GOAL:.0f} ms: {verdict})"),
        ("task run − direct", extra(timings.task_run)),
        ("execution − direct", extra(timings.execution)),
    ]


def _spread(values: list[float], unit: str = "s") -> str:
    scale, digits = (1000, 1) if unit == "ms" else (1, 3)
    median = statistics.median(values) * scale
    low, high = min(values) * scale, max(values) * scale
    spread = f"min {low:.{digits}f}, max {high:.{digits}f}, n={len(values)}"
    return f"median {median:.{digits}f} {unit} ({spread})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="loads per side (CopyIn)")
    parser.add_argument("--script-runs", type=int, default=20)
    parser.add_argument("--only", choices=("copy", "script"))
    args = parser.parse_args()
    table: list[tuple[str, str]] = []
    if args.only in (None, "copy"):
        table += copy_scenario(args.rows, args.repeat)
    if args.only in (None, "script"):
        table += script_scenario(args.script_runs)
    width = max(len(label) for label, _ in table) + 2
    for label, value in table:
        print(label.ljust(width) + value)


if __name__ == "__main__":
    main()

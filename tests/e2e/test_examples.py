"""The flows of ``examples/`` validate, and the two ETL examples run offline end to end.

Their downloads come from ``examples/data/serve.py`` serving what ``examples/data/generate.py``
wrote, on an ephemeral port. The Zoomcamp taxi ETL runs through ``legato run`` against a real
PostgreSQL database created for this module (dropped after); the flow keeps the course's
connection and Kestra-shaped configuration (``KESTRA_CONFIGURATION``, forced global plugin
defaults) points it at that database, as a user would. The getting-started pipeline runs
through the engine, and its stored DuckDB result is read back from internal storage. Expected
values come from the generated files alone (``examples_support/expectations.py``).
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from examples_support.example_data import EXAMPLES, generate, serve
from examples_support.expectations import MonthLoad, average_price_per_brand, month_load
from examples_support.scratch_database import Server, scratch_database
from typer.testing import CliRunner

from legato import bootstrap, config
from legato.cli.main import app
from legato.expressions.filters.ion import from_ion
from legato.model.execution import Execution
from legato.services.executions import NewExecution

TAXI_FLOW = EXAMPLES / "zoomcamp_postgres_taxi.yaml"
GETTING_STARTED = EXAMPLES / "getting_started.yaml"
MONTHS = ("2019-01", "2019-02")
ROWS = 1500
TIMEOUT = 120


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example-data")
    generate.generate(out, MONTHS, ROWS)
    return out


@pytest.fixture(scope="module")
def source_url(data_dir: Path) -> Iterator[str]:
    with serve.serving(data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def server() -> Server:
    return Server.from_env()


@pytest.fixture(scope="module")
def taxi_db(server: Server) -> Iterator[str]:
    with scratch_database(server, "legato_examples") as name:
        yield name


@pytest.fixture
def cli_env(tmp_path: Path, server: Server, taxi_db: str) -> dict[str, str]:
    """A fresh Legato home, and the course's PostgreSQL connection forced to ``taxi_db``."""
    configuration = {
        "kestra": {
            "plugins": {
                "defaults": [
                    {
                        "type": "io.kestra.plugin.jdbc.postgresql",
                        "forced": True,
                        "values": {
                            "url": server.jdbc_url(taxi_db),
                            "username": server.user,
                            "password": "unused-with-trust-auth",
                        },
                    }
                ]
            }
        }
    }
    return {
        "LEGATO_HOME": str(tmp_path / "home"),
        "KESTRA_CONFIGURATION": yaml.safe_dump(configuration),
    }


def legato_run(flow: Path, inputs: dict[str, str], env: dict[str, str]) -> dict[str, Any]:
    """``legato run FLOW -i k=v… --json``: the execution's JSON, after checking it succeeded."""
    given = [arg for name, value in inputs.items() for arg in ("-i", f"{name}={value}")]
    result = CliRunner().invoke(app, ["run", str(flow), *given, "--json"], env=env)
    try:
        execution: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"legato run printed no execution (exit {result.exit_code}):\n{result.output}")
    states = [(run["taskId"], run["state"]["current"]) for run in execution["taskRunList"]]
    assert execution["state"]["current"] == "SUCCESS", f"{flow.name} {inputs}: {states}"
    assert result.exit_code == 0, result.output
    return execution


def run_taxi(taxi: str, month: str, source_url: str, env: dict[str, str]) -> dict[str, Any]:
    year, mm = month.split("-")
    inputs = {"taxi": taxi, "year": year, "month": mm, "source_url": source_url}
    return legato_run(TAXI_FLOW, inputs, env)


def loaded(server: Server, database: str, taxi: str) -> dict[str, MonthLoad]:
    """The rows of ``public.<taxi>_tripdata`` summed up per ``filename``."""
    with server.connect(database) as connection:
        rows = connection.execute(
            f"SELECT filename, count(*), array_agg(unique_row_id), "
            f"round(sum(total_amount)::numeric, 2), sum(passenger_count) "
            f"FROM public.{taxi}_tripdata GROUP BY filename"
        ).fetchall()
    return {
        str(name): MonthLoad(int(count), frozenset(ids), Decimal(total), int(passengers))
        for name, count, ids, total, passengers in rows
    }


def expected(data_dir: Path, taxi: str, month: str) -> tuple[str, MonthLoad]:
    name = f"{taxi}_tripdata_{month}.csv"
    return name, month_load(data_dir / taxi / f"{name}.gz", taxi)


def task_ids(execution: dict[str, Any]) -> set[str]:
    return {run["taskId"] for run in execution["taskRunList"]}


@pytest.mark.parametrize("taxi", ["yellow", "green"])
def test_the_taxi_etl_loads_each_month_once(
    taxi: str,
    data_dir: Path,
    source_url: str,
    server: Server,
    taxi_db: str,
    cli_env: dict[str, str],
) -> None:
    january, february = (expected(data_dir, taxi, month) for month in MONTHS)
    other = "green" if taxi == "yellow" else "yellow"

    first = run_taxi(taxi, MONTHS[0], source_url, cli_env)
    labels = {label["key"]: label["value"] for label in first["labels"]}
    assert labels["file"] == january[0] and labels["taxi"] == taxi
    assert f"{taxi}_merge_data" in task_ids(first) and "purge_files" in task_ids(first)
    assert not any(task.startswith(f"{other}_") for task in task_ids(first))
    assert january[1].rows == ROWS and len(january[1].row_ids) == ROWS
    assert loaded(server, taxi_db, taxi) == dict([january])

    run_taxi(taxi, MONTHS[0], source_url, cli_env)
    assert loaded(server, taxi_db, taxi) == dict([january]), "a reload must add no rows"

    run_taxi(taxi, MONTHS[1], source_url, cli_env)
    assert loaded(server, taxi_db, taxi) == dict([january, february])


async def run_getting_started(home: Path, api_url: str) -> tuple[Execution, list[Any]]:
    """The getting-started execution and the rows its DuckDB query stored."""
    settings = config.Settings.for_home(home, worker_threads=2)
    async with bootstrap.open_engine(settings) as engine:
        source = GETTING_STARTED.read_text(encoding="utf-8")
        [deployed] = await engine.flows.deploy(source, path=str(GETTING_STARTED))
        flow = deployed.record
        execution = await engine.executions.create(
            NewExecution(
                flow.namespace, flow.id, inputs={"api_url": api_url}, revision=flow.revision
            )
        )
        async with engine.running():
            final = await asyncio.wait_for(engine.wait(execution.id), TIMEOUT)
        if str(final.state.current) != "SUCCESS":
            return final, []
        stored = await engine.stores.files.get(str(query_outputs(final)["uri"]))
    return final, from_ion(stored.decode("utf-8"))


def query_outputs(execution: Execution) -> dict[str, Any]:
    [query] = [run for run in execution.taskRunList if run.taskId == "query"]
    return dict(query.outputs or {})


def test_getting_started_averages_the_price_per_brand(
    tmp_path: Path, data_dir: Path, source_url: str
) -> None:
    final, rows = asyncio.run(run_getting_started(tmp_path, f"{source_url}/products.json"))
    states = [(run.taskId, str(run.state.current)) for run in final.taskRunList]
    assert str(final.state.current) == "SUCCESS", states
    wanted = average_price_per_brand(data_dir / "products.json")
    assert {brand for brand, _ in wanted} >= {"N/A", "Apple"}
    got = [(row["brand"], Decimal(repr(row["avg_price"]))) for row in rows]
    assert got == wanted
    assert query_outputs(final)["size"] == len(wanted)


def test_every_example_validates() -> None:
    result = CliRunner().invoke(app, ["flow", "validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    flows = sorted(EXAMPLES.glob("*.yaml"))
    assert len(result.output.splitlines()) == len(flows), result.output
    assert "OK zoomcamp.postgres_taxi" in result.output
    assert "OK tutorial.getting_started" in result.output


def test_the_generated_files_are_the_same_every_time(tmp_path: Path, data_dir: Path) -> None:
    again = generate.generate(tmp_path, MONTHS, ROWS)
    for path in again:
        assert path.read_bytes() == (data_dir / path.relative_to(tmp_path)).read_bytes(), path


def test_the_generated_headers_are_the_columns_the_flow_copies_in(data_dir: Path) -> None:
    flow = yaml.safe_load(TAXI_FLOW.read_text(encoding="utf-8"))
    for branch in (task for task in flow["tasks"] if task["id"].startswith("if_")):
        [copy_in] = [task for task in branch["then"] if task["type"].endswith("CopyIn")]
        taxi = branch["id"].split("_")[1]
        text = generate.trips_csv(taxi, [])
        assert text.strip().split(",") == copy_in["columns"], taxi


def test_the_server_serves_the_folder_and_answers_404_for_missing_files(data_dir: Path) -> None:
    with serve.serving(data_dir) as url:
        with urllib.request.urlopen(f"{url}/products.json") as response:
            assert json.loads(response.read())["total"] == 30
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{url}/yellow/none.csv.gz")
        assert missing.value.code == 404
        missing.value.close()

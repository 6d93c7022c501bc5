"""Task runs through the whole stack on SQLite show Kestra's state history: CREATED → RUNNING →
terminal in the execution JSON, RUNNING seen live while a long task runs, and a failure
logged once at ERROR (by the worker, with its attempt)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from legato import bootstrap, config
from legato.model.execution import Execution
from legato.services.executions import NewExecution

FLOW = """id: states
namespace: e2e.states
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.5S
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: on purpose
"""


async def run(home: Path) -> tuple[Execution, list[list[tuple[str, str]]], list[Any]]:
    settings = config.Settings.for_home(home, worker_threads=2)
    seen: list[list[tuple[str, str]]] = []
    async with bootstrap.open_engine(settings) as engine:
        [deployed] = await engine.flows.deploy(FLOW)
        record = deployed.record
        created = await engine.executions.create(
            NewExecution(record.namespace, record.id, revision=record.revision)
        )
        async with engine.running():
            final = await asyncio.wait_for(
                engine.wait(
                    created.id,
                    on_update=lambda e: seen.append(
                        [(r.taskId, str(r.state.current)) for r in e.taskRunList]
                    ),
                ),
                60,
            )
        logs = await engine.stores.logs.find(created.id)
    return final, seen, logs


def test_task_runs_show_running_live_and_in_their_history(tmp_path: Path) -> None:
    final, seen, logs = asyncio.run(run(tmp_path))
    assert str(final.state.current) == "FAILED"
    assert [("nap", "RUNNING")] in seen
    document = final.to_json()
    for run_json in document["taskRunList"]:
        history = [h["state"] for h in run_json["state"]["histories"]]
        assert history[:2] == ["CREATED", "RUNNING"], run_json["taskId"]
        attempt = [h["state"] for h in run_json["attempts"][0]["state"]["histories"]]
        assert attempt[1] == "RUNNING"
        assert run_json["attempts"][0]["workerId"]
    errors = [entry for entry in logs if entry.level == "ERROR"]
    assert [(e.message, e.attempt_number) for e in errors] == [("on purpose", 1)]

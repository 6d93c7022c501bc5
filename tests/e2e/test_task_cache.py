"""``taskCache`` through the whole stack (SQLite, local internal storage, a real shell script):
a later execution of the flow reuses the cached outputs without running the script, the cache
outlives the process, and an entry older than the ttl is run again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from legato import bootstrap, config
from legato.model.execution import StateType
from legato.services.executions import NewExecution

FLOW = """id: cached_script
namespace: e2e.cache
tasks:
  - id: count
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    taskCache:
      enabled: true
      ttl: PT1H
    commands:
      - echo run >> {counter}
      - 'echo "::{{\\"outputs\\":{{\\"runs\\":$(wc -l < {counter})}}}}::"'
"""
HIT = "Skipping task execution for task 'count' as there is an existing cache entry for it"
UPLOAD = "Uploading a cache entry for task 'count'"


class LaterClock:
    """The wall clock moved ``ahead`` into the future."""

    def __init__(self, ahead: timedelta) -> None:
        self.ahead = ahead

    def now(self) -> datetime:
        return datetime.now(UTC) + self.ahead


async def run_flow(home: Path, counter: Path, executions: int, ahead: timedelta) -> list[Any]:
    """Run ``cached_script`` ``executions`` times in one engine; (state, runs output, logs)."""
    settings = config.Settings.for_home(home, worker_threads=2)
    results = []
    async with bootstrap.open_engine(settings, clock=LaterClock(ahead)) as engine:
        await engine.flows.deploy(FLOW.format(counter=counter))
        async with engine.running():
            for _ in range(executions):
                created = await engine.executions.create(NewExecution("e2e.cache", "cached_script"))
                final = await asyncio.wait_for(engine.wait(created.id), 60)
                [run] = final.taskRunList
                logs = [entry.message for entry in await engine.stores.logs.find(created.id)]
                results.append((final.state.current, (run.outputs or {})["vars"]["runs"], logs))
    return results


def test_a_later_execution_reuses_the_outputs_without_running_the_script(tmp_path: Path) -> None:
    counter = tmp_path / "counter.txt"
    first, second = asyncio.run(run_flow(tmp_path / "home", counter, 2, timedelta(0)))
    assert counter.read_text().splitlines() == ["run"]
    assert first[:2] == second[:2] == (StateType.SUCCESS, 1)
    assert UPLOAD in first[2] and HIT not in first[2]
    assert HIT in second[2] and UPLOAD not in second[2]


def test_the_cache_outlives_the_process_and_expires_after_its_ttl(tmp_path: Path) -> None:
    counter, home = tmp_path / "counter.txt", tmp_path / "home"
    [cold] = asyncio.run(run_flow(home, counter, 1, timedelta(0)))
    [warm] = asyncio.run(run_flow(home, counter, 1, timedelta(minutes=50)))
    [expired] = asyncio.run(run_flow(home, counter, 1, timedelta(minutes=70)))
    assert [cold[1], warm[1], expired[1]] == [1, 1, 2]
    assert HIT in warm[2] and HIT not in expired[2] and UPLOAD in expired[2]
    assert counter.read_text().splitlines() == ["run", "run"]

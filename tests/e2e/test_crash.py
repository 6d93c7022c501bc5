"""Crash safety: an engine process SIGKILLed at random moments loses nothing.

20 executions run in a subprocess that is killed 5 times at random moments and restarted.
The kills must interrupt work (not every execution may have ended before the last restart). In
the end every execution has finished SUCCESS with exactly the task runs its flow makes, each
SUCCESS with one attempt, and each Log task run wrote its line exactly once: a job interrupted
by a kill is run again as the same attempt (its unfinished run never reported), and no event is
applied twice.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from legato import bootstrap, config
from legato.model.execution import Execution, StateType
from legato.services.executions import NewExecution

FLOW = """id: crashy
namespace: e2e.crash
tasks:
  - id: start
    type: io.kestra.plugin.core.log.Log
    message: "start {{ execution.id }}"
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2, 3]
    concurrencyLimit: 0
    tasks:
      - id: ret
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
  - id: nap2
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.5S
  - id: end
    type: io.kestra.plugin.core.log.Log
    message: "end {{ execution.id }}"
"""
EXECUTIONS = 20
KILLS = 5
#: start, nap, each, 3 x ret, nap2, end
RUNS_PER_EXECUTION = 8
VICTIM = Path(__file__).parent / "engine_process.py"


def settings(home: Path) -> config.Settings:
    return config.Settings.for_home(home)


async def create_executions(home: Path) -> list[str]:
    async with bootstrap.open_engine(settings(home)) as engine:
        await engine.flows.deploy(FLOW)
        created = [
            await engine.executions.create(NewExecution("e2e.crash", "crashy"))
            for _ in range(EXECUTIONS)
        ]
    return [execution.id for execution in created]


async def load(home: Path, ids: list[str]) -> tuple[list[Execution], dict[str, list[str]]]:
    async with bootstrap.open_engine(settings(home)) as engine:
        executions = [await engine.stores.executions.get(i) for i in ids]
        logs = {i: [e.message for e in await engine.stores.logs.find(i)] for i in ids}
    return [e for e in executions if e is not None], logs


def start_victim(home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, str(VICTIM), str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def all_finished(home: Path, ids: list[str]) -> bool:
    executions, _ = asyncio.run(load(home, ids))
    return len(executions) == len(ids) and all(e.state.current.is_terminal for e in executions)


def test_sigkilled_engine_loses_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ids = asyncio.run(create_executions(home))
    chance = random.Random(20261124)
    for _ in range(KILLS):
        victim = start_victim(home)
        time.sleep(chance.uniform(0.2, 0.9))
        kill(victim)
    before, _ = asyncio.run(load(home, ids))
    # the kills must have interrupted work, or the test would prove nothing
    assert sum(e.state.current.is_terminal for e in before) < EXECUTIONS
    victim = start_victim(home)
    try:
        deadline = time.monotonic() + 90
        while not all_finished(home, ids):
            assert time.monotonic() < deadline, "executions did not finish after the kills"
            time.sleep(0.3)
    finally:
        kill(victim)
    executions, logs = asyncio.run(load(home, ids))
    for execution in executions:
        runs = execution.taskRunList
        summary = [(r.taskId, r.value, str(r.state.current), len(r.attempts)) for r in runs]
        assert execution.state.current == StateType.SUCCESS, summary
        assert len(runs) == RUNS_PER_EXECUTION, summary
        assert all(r.state.current == StateType.SUCCESS for r in runs), summary
        # a job re-run after a crash is the same attempt (the first run never reported)
        assert all(len(r.attempts) <= 1 for r in runs), summary
        assert sorted((r.taskId, r.value) for r in runs if r.taskId == "ret") == [
            ("ret", "1"),
            ("ret", "2"),
            ("ret", "3"),
        ]
        lines = logs[execution.id]
        assert lines.count(f"start {execution.id}") == 1, lines
        assert lines.count(f"end {execution.id}") == 1, lines

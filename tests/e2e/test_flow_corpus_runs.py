"""Every flow of ``tests/e2e/flows`` runs through the whole stack on SQLite and ends as its
header says.

A flow file starts with a comment block ``# expect:`` holding YAML:

* ``inputs``: the values given at creation (as text, as the CLI gives them);
* ``state``: the execution's final state;
* ``taskRuns``: how many task runs the execution has;
* ``tasks``: per task id, its final state, or ``{state, attempts, outputs}`` (outputs are
  compared key by key; the task must have exactly one run);
* ``runs``: per task id, how many task runs it has;
* ``absent``: task ids that must have no task run;
* ``outputs``: the execution's (flow) outputs;
* ``labels``: labels the execution must carry;
* ``logs``: texts that must each appear in some log line of the execution;
* ``knownGap``: why Legato does not behave as Kestra yet (the test is a strict xfail, so it
  fails loudly once the gap is closed).

Files without that header are subflows, deployed for the others. Expected values follow
Kestra's documented behaviour (reference §3, §7).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from legato import bootstrap, config
from legato.model.execution import Execution
from legato.services.executions import NewExecution

FLOWS = Path(__file__).parent / "flows"
TIMEOUT = 60


def expectation(path: Path) -> dict[str, Any] | None:
    """The ``# expect:`` header of a flow file as data, or None for a subflow."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    if not lines or lines[0].strip() != "expect:":
        return None
    data = yaml.safe_load("\n".join(lines))
    return dict(data["expect"])


CASES = sorted(p for p in FLOWS.glob("*.yaml") if expectation(p) is not None)
SUBFLOWS = sorted(p for p in FLOWS.glob("*.yaml") if expectation(p) is None)


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 80


async def run_case(home: Path, path: Path, expect: dict[str, Any]) -> tuple[Execution, list[str]]:
    settings = config.Settings.for_home(home, worker_threads=4)
    async with bootstrap.open_engine(settings) as engine:
        for subflow in SUBFLOWS:
            await engine.flows.deploy(subflow.read_text(encoding="utf-8"), path=str(subflow))
        [deployed] = await engine.flows.deploy(path.read_text(encoding="utf-8"), path=str(path))
        inputs = {k: str(v) for k, v in (expect.get("inputs") or {}).items()}
        record = deployed.record
        execution = await engine.executions.create(
            NewExecution(record.namespace, record.id, inputs=inputs, revision=record.revision)
        )
        async with engine.running():
            final = await asyncio.wait_for(engine.wait(execution.id), TIMEOUT)
        logs = [entry.message for entry in await engine.stores.logs.find(execution.id)]
    return final, logs


def _param(path: Path) -> Any:
    gap = (expectation(path) or {}).get("knownGap")
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in CASES])
def test_flow(path: Path, tmp_path: Path) -> None:
    expect = expectation(path)
    assert expect is not None
    final, logs = asyncio.run(run_case(tmp_path, path, expect))
    check(final, logs, expect)


def check(final: Execution, logs: list[str], expect: dict[str, Any]) -> None:
    runs = final.taskRunList
    summary = [(r.taskId, r.value, str(r.state.current), len(r.attempts)) for r in runs]
    context = f"task runs: {summary}\nlogs: {logs}"
    assert str(final.state.current) == expect["state"], context
    if "taskRuns" in expect:
        assert len(runs) == expect["taskRuns"], context
    for task_id, wanted in (expect.get("tasks") or {}).items():
        mine = [r for r in runs if r.taskId == task_id]
        assert mine, f"no task run of {task_id}\n{context}"
        wanted = wanted if isinstance(wanted, dict) else {"state": wanted}
        if "state" in wanted:
            assert {str(r.state.current) for r in mine} == {wanted["state"]}, context
        if "attempts" in wanted:
            assert len(mine) == 1 and len(mine[0].attempts) == wanted["attempts"], context
        for key, value in (wanted.get("outputs") or {}).items():
            assert len(mine) == 1, context
            assert (mine[0].outputs or {}).get(key) == value, f"{task_id}.{key}\n{context}"
    for task_id, count in (expect.get("runs") or {}).items():
        assert sum(1 for r in runs if r.taskId == task_id) == count, context
    for task_id in expect.get("absent") or []:
        assert all(r.taskId != task_id for r in runs), context
    if "outputs" in expect:
        assert final.outputs == expect["outputs"], context
    labels = {label.key: label.value for label in final.labels}
    for key, value in (expect.get("labels") or {}).items():
        assert labels.get(key) == value, f"labels {labels}"
    for text in expect.get("logs") or []:
        assert any(text in line for line in logs), f"no log line has {text!r}\n{context}"

"""Steering running executions through the whole stack on SQLite: resume a paused
execution, kill a running one (subflows included), restart and replay a failed one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from legato import bootstrap, config
from legato.model.execution import Execution, StateType
from legato.services.executions import NewExecution
from legato.store.protocols import ExecutionQuery

LOG = "io.kestra.plugin.core.log.Log"

PAUSED = f"""id: paused
namespace: e2e.control
tasks:
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: reason
        type: STRING
  - id: after
    type: {LOG}
    message: "resumed because {{{{ outputs.approve.onResume.reason }}}}"
"""

SLOW = """id: slow
namespace: e2e.control
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT30S
"""

PARENT = """id: parent
namespace: e2e.control
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: e2e.control
    flowId: slow
"""

FLAKY = f"""id: flaky
namespace: e2e.control
inputs:
  - id: fail
    type: BOOLEAN
tasks:
  - id: first
    type: {LOG}
    message: first
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{{{ kv('fail', errorOnMissing=false) ?? inputs.fail }}}}"
  - id: last
    type: {LOG}
    message: last
"""


@asynccontextmanager
async def engine_at(home: Path) -> AsyncIterator[bootstrap.Engine]:
    async with bootstrap.open_engine(config.Settings.for_home(home)) as engine:
        for source in (PAUSED, SLOW, PARENT, FLAKY):
            await engine.flows.deploy(source)
        async with engine.running():
            yield engine


async def until(
    engine: bootstrap.Engine, execution_id: str, test: Callable[[Execution], bool]
) -> Execution:
    for _ in range(500):
        execution = await engine.stores.executions.get(execution_id)
        assert execution is not None
        if test(execution):
            return execution
        await asyncio.sleep(0.02)
    raise AssertionError(f"execution {execution_id} never reached the expected state")


def test_a_paused_execution_resumes_with_its_on_resume_values(tmp_path: Path) -> None:
    async def scenario() -> tuple[Execution, list[str]]:
        async with engine_at(tmp_path) as engine:
            execution = await engine.executions.create(NewExecution("e2e.control", "paused"))
            await until(engine, execution.id, lambda e: e.state.current == StateType.PAUSED)
            await engine.executions.resume(execution.id, {"reason": "looks good"})
            final = await asyncio.wait_for(engine.wait(execution.id), 30)
            logs = [entry.message for entry in await engine.stores.logs.find(execution.id)]
        return final, logs

    final, logs = asyncio.run(scenario())
    assert final.state.current == StateType.SUCCESS
    assert "resumed because looks good" in logs
    states = [h.state for h in final.state.histories]
    assert StateType.PAUSED in states and StateType.RESTARTED in states


def test_kill_stops_a_running_task_and_ends_killed(tmp_path: Path) -> None:
    async def scenario() -> Execution:
        async with engine_at(tmp_path) as engine:
            execution = await engine.executions.create(NewExecution("e2e.control", "slow"))
            await until(engine, execution.id, lambda e: bool(e.taskRunList))
            await asyncio.sleep(0.2)
            await engine.executions.kill(execution.id)
            return await asyncio.wait_for(engine.wait(execution.id), 10)

    final = asyncio.run(scenario())
    assert final.state.current == StateType.KILLED
    assert [str(run.state.current) for run in final.taskRunList] == ["KILLED"]


def test_kill_cascades_to_subflows(tmp_path: Path) -> None:
    async def scenario() -> tuple[Execution, list[Execution]]:
        async with engine_at(tmp_path) as engine:
            parent = await engine.executions.create(NewExecution("e2e.control", "parent"))
            query = ExecutionQuery(namespace="e2e.control", flow_id="slow")
            for _ in range(250):
                children, _ = await engine.stores.executions.search(query)
                if children and children[0].taskRunList:
                    break
                await asyncio.sleep(0.02)
            await engine.executions.kill(parent.id)
            final = await asyncio.wait_for(engine.wait(parent.id), 10)
            ended = [await asyncio.wait_for(engine.wait(c.id), 10) for c in children]
        return final, ended

    final, children = asyncio.run(scenario())
    assert final.state.current == StateType.KILLED
    assert [c.state.current for c in children] == [StateType.KILLED]


async def _failed_flaky(engine: bootstrap.Engine) -> Execution:
    created = await engine.executions.create(
        NewExecution("e2e.control", "flaky", inputs={"fail": "true"})
    )
    final = await asyncio.wait_for(engine.wait(created.id), 10)
    assert final.state.current == StateType.FAILED
    await engine.stores.kv.put(_kv_false(engine))
    return final


def _kv_false(engine: bootstrap.Engine):  # type: ignore[no-untyped-def]
    from legato.store.protocols import KVEntry

    now = engine.clock.now()
    return KVEntry("e2e.control", "fail", False, "BOOLEAN", now, now)


def test_restart_reruns_the_failed_task_as_a_new_attempt(tmp_path: Path) -> None:
    async def scenario() -> Execution:
        async with engine_at(tmp_path) as engine:
            failed = await _failed_flaky(engine)
            await engine.executions.restart(failed.id)
            return await asyncio.wait_for(engine.wait(failed.id), 10)

    final = asyncio.run(scenario())
    assert final.state.current == StateType.SUCCESS
    assert final.metadata.attemptNumber == 2
    runs = {run.taskId: run for run in final.taskRunList}
    assert len(runs["first"].attempts) == 1
    assert len(runs["check"].attempts) == 2
    assert runs["last"].state.current == StateType.SUCCESS


def test_replay_makes_a_new_execution_that_runs_again(tmp_path: Path) -> None:
    async def scenario() -> tuple[Execution, Execution]:
        async with engine_at(tmp_path) as engine:
            failed = await _failed_flaky(engine)
            replayed = await engine.executions.replay(failed.id)
            return failed, await asyncio.wait_for(engine.wait(replayed.id), 10)

    failed, final = asyncio.run(scenario())
    assert final.id != failed.id
    assert final.parentId == failed.id
    assert final.state.current == StateType.SUCCESS
    assert [run.taskId for run in final.taskRunList] == ["first", "check", "last"]

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from executor_rig import START, TWO_LOGS, Rig

from legato.executor.effects import SUBFLOW_TRIGGER
from legato.model.execution import Execution, StateType
from legato.runtime import commands, events
from legato.runtime.step import StepContext, Transition
from legato.services.executions import CORRELATION_ID
from legato.store.protocols import NewEvent

LOG = "io.kestra.plugin.core.log.Log"


def flow(flow_id: str, body: str) -> str:
    return f"id: {flow_id}\nnamespace: unit\n{body}"


def test_a_created_execution_dispatches_its_first_task(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        assert await rig.executor.run_once() == 1
        jobs = await rig.jobs()
        assert [job.execution_id for job in jobs] == [execution.id]
        stored = await rig.get(execution.id)
        assert stored.state.current == StateType.RUNNING
        run = stored.task_run(jobs[0].task_run_id)
        assert run.taskId == "a"
        assert jobs[0].payload["task"]["message"] == "a"
        assert jobs[0].payload["attempt"] == 1

    asyncio.run(scenario())


def test_results_drive_the_execution_to_its_end(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        await rig.settle()
        final = await rig.get(execution.id)
        assert final.state.current == StateType.SUCCESS
        assert [run.taskId for run in final.taskRunList] == ["a", "b"]
        assert await rig.executor.run_once() == 0

    asyncio.run(scenario())


def test_a_failed_task_fails_the_execution_and_skips_the_rest(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        await rig.settle(lambda job: StateType.FAILED)
        final = await rig.get(execution.id)
        assert final.state.current == StateType.FAILED
        assert [run.taskId for run in final.taskRunList] == ["a"]

    asyncio.run(scenario())


RETRIED = flow(
    "retried",
    f"""
tasks:
  - id: flaky
    type: {LOG}
    message: flaky
    retry:
      type: constant
      interval: PT10S
      maxAttempts: 2
""",
)


def test_a_retry_waits_for_its_timer(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(RETRIED)
        execution = await rig.start("retried")
        await rig.settle(lambda job: StateType.FAILED)
        waiting = await rig.get(execution.id)
        assert not waiting.state.current.is_terminal
        due = await rig.store.executor.next_due()
        assert due == START + timedelta(seconds=10)
        rig.advance(10)
        await rig.settle()
        final = await rig.get(execution.id)
        assert final.state.current == StateType.SUCCESS
        assert len(final.taskRunList[0].attempts) == 2

    asyncio.run(scenario())


CHILD = flow(
    "child",
    f"""
inputs:
  - id: who
    type: STRING
tasks:
  - id: hello
    type: {LOG}
    message: "hi {{{{ inputs.who }}}}"
""",
)

PARENT = flow(
    "parent",
    """
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: unit
    flowId: child
    inputs:
      who: you
""",
)


def test_a_subflow_becomes_a_child_execution_that_reports_back(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(CHILD)
        await rig.deploy(PARENT)
        parent = await rig.start("parent")
        await rig.settle()
        executions, total = await rig.store.executions.search(_query("child"))
        assert total == 1
        child = executions[0]
        assert child.inputs == {"who": "you"}
        assert child.parentId == parent.id
        assert child.trigger is not None and child.trigger.type == SUBFLOW_TRIGGER
        assert child.trigger.variables["executionId"] == parent.id
        labels = {label.key: label.value for label in child.labels}
        assert labels[CORRELATION_ID] == parent.id
        assert child.state.current == StateType.SUCCESS
        final = await rig.get(parent.id)
        assert final.state.current == StateType.SUCCESS

    asyncio.run(scenario())


def test_a_subflow_with_bad_inputs_fails_its_task(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(CHILD)
        await rig.deploy(PARENT.replace("who: you", "nobody: you"))
        parent = await rig.start("parent")
        await rig.settle()
        final = await rig.get(parent.id)
        assert final.state.current == StateType.FAILED
        logs = await rig.store.logs.find(parent.id)
        assert any("cannot start subflow" in entry.message for entry in logs)

    asyncio.run(scenario())


def test_a_step_that_raises_fails_the_execution(rig: Rig) -> None:
    def broken(execution: Execution, batch: Sequence[events.Event], ctx: StepContext) -> Transition:
        raise RuntimeError("bug in the machine")

    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        rig.executor.options = _with_step(rig, broken)
        assert await rig.executor.run_once() == 1
        final = await rig.get(execution.id)
        assert final.state.current == StateType.FAILED
        logs = await rig.store.logs.find(execution.id)
        assert any("bug in the machine" in entry.message for entry in logs)
        assert await rig.executor.run_once() == 0

    asyncio.run(scenario())


def test_an_unknown_event_type_fails_the_execution(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        await rig.store.executor.enqueue([NewEvent(execution.id, {"event": "Nonsense"})])
        await rig.executor.run_once()
        final = await rig.get(execution.id)
        assert final.state.current == StateType.FAILED

    asyncio.run(scenario())


LIMITED = flow(
    "limited",
    f"""
concurrency:
  limit: 1
tasks:
  - id: only
    type: {LOG}
    message: one at a time
""",
)


def test_a_queued_execution_starts_when_the_running_one_ends(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(LIMITED)
        first = await rig.start("limited")
        await rig.executor.run_once()
        second = await rig.start("limited")
        await rig.executor.run_once()
        assert (await rig.get(second.id)).state.current == StateType.QUEUED
        await rig.settle()
        assert (await rig.get(first.id)).state.current == StateType.SUCCESS
        assert (await rig.get(second.id)).state.current == StateType.SUCCESS

    asyncio.run(scenario())


def test_kill_drops_queued_jobs_and_ends_killed(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        await rig.executor.run_once()
        await rig.executions.kill(execution.id)
        for _ in range(5):
            await rig.executor.run_once()
        assert await rig.jobs() == []
        final = await rig.get(execution.id)
        assert final.state.current == StateType.KILLED

    asyncio.run(scenario())


def test_claimed_jobs_of_a_killed_execution_are_interrupted(rig: Rig) -> None:
    interrupted: list[str] = []

    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        await rig.executor.run_once()
        rig.executor.effects.interrupt = interrupted.extend
        [job] = await rig.jobs()
        await rig.executions.kill(execution.id)
        await rig.executor.run_once()
        assert interrupted == [job.task_run_id]
        await rig.finish(job, StateType.KILLED)
        await rig.executor.run_once()
        assert (await rig.get(execution.id)).state.current == StateType.KILLED

    asyncio.run(scenario())


def test_run_returns_after_stop(rig: Rig) -> None:
    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        loop_task = asyncio.create_task(rig.executor.run())
        for _ in range(100):
            if await rig.jobs():
                break
            await asyncio.sleep(0.01)
        rig.executor.stop()
        await asyncio.wait_for(loop_task, 2)
        assert (await rig.get(execution.id)).state.current == StateType.RUNNING

    asyncio.run(scenario())


def _query(flow_id: str):  # type: ignore[no-untyped-def]
    from legato.store.protocols import ExecutionQuery

    return ExecutionQuery(namespace="unit", flow_id=flow_id)


def _with_step(rig: Rig, step):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(rig.executor.options, step=step)


def test_a_transition_that_cannot_be_stored_fails_the_execution(rig: Rig) -> None:
    def unstorable(
        execution: Execution, batch: Sequence[events.Event], ctx: StepContext
    ) -> Transition:
        running = execution.model_copy(
            update={"state": execution.state.with_state(StateType.RUNNING, ctx.now)}
        )
        job = commands.DispatchTask(execution.id, "run", 1, {"id": "a"}, {"bad": object()})
        return Transition(running, (job,))

    async def scenario() -> None:
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        rig.executor.options = _with_step(rig, unstorable)
        assert await rig.executor.run_once() == 1
        final = await rig.get(execution.id)
        assert final.state.current == StateType.FAILED
        assert await rig.jobs() == []
        logs = await rig.store.logs.find(execution.id)
        assert any("could not store the next state" in entry.message for entry in logs)
        assert await rig.executor.run_once() == 0

    asyncio.run(scenario())

"""Results of jobs handed to the local worker are stepped from memory, the execution's lock kept
between steps; stored events still reach it, and a lost lock or a stop loses nothing."""

from __future__ import annotations

import asyncio

from executor_rig import TWO_LOGS, Rig

from legato.model.execution import Execution, StateType
from legato.runtime import events
from legato.services.handoff import HandoffQueue, LocalHandoff
from legato.store.memory import MemoryState
from legato.store.protocols import LOCK_TIMEOUT, LogEntry, NewEvent, WorkerJob


def state_of(rig: Rig) -> MemoryState:
    state = rig.store.executor._state  # type: ignore[attr-defined]
    assert isinstance(state, MemoryState)
    return state


def local_worker(rig: Rig) -> tuple[LocalHandoff, HandoffQueue]:
    handoff = LocalHandoff("w1", slots=4)
    rig.executor.handoff = handoff
    return handoff, HandoffQueue(rig.store.worker_queue, handoff)


async def finish(
    rig: Rig, queue: HandoffQueue, job: WorkerJob, state: StateType = StateType.SUCCESS
) -> None:
    result = events.TaskRunFinished(job.task_run_id, job.payload["attempt"], state)
    line = LogEntry(job.execution_id, rig.clock.now(), "INFO", f"ran {job.task_run_id}")
    await queue.finish(job.id, [NewEvent(job.execution_id, events.to_json(result))], [line])


async def first_job_handed(
    rig: Rig,
) -> tuple[LocalHandoff, HandoffQueue, Execution, WorkerJob]:
    """TWO_LOGS started, its first job handed to the local worker (the lock kept)."""
    handoff, queue = local_worker(rig)
    await rig.deploy(TWO_LOGS)
    execution = await rig.start("two")
    await rig.executor.run_once()
    [job] = handoff.take(10)
    return handoff, queue, execution, job


async def drive(rig: Rig, handoff: LocalHandoff, queue: HandoffQueue) -> None:
    """Executor passes and local results until nothing moves."""
    for _ in range(20):
        stepped = await rig.executor.run_once()
        jobs = handoff.take(10)
        for job in jobs:
            await finish(rig, queue, job)
        if not stepped and not jobs:
            return
    raise AssertionError("the executor kept working for too many rounds")


def test_results_are_stepped_from_memory_with_the_lock_kept_between_steps(rig: Rig) -> None:
    async def scenario() -> None:
        handoff, queue = local_worker(rig)
        await rig.deploy(TWO_LOGS)
        execution = await rig.start("two")
        assert await rig.executor.run_once() == 1
        [first] = handoff.take(10)
        assert state_of(rig).locks[execution.id][0] == "exec-1"
        await finish(rig, queue, first)
        assert state_of(rig).events == {}  # the result went to the executor, not the queue
        assert await rig.executor.run_once() == 1
        [second] = handoff.take(10)
        assert first.id not in state_of(rig).jobs  # deleted by the executor's commit
        assert state_of(rig).locks[execution.id][0] == "exec-1"
        await finish(rig, queue, second)
        assert await rig.executor.run_once() == 1
        final = await rig.get(execution.id)
        assert final.state.current == StateType.SUCCESS
        assert state_of(rig).locks == {} and state_of(rig).jobs == {}
        messages = [e.message for e in await rig.store.logs.find(execution.id)]
        assert [m for m in messages if m.startswith("ran ")] == [
            f"ran {first.task_run_id}",
            f"ran {second.task_run_id}",
        ]

    asyncio.run(scenario())


def test_a_kill_stored_for_a_kept_execution_reaches_its_executor(rig: Rig) -> None:
    interrupted: list[str] = []

    async def scenario() -> None:
        _, queue, execution, job = await first_job_handed(rig)
        rig.executor.effects.interrupt = interrupted.extend
        await rig.executions.kill(execution.id)
        assert await rig.executor.run_once() == 1
        assert interrupted == [job.task_run_id]
        await finish(rig, queue, job, StateType.KILLED)
        await rig.executor.run_once()
        assert (await rig.get(execution.id)).state.current == StateType.KILLED
        assert state_of(rig).locks == {}

    asyncio.run(scenario())


def test_a_lost_lock_stores_the_results_and_the_store_carries_on(rig: Rig) -> None:
    async def scenario() -> None:
        handoff, queue, execution, job = await first_job_handed(rig)
        # the kept lock expires and another executor steps the execution meanwhile
        rig.advance((LOCK_TIMEOUT * 2).total_seconds())
        started = events.TaskRunStarted(job.task_run_id, 1, "w1")
        await rig.store.executor.enqueue([NewEvent(execution.id, events.to_json(started))])
        [(current, stored)] = await rig.store.executor.claim_events("exec-2", rig.clock.now())
        await rig.store.executor.commit(current, [e.id for e in stored])
        await finish(rig, queue, job)
        await rig.executor.run_once()  # drops its step, stores the result, claims it back
        await drive(rig, handoff, queue)
        final = await rig.get(execution.id)
        assert final.state.current == StateType.SUCCESS
        assert [r.taskId for r in final.taskRunList] == ["a", "b"]

    asyncio.run(scenario())


def test_a_stopping_executor_stores_results_not_stepped_and_unlocks(rig: Rig) -> None:
    async def scenario() -> None:
        handoff, queue, execution, job = await first_job_handed(rig)
        await finish(rig, queue, job)
        handoff.close()
        rig.executor.stop()
        await rig.executor.run()
        assert state_of(rig).locks == {}
        assert [e.execution_id for e in state_of(rig).events.values()] == [execution.id]
        await rig.settle()
        assert (await rig.get(execution.id)).state.current == StateType.SUCCESS

    asyncio.run(scenario())


def test_kept_locks_are_refreshed_while_a_long_task_runs(rig: Rig) -> None:
    async def scenario() -> None:
        handoff, queue, execution, job = await first_job_handed(rig)
        # the task runs for twice the lock timeout; the executor keeps passing meanwhile
        for _ in range(8):
            rig.advance((LOCK_TIMEOUT / 4).total_seconds())
            await rig.executor.run_once()  # its claims sweep expired locks
            assert state_of(rig).locks[execution.id][0] == "exec-1"
        assert state_of(rig).locks[execution.id] == ("exec-1", rig.clock.now())
        await finish(rig, queue, job)
        await drive(rig, handoff, queue)
        assert (await rig.get(execution.id)).state.current == StateType.SUCCESS

    asyncio.run(scenario())

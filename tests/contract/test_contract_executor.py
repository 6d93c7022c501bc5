"""ExecutorStore contract: due events grouped per locked execution, atomic commit, release."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from conftest import Backend
from store_contract_support import START, at, event, execution, job, log, moved

from legato.model.execution import Execution, StateType
from legato.store.bundle import Store
from legato.store.protocols import (
    LOCK_TIMEOUT,
    JobResult,
    LockLostError,
    MetricEntry,
    NewEvent,
    StoreConflictError,
    StoredEvent,
)

pytestmark = pytest.mark.anyio


async def test_created_execution_delivers_its_first_event(store: Store) -> None:
    await store.executions.create(execution("e1"), [event("e1", "ExecutionCreated")])
    claimed = await store.executor.claim_events("x1", START)
    assert [(e.id, [ev.payload["event"] for ev in evs]) for e, evs in claimed] == [
        ("e1", ["ExecutionCreated"])
    ]
    assert claimed[0][0] == execution("e1")


async def test_events_come_in_insertion_order_grouped_by_execution(store: Store) -> None:
    await store.executions.create(execution("e1"))
    await store.executions.create(execution("e2"))
    await store.executor.enqueue(
        [event("e2", "A"), event("e1", "B"), event("e2", "C"), event("e1", "D")]
    )
    claimed = await store.executor.claim_events("x1", START)
    assert [(e.id, [ev.payload["event"] for ev in evs]) for e, evs in claimed] == [
        ("e2", ["A", "C"]),
        ("e1", ["B", "D"]),
    ]
    ids = [ev.id for _, evs in claimed for ev in evs]
    assert len(set(ids)) == 4


async def test_timers_are_delivered_only_once_due_and_in_due_order(store: Store) -> None:
    await store.executions.create(execution("e1"))
    await store.executions.create(execution("e2"))
    await store.executor.enqueue(
        [event("e1", "late", due_at=at(20)), event("e2", "early", due_at=at(10))]
    )
    assert await store.executor.next_due() == at(10)
    assert await store.executor.claim_events("x1", at(5)) == []
    first = await store.executor.claim_events("x1", at(10))
    assert [(e.id, evs[0].payload["event"], evs[0].due_at) for e, evs in first] == [
        ("e2", "early", at(10))
    ]
    await store.executor.commit(first[0][0], [first[0][1][0].id])
    assert await store.executor.next_due() == at(20)
    second = await store.executor.claim_events("x1", at(30))
    assert [(e.id, evs[0].payload["event"]) for e, evs in second] == [("e1", "late")]
    await store.executor.commit(second[0][0], [second[0][1][0].id])
    assert await store.executor.next_due() is None


async def test_a_locked_execution_is_not_claimed_again_until_committed(store: Store) -> None:
    await store.executions.create(execution("e1"), [event("e1", "A")])
    first = await store.executor.claim_events("x1", START)
    await store.executor.enqueue([event("e1", "B")])
    assert await store.executor.claim_events("x2", START) == []
    running = moved(first[0][0], StateType.RUNNING, at(1))
    await store.executor.commit(running, [first[0][1][0].id])
    second = await store.executor.claim_events("x2", at(1))
    assert [(e.state.current, [ev.payload["event"] for ev in evs]) for e, evs in second] == [
        (StateType.RUNNING, ["B"])
    ]


async def test_release_unlocks_and_keeps_the_events(store: Store) -> None:
    await store.executions.create(execution("e1"), [event("e1", "A")])
    first = await store.executor.claim_events("x1", START)
    await store.executor.release("x2", ["e1"])  # another executor cannot release it
    assert await store.executor.claim_events("x2", START) == []
    await store.executor.release("x1", ["e1"])
    again = await store.executor.claim_events("x2", START)
    assert [ev.id for ev in again[0][1]] == [ev.id for ev in first[0][1]]


async def test_a_lock_of_a_dead_executor_expires(store: Store) -> None:
    await store.executions.create(execution("e1"), [event("e1", "A")])
    assert len(await store.executor.claim_events("x1", START)) == 1
    assert await store.executor.claim_events("x2", START + LOCK_TIMEOUT / 2) == []
    later = START + LOCK_TIMEOUT * 2
    assert [e.id for e, _ in await store.executor.claim_events("x2", later)] == ["e1"]


async def test_commit_writes_execution_jobs_events_logs_and_new_executions(
    store: Store,
) -> None:
    await store.executions.create(execution("e1"), [event("e1", "A")])
    [(current, events)] = await store.executor.claim_events("x1", START)
    running = moved(current, StateType.RUNNING, at(1))
    await store.executor.commit(
        running,
        [ev.id for ev in events],
        jobs=[job("j1", "e1", "tr1")],
        events=[event("e1", "timer", due_at=at(60))],
        logs=[log("e1", "started")],
        new_executions=[execution("child", flow_id="sub")],
    )
    assert await store.executions.get("e1") == running
    assert await store.executions.get("child") == execution("child", flow_id="sub")
    assert [m.message for m in await store.logs.find("e1")] == ["started"]
    assert [j.id for j in await store.worker_queue.claim("w1", 10, at(2))] == ["j1"]
    assert await store.executor.claim_events("x1", at(2)) == []
    timer = await store.executor.claim_events("x1", at(60))
    assert [ev.payload["event"] for ev in timer[0][1]] == ["timer"]


async def _assert_nothing_written(store: Store, before: list[int]) -> None:
    assert await store.executions.get("e1") == execution("e1")
    assert await store.executions.get("child") is None
    assert await store.logs.find("e1") == []
    assert [j.id for j in await store.worker_queue.claim("w1", 10, at(2))] == ["j0"]
    await store.executor.release("x1", ["e1"])
    again = await store.executor.claim_events("x1", at(2))
    assert [ev.id for ev in again[0][1]] == before


async def _claim_with_existing_job(store: Store) -> list[int]:
    await store.executions.create(execution("e1"), [event("e1", "A")])
    [(current, events)] = await store.executor.claim_events("x1", START)
    await store.executor.commit(current, [], jobs=[job("j0", "e1", "tr0")])
    [(_, events)] = await store.executor.claim_events("x1", START)
    return [ev.id for ev in events]


async def test_a_conflicting_job_id_rolls_back_the_whole_commit(store: Store) -> None:
    before = await _claim_with_existing_job(store)
    with pytest.raises(StoreConflictError):
        await store.executor.commit(
            moved(execution("e1"), StateType.RUNNING, at(1)),
            before,
            jobs=[job("j1", "e1", "tr1"), job("j0", "e1", "tr0")],
            events=[event("e1", "B")],
            logs=[log("e1", "never")],
            new_executions=[execution("child")],
        )
    await _assert_nothing_written(store, before)


async def test_a_failure_mid_commit_writes_nothing(store: Store) -> None:
    before = await _claim_with_existing_job(store)
    with pytest.raises(TypeError):
        await store.executor.commit(
            moved(execution("e1"), StateType.RUNNING, at(1)),
            before,
            jobs=[job("j1", "e1", "tr1")],
            events=[NewEvent("e1", {"not json": object()})],
            logs=[log("e1", "never")],
            new_executions=[execution("child")],
        )
    await _assert_nothing_written(store, before)


async def test_an_existing_execution_id_is_a_conflict(store: Store) -> None:
    await store.executions.create(execution("e1"))
    with pytest.raises(StoreConflictError):
        await store.executions.create(execution("e1"), [event("e1", "A")])
    assert await store.executor.claim_events("x1", START) == []


async def test_two_executors_never_claim_the_same_execution(backend: Backend) -> None:
    store = backend.store
    other = await backend.another()
    for number in range(20):
        name = f"e{number:02d}"
        await store.executions.create(execution(name), [event(name, "A"), event(name, "B")])
    first, second = await asyncio.gather(
        store.executor.claim_events("x1", START, limit=15),
        other.executor.claim_events("x2", START, limit=15),
    )
    ids_first = {e.id for e, _ in first}
    ids_second = {e.id for e, _ in second}
    assert not ids_first & ids_second
    for _, evs in first + second:
        assert [ev.payload["event"] for ev in evs] == ["A", "B"]
    rest = await store.executor.claim_events("x3", START, limit=100)
    assert ids_first | ids_second | {e.id for e, _ in rest} == {f"e{n:02d}" for n in range(20)}


async def test_events_of_an_unknown_execution_are_not_delivered(store: Store) -> None:
    await store.executor.enqueue([event("ghost", "A")])
    assert await store.executor.claim_events("x1", START) == []


async def test_a_claim_sees_what_another_executor_committed(backend: Backend) -> None:
    store = backend.store
    other = await backend.another()
    await store.executions.create(execution("e1"), [event("e1", "A")])
    [(first, events)] = await store.executor.claim_events("x1", START)
    running = moved(first, StateType.RUNNING, at(1))
    await store.executor.commit(running, [ev.id for ev in events], events=[event("e1", "B")])
    [(seen, events)] = await other.executor.claim_events("x2", at(1))
    assert seen == running
    paused = moved(seen, StateType.PAUSED, at(2))
    await other.executor.commit(paused, [ev.id for ev in events], events=[event("e1", "C")])
    [(again, _)] = await store.executor.claim_events("x1", at(2))
    assert again == paused


async def test_racing_executors_consume_every_event_exactly_once(backend: Backend) -> None:
    stores = [backend.store, await backend.another()]
    for number in range(8):
        name = f"e{number}"
        events = [event(name, f"{name}-{n}") for n in range(4)]
        await stores[0].executions.create(execution(name), events)
    consumed: list[str] = []
    holding: set[str] = set()

    async def executor(store: Store, name: str) -> None:
        idle = 0
        while idle < 3:
            claimed = await store.executor.claim_events(name, START, limit=3)
            idle = 0 if claimed else idle + 1
            for current, events in claimed:
                assert current.id not in holding, f"{current.id} claimed twice at once"
                holding.add(current.id)
                await asyncio.sleep(0)
                consumed.extend(ev.payload["event"] for ev in events)
                await store.executor.commit(current, [ev.id for ev in events])
                holding.discard(current.id)

    await asyncio.gather(executor(stores[0], "x1"), executor(stores[1], "x2"))
    expected = [f"e{number}-{n}" for number in range(8) for n in range(4)]
    assert sorted(consumed) == sorted(expected)


async def _handed_job(store: Store) -> tuple[Execution, StoredEvent]:
    """e1 claimed by x1, then committed RUNNING with job j1 claimed by w1 and its lock kept."""
    await store.executions.create(execution("e1"), [event("e1", "A")])
    [(current, events)] = await store.executor.claim_events("x1", START)
    running = moved(current, StateType.RUNNING, at(1))
    handed = replace(job("j1", "e1", "tr1"), claimed_by="w1", claimed_at=at(1))
    await store.executor.commit(running, [events[0].id], jobs=[handed], keep_lock_at=at(1))
    return running, events[0]


async def test_a_kept_lock_hides_the_execution_from_claims_and_shows_it_to_its_holder(
    store: Store,
) -> None:
    running, _ = await _handed_job(store)
    await store.executor.enqueue([event("e1", "KillRequested"), event("e1", "T", due_at=at(60))])
    assert await store.executor.claim_events("x1", at(2)) == []
    assert await store.executor.claim_events("x2", at(2)) == []
    assert await store.executor.owned_events("x2", at(2)) == {}
    owned = await store.executor.owned_events("x1", at(2))
    assert {i: [e.payload["event"] for e in evs] for i, evs in owned.items()} == {
        "e1": ["KillRequested"]
    }
    # the holder commits with the events it owns; the lock goes, the timer stays queued
    await store.executor.commit(running, [owned["e1"][0].id], holder="x1")
    assert await store.executor.owned_events("x1", at(90)) == {}
    [(again, timers)] = await store.executor.claim_events("x2", at(90))
    assert (again.id, [e.payload["event"] for e in timers]) == ("e1", ["T"])


async def test_a_commit_with_results_deletes_their_jobs_and_stores_logs_and_metrics(
    store: Store,
) -> None:
    running, _ = await _handed_job(store)
    result = JobResult(
        "j1",
        "e1",
        [event("e1", "TaskRunFinished")],
        [log("e1", "from the task", at(2))],
        [MetricEntry("e1", "tr1", "rows", "counter", 3.0, at(2))],
    )
    done = moved(running, StateType.SUCCESS, at(3))
    await store.executor.commit(
        done, [], logs=[log("e1", "from the executor", at(3))], results=[result], holder="x1"
    )
    assert await store.worker_queue.claim("w2", 10, at(4)) == []  # the job is gone, not re-queued
    assert await store.worker_queue.requeue_stale(at(1000)) == 0
    assert [e.message for e in await store.logs.find("e1")] == [
        "from the task",
        "from the executor",
    ]
    assert [(m.name, m.value) for m in await store.metrics.find("e1")] == [("rows", 3.0)]
    # the result's events were stepped: they are not queued
    assert await store.executor.claim_events("x2", at(5)) == []
    assert (await store.executions.get("e1")) == done


async def test_a_holder_that_lost_its_lock_writes_nothing(store: Store) -> None:
    running, _ = await _handed_job(store)
    await store.executor.enqueue([event("e1", "B")])
    expired = at(1) + LOCK_TIMEOUT * 2
    [(taken, _events)] = await store.executor.claim_events("x2", expired)
    result = JobResult("j1", "e1", [event("e1", "TaskRunFinished")], [log("e1", "x")])
    with pytest.raises(LockLostError):
        await store.executor.commit(
            moved(running, StateType.SUCCESS, expired), [], results=[result], holder="x1"
        )
    assert (await store.executions.get("e1")) == taken
    assert await store.logs.find("e1") == []
    # the job is still there, claimed by w1: its worker may still store the result itself
    await store.worker_queue.finish("j1", [event("e1", "TaskRunFinished")])
    assert await store.worker_queue.requeue_stale(expired + LOCK_TIMEOUT) == 0


async def test_a_result_whose_job_is_gone_writes_nothing(store: Store) -> None:
    running, _ = await _handed_job(store)
    await store.worker_queue.finish("j1", [])  # reported through the store already
    result = JobResult("j1", "e1", [event("e1", "TaskRunFinished")], [log("e1", "x")])
    with pytest.raises(LockLostError):
        await store.executor.commit(
            moved(running, StateType.SUCCESS, at(2)), [], results=[result], holder="x1"
        )
    assert (await store.executions.get("e1")) == running
    assert await store.logs.find("e1") == []


async def test_a_kept_lock_is_refreshed_by_each_commit(store: Store) -> None:
    running, _ = await _handed_job(store)
    later = at(1) + LOCK_TIMEOUT * 0.75
    await store.executor.commit(running, [], holder="x1", keep_lock_at=later)
    await store.executor.enqueue([event("e1", "B")])
    # older than LOCK_TIMEOUT since the first commit, not since the refresh: still held
    assert await store.executor.claim_events("x2", at(1) + LOCK_TIMEOUT * 1.5) == []
    assert list(await store.executor.owned_events("x1", later)) == ["e1"]


async def test_keep_locks_refreshes_the_holders_locks_and_names_the_lost_ones(
    store: Store,
) -> None:
    await _handed_job(store)  # e1 kept by x1 at at(1)
    await store.executions.create(execution("e2"), [event("e2", "A")])
    await store.executor.claim_events("x2", at(1))  # e2 locked by x2
    later = at(1) + LOCK_TIMEOUT * 0.75
    lost = await store.executor.keep_locks("x1", ["e1", "e2", "e3"], later)
    assert lost == ["e2", "e3"]
    await store.executor.enqueue([event("e1", "B")])
    # e1 is held from the refresh on, not from its first commit; e2's lock has expired
    claimed = await store.executor.claim_events("x3", at(1) + LOCK_TIMEOUT * 1.5)
    assert [e.id for e, _ in claimed] == ["e2"]
    assert list(await store.executor.owned_events("x1", later)) == ["e1"]
    assert await store.executor.keep_locks("x1", [], later) == []

"""WorkerQueue contract: exclusive claims, heartbeats, stale re-queue, finish, cancel."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from conftest import Backend
from store_contract_support import START, at, event, execution, job, log

from legato.store.bundle import Store
from legato.store.protocols import MetricEntry

pytestmark = pytest.mark.anyio


async def _queue(store: Store, count: int) -> None:
    await store.executions.create(execution("e1"), [event("e1", "A")])
    [(current, events)] = await store.executor.claim_events("x1", START)
    jobs = [job(f"j{n:02d}", "e1", f"tr{n:02d}") for n in range(count)]
    await store.executor.commit(current, [ev.id for ev in events], jobs=jobs)


async def test_jobs_are_claimed_oldest_first_with_their_payload(store: Store) -> None:
    await _queue(store, 3)
    claimed = await store.worker_queue.claim("w1", 2, START)
    assert [(j.id, j.task_run_id, j.claimed_by) for j in claimed] == [
        ("j00", "tr00", "w1"),
        ("j01", "tr01", "w1"),
    ]
    assert claimed[0].payload == {"taskRunId": "tr00", "attempt": 1}
    assert [j.id for j in await store.worker_queue.claim("w2", 5, START)] == ["j02"]
    assert await store.worker_queue.claim("w3", 5, START) == []


async def test_two_workers_never_claim_the_same_job(backend: Backend) -> None:
    store = backend.store
    other = await backend.another()
    await _queue(store, 30)
    first, second = await asyncio.gather(
        store.worker_queue.claim("w1", 20, START), other.worker_queue.claim("w2", 20, START)
    )
    ids_first = {j.id for j in first}
    ids_second = {j.id for j in second}
    assert not ids_first & ids_second
    assert len(ids_first | ids_second) == 30


async def test_finish_removes_the_job_and_reports_atomically(store: Store) -> None:
    await _queue(store, 1)
    [claimed] = await store.worker_queue.claim("w1", 1, START)
    metric = MetricEntry("e1", "tr00", "rows", "counter", 3.0, at(1), {"table": "t"})
    await store.worker_queue.finish(
        claimed.id, [event("e1", "TaskRunFinished")], [log("e1", "done", at(1))], [metric]
    )
    [(_, events)] = await store.executor.claim_events("x1", at(1))
    assert [ev.payload["event"] for ev in events] == ["TaskRunFinished"]
    assert [m.message for m in await store.logs.find("e1")] == ["done"]
    assert await store.metrics.find("e1") == [metric]
    assert await store.worker_queue.requeue_stale(at(10_000)) == 0


async def test_a_finished_job_reports_only_once(store: Store) -> None:
    await _queue(store, 1)
    [claimed] = await store.worker_queue.claim("w1", 1, START)
    await store.worker_queue.finish(claimed.id, [event("e1", "first")])
    await store.worker_queue.finish(claimed.id, [event("e1", "second")], [log("e1", "late")])
    [(_, events)] = await store.executor.claim_events("x1", at(1))
    assert [ev.payload["event"] for ev in events] == ["first"]
    assert await store.logs.find("e1") == []


async def test_jobs_of_a_silent_worker_go_back_to_the_queue(store: Store) -> None:
    await _queue(store, 3)
    await store.worker_queue.heartbeat("alive", at(0))
    await store.worker_queue.heartbeat("dead", at(0))
    await store.worker_queue.claim("alive", 1, at(0))
    await store.worker_queue.claim("dead", 1, at(0))
    await store.worker_queue.claim("never-beat", 1, at(5))
    await store.worker_queue.heartbeat("alive", at(30))
    assert await store.worker_queue.requeue_stale(at(0)) == 0
    assert await store.worker_queue.requeue_stale(at(20)) == 2
    again = await store.worker_queue.claim("w2", 10, at(40))
    assert sorted(j.id for j in again) == ["j01", "j02"]
    assert await store.worker_queue.requeue_stale(at(20)) == 0


async def test_cancel_removes_waiting_jobs_and_names_running_ones(store: Store) -> None:
    await _queue(store, 3)
    await store.worker_queue.claim("w1", 1, START)
    still_running = await store.worker_queue.cancel(["tr00", "tr01", "unknown"])
    assert still_running == ["tr00"]
    assert [j.id for j in await store.worker_queue.claim("w2", 10, START)] == ["j02"]
    assert await store.worker_queue.cancel([]) == []


async def test_a_cancelled_claimed_job_is_a_kill_for_its_worker_only(store: Store) -> None:
    await _queue(store, 3)
    await store.worker_queue.claim("w1", 2, START)
    await store.worker_queue.claim("w2", 1, START)
    assert await store.worker_queue.killed("w1") == []
    assert await store.worker_queue.cancel(["tr01", "tr02"]) == ["tr01", "tr02"]
    assert await store.worker_queue.killed("w1") == ["tr01"]
    assert await store.worker_queue.killed("w2") == ["tr02"]
    assert await store.worker_queue.killed("w3") == []
    # the worker reports the killed run: the job and its kill request are gone
    await store.worker_queue.finish("j01", [event("e1", "TaskRunFinished")])
    assert await store.worker_queue.killed("w1") == []


async def test_a_job_committed_claimed_is_its_workers_and_requeued_when_it_falls_silent(
    store: Store,
) -> None:
    # the executor hands a job straight to a worker of its process (services.handoff)
    await store.executions.create(execution("e1"), [event("e1", "A")])
    [(current, events)] = await store.executor.claim_events("x1", START)
    handed = replace(job("j00", "e1", "tr00"), claimed_by="local", claimed_at=at(0))
    jobs = [handed, job("j01", "e1", "tr01")]
    await store.executor.commit(current, [ev.id for ev in events], jobs=jobs)
    await store.worker_queue.heartbeat("local", at(0))
    assert [j.id for j in await store.worker_queue.claim("w2", 5, at(1))] == ["j01"]
    assert await store.worker_queue.requeue_stale(at(0)) == 0
    await store.worker_queue.finish("j00", [event("e1", "done")])
    [(_, reported)] = await store.executor.claim_events("x1", at(2))
    assert [ev.payload["event"] for ev in reported] == ["done"]


async def test_a_job_committed_claimed_by_a_dead_worker_goes_back_to_the_queue(
    store: Store,
) -> None:
    await store.executions.create(execution("e1"), [event("e1", "A")])
    [(current, events)] = await store.executor.claim_events("x1", START)
    handed = replace(job("j00", "e1", "tr00"), claimed_by="gone", claimed_at=at(0))
    await store.executor.commit(current, [ev.id for ev in events], jobs=[handed])
    await store.worker_queue.heartbeat("gone", at(0))
    assert await store.worker_queue.claim("w2", 5, at(1)) == []
    assert await store.worker_queue.requeue_stale(at(30)) == 1
    [again] = await store.worker_queue.claim("w2", 5, at(31))
    assert (again.id, again.claimed_by, again.payload) == ("j00", "w2", handed.payload)

"""LocalHandoff and HandoffQueue: jobs reach the worker of the same process without a claim,
within its free slots, and every other job still goes through the store."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from legato.services.handoff import HandoffQueue, LocalHandoff
from legato.store.delegating import DelegatingWorkerQueue
from legato.store.protocols import LogEntry, MetricEntry, NewEvent, WorkerJob

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def jobs(*ids: str) -> list[WorkerJob]:
    return [WorkerJob(i, "e1", "tr-" + i, {"n": i}) for i in ids]


class StoreQueue(DelegatingWorkerQueue):
    """The store's side: jobs claimable by anyone, and finished ids."""

    def __init__(self, free: Sequence[WorkerJob] = ()) -> None:
        self.free = list(free)
        self.finished: list[str] = []
        self.claims = 0

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        self.claims += 1
        taken, self.free = self.free[:limit], self.free[limit:]
        return taken

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        self.finished.append(job_id)


def test_jobs_are_marked_claimed_by_the_local_worker_within_its_free_slots() -> None:
    handoff = LocalHandoff("w1", slots=2)
    marked = handoff.claim_for_worker(jobs("a", "b", "c"), NOW)
    assert [(j.id, j.claimed_by, j.claimed_at) for j in marked] == [
        ("a", "w1", NOW),
        ("b", "w1", NOW),
        ("c", None, None),
    ]
    # both slots are reserved until delivered or cancelled
    assert [j.claimed_by for j in handoff.claim_for_worker(jobs("d"), NOW)] == [None]


def test_a_failed_commit_gives_its_slots_back() -> None:
    handoff = LocalHandoff("w1", slots=1)
    handoff.cancel(handoff.claim_for_worker(jobs("a"), NOW))
    assert [j.claimed_by for j in handoff.claim_for_worker(jobs("b"), NOW)] == ["w1"]


def test_delivered_jobs_are_claimed_first_and_free_their_slot_when_finished() -> None:
    async def scenario() -> None:
        handoff = LocalHandoff("w1", slots=2)
        store = StoreQueue(jobs("s1", "s2"))
        queue = HandoffQueue(store, handoff)
        handoff.deliver(handoff.claim_for_worker(jobs("a"), NOW))
        # the inbox first; the store only once the inbox is empty
        assert [j.id for j in await queue.claim("w1", 2, NOW)] == ["a"]
        assert [j.id for j in await queue.claim("w1", 1, NOW)] == ["s1"]
        # a and s1 use both slots: nothing more is handed off
        assert handoff.claim_for_worker(jobs("b"), NOW)[0].claimed_by is None
        await queue.finish("a", [])
        # a handed job's result goes to the executor in memory; a claimed one's to the store
        assert [r.job_id for r in handoff.take_results()] == ["a"]
        assert store.finished == []
        assert handoff.claim_for_worker(jobs("c"), NOW)[0].claimed_by == "w1"
        await queue.finish("s1", [])
        assert store.finished == ["s1"]
        assert handoff.take_results() == []

    asyncio.run(scenario())


def test_results_of_handed_jobs_wake_the_executor_and_carry_what_finish_got() -> None:
    async def scenario() -> None:
        woken: list[str] = []
        handoff = LocalHandoff("w1", slots=2)
        handoff.on_result = lambda: woken.append("wake")
        queue = HandoffQueue(StoreQueue(), handoff)
        handoff.deliver(handoff.claim_for_worker(jobs("a"), NOW))
        event = NewEvent("e1", {"event": "TaskRunFinished"})
        line = LogEntry("e1", NOW, "INFO", "hello")
        await queue.finish("a", [event], [line], [])
        (result,) = handoff.take_results()
        assert (result.job_id, result.execution_id) == ("a", "e1")
        assert (list(result.events), list(result.logs)) == ([event], [line])
        assert woken == ["wake"]
        # a result is reported once: a second finish of the same job goes to the store
        assert not handoff.report("a", [event], [], [])

    asyncio.run(scenario())


def test_an_execution_is_kept_while_it_has_handed_jobs_unsettled() -> None:
    async def scenario() -> None:
        handoff = LocalHandoff("w1", slots=4)
        queue = HandoffQueue(StoreQueue(), handoff)
        marked = handoff.claim_for_worker(jobs("a", "b"), NOW)
        assert handoff.keeps("e1", marked, [])
        assert not handoff.keeps("e2", marked, [])
        handoff.deliver(marked)
        await queue.finish("a", [])
        first = handoff.take_results()
        # b is still out: the commit settling a keeps the lock; settling b too lets it go
        assert handoff.keeps("e1", [], first)
        handoff.settled(first)
        await queue.finish("b", [])
        second = handoff.take_results()
        assert not handoff.keeps("e1", [], second)
        handoff.settled(second)
        assert not handoff.keeps("e1", [], [])

    asyncio.run(scenario())


def test_a_closed_handoff_takes_no_result_and_keeps_nothing() -> None:
    async def scenario() -> None:
        handoff = LocalHandoff("w1", slots=4)
        store = StoreQueue()
        queue = HandoffQueue(store, handoff)
        handoff.deliver(handoff.claim_for_worker(jobs("a"), NOW))
        handoff.close()
        assert not handoff.keeps("e1", [], [])
        await queue.finish("a", [])
        assert store.finished == ["a"]
        assert handoff.take_results() == []

    asyncio.run(scenario())


def test_results_given_back_are_taken_first() -> None:
    async def scenario() -> None:
        handoff = LocalHandoff("w1", slots=4)
        queue = HandoffQueue(StoreQueue(), handoff)
        handoff.deliver(handoff.claim_for_worker(jobs("a", "b"), NOW))
        await queue.finish("a", [])
        taken = handoff.take_results()
        await queue.finish("b", [])
        handoff.give_back(taken)
        assert [r.job_id for r in handoff.take_results()] == ["a", "b"]

    asyncio.run(scenario())


def test_another_worker_id_only_gets_the_stores_jobs() -> None:
    async def scenario() -> None:
        handoff = LocalHandoff("w1", slots=4)
        queue = HandoffQueue(StoreQueue(jobs("s1")), handoff)
        handoff.deliver(handoff.claim_for_worker(jobs("a"), NOW))
        assert [j.id for j in await queue.claim("w2", 4, NOW)] == ["s1"]
        assert [j.id for j in await queue.claim("w1", 4, NOW)] == ["a"]

    asyncio.run(scenario())


def test_a_closed_handoff_hands_nothing() -> None:
    handoff = LocalHandoff("w1", slots=4)
    handoff.close()
    assert [j.claimed_by for j in handoff.claim_for_worker(jobs("a", "b"), NOW)] == [None, None]


def test_jobs_needing_no_slot_are_handed_off_whatever_the_capacity() -> None:
    # render-only tasks run on the worker's loop at once: they hold no thread
    handoff = LocalHandoff("w1", slots=1, needs_slot=lambda job: job.id != "quick")
    marked = handoff.claim_for_worker(jobs("slow", "quick", "slow2"), NOW)
    assert [(j.id, j.claimed_by) for j in marked] == [
        ("slow", "w1"),
        ("quick", "w1"),
        ("slow2", None),
    ]
    handoff.deliver(marked)
    assert [j.id for j in handoff.take(5)] == ["slow", "quick"]
    handoff.finished("quick")  # frees nothing: it held no slot
    assert handoff.claim_for_worker(jobs("slow3"), NOW)[0].claimed_by is None
    handoff.finished("slow")
    assert handoff.claim_for_worker(jobs("slow4"), NOW)[0].claimed_by == "w1"


def test_a_store_found_dry_is_asked_again_only_after_unhanded_jobs_or_a_recheck() -> None:
    async def scenario() -> None:
        now = [100.0]
        handoff = LocalHandoff("w1", slots=1)
        store = StoreQueue()
        queue = HandoffQueue(store, handoff, recheck=0.25, clock=lambda: now[0])
        assert await queue.claim("w1", 4, NOW) == []
        assert store.claims == 1  # found dry
        handoff.deliver(handoff.claim_for_worker(jobs("a"), NOW))
        assert [j.id for j in await queue.claim("w1", 4, NOW)] == ["a"]
        assert await queue.claim("w1", 4, NOW) == []
        assert store.claims == 1  # the inbox ran dry: the store was not asked
        # a job there was no room for went to the store: it is asked
        assert handoff.claim_for_worker(jobs("b"), NOW)[0].claimed_by is None
        store.free = jobs("b")
        assert [j.id for j in await queue.claim("w1", 4, NOW)] == ["b"]
        assert await queue.claim("w1", 4, NOW) == []
        assert store.claims == 2  # b came with fewer jobs than asked: dry again
        # jobs of other processes are found by the recheck
        store.free = jobs("c")
        assert await queue.claim("w1", 4, NOW) == []
        now[0] += 0.25
        assert [j.id for j in await queue.claim("w1", 4, NOW)] == ["c"]
        # another worker id always asks the store
        assert await queue.claim("w2", 4, NOW) == []
        assert store.claims == 4

    asyncio.run(scenario())


def test_a_full_store_claim_is_followed_by_another() -> None:
    async def scenario() -> None:
        handoff = LocalHandoff("w1", slots=4)
        store = StoreQueue(jobs("s1", "s2", "s3"))
        queue = HandoffQueue(store, handoff, clock=lambda: 0.0)
        assert [j.id for j in await queue.claim("w1", 2, NOW)] == ["s1", "s2"]
        assert [j.id for j in await queue.claim("w1", 2, NOW)] == ["s3"]
        assert await queue.claim("w1", 2, NOW) == []
        assert store.claims == 2

    asyncio.run(scenario())

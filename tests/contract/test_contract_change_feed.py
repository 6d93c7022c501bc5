"""Change feeds: a PostgreSQL store hears the work other clients commit (``LISTEN``/``NOTIFY``);
the embedded stores have none (their processes poll)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace

import pytest
from conftest import Backend
from store_contract_support import START, at, event, execution, job

from legato.store.protocols import EXECUTOR_CHANNEL, WORKER_CHANNEL, ChangeFeed

pytestmark = pytest.mark.anyio


class Heard:
    """What a subscriber heard, per channel (callbacks come from the feed's thread)."""

    def __init__(self, feed: ChangeFeed) -> None:
        self.events = {c: threading.Event() for c in (EXECUTOR_CHANNEL, WORKER_CHANNEL)}
        self.stops = [feed.subscribe(c, e.set) for c, e in self.events.items()]

    def clear(self) -> None:
        for heard in self.events.values():
            heard.clear()

    async def only(self, channel: str) -> None:
        """``channel`` is heard within 5 s, and the other channel not meanwhile."""
        assert await asyncio.to_thread(self.events[channel].wait, 5), f"{channel} not heard"
        others = [c for c, e in self.events.items() if c != channel and e.is_set()]
        assert others == [], others
        self.clear()


async def test_work_committed_elsewhere_is_heard_on_its_channel(backend: Backend) -> None:
    if backend.name != "postgres":
        assert backend.store.changes is None
        return
    listener = await backend.another()
    assert listener.changes is not None
    heard = Heard(listener.changes)
    assert await asyncio.to_thread(listener.changes.listening.wait, 5)  # type: ignore[attr-defined]
    heard.clear()  # the call every subscriber gets once the feed listens
    store = backend.store
    await store.executions.create(execution("e1"), [event("e1", "A")])
    await heard.only(EXECUTOR_CHANNEL)
    [(current, events)] = await store.executor.claim_events("x1", START)
    await store.executor.commit(current, [events[0].id], jobs=[job("j1", "e1", "tr1")])
    await heard.only(WORKER_CHANNEL)
    await store.worker_queue.claim("w1", 1, START)
    await store.worker_queue.finish("j1", [event("e1", "TaskRunFinished")])
    await heard.only(EXECUTOR_CHANNEL)
    # a job committed claimed by the committer's own worker is nobody else's business
    [(current, events)] = await store.executor.claim_events("x1", at(1))
    handed = replace(job("j2", "e1", "tr2"), claimed_by="w1", claimed_at=at(1))
    await store.executor.commit(current, [events[0].id], jobs=[handed])
    assert not await asyncio.to_thread(heard.events[WORKER_CHANNEL].wait, 0.5)
    for stop in heard.stops:
        stop()

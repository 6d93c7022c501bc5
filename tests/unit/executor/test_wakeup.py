"""``Wakeup``: a level-triggered hint between the daemons of one process."""

from __future__ import annotations

import asyncio

from legato.executor.wakeup import Wakeup


def test_a_notification_before_the_wait_is_kept_and_consumed_once() -> None:
    async def scenario() -> tuple[bool, bool]:
        wakeup = Wakeup()
        wakeup.notify()
        return await wakeup.wait(5), await wakeup.wait(0.01)

    assert asyncio.run(scenario()) == (True, False)


def test_a_notification_during_the_wait_wakes_it_before_the_timeout() -> None:
    async def scenario() -> tuple[bool, float]:
        wakeup = Wakeup()
        loop = asyncio.get_running_loop()
        loop.call_later(0.01, wakeup.notify)
        started = loop.time()
        notified = await wakeup.wait(5)
        return notified, loop.time() - started

    notified, waited = asyncio.run(scenario())
    assert notified and waited < 1


def test_watching_resolves_a_future_without_consuming_the_notification() -> None:
    async def scenario() -> tuple[bool, bool, bool]:
        wakeup = Wakeup()
        loop = asyncio.get_running_loop()
        early = loop.create_future()
        wakeup.watch(early)
        wakeup.notify()
        await early
        late = loop.create_future()
        wakeup.watch(late)  # the notification is still waiting: resolved at once
        return late.done(), wakeup.consume(), wakeup.consume()

    assert asyncio.run(scenario()) == (True, True, False)


def test_an_unwatched_future_is_left_alone_and_a_cancelled_wait_leaves_no_waiter() -> None:
    async def scenario() -> tuple[bool, int]:
        wakeup = Wakeup()
        loop = asyncio.get_running_loop()
        forgotten = loop.create_future()
        wakeup.watch(forgotten)
        wakeup.unwatch(forgotten)
        waiting = asyncio.create_task(wakeup.wait(5))
        await asyncio.sleep(0)
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        wakeup.notify()
        return forgotten.done(), len(wakeup._waiters)

    assert asyncio.run(scenario()) == (False, 0)


def test_a_notification_says_whether_the_store_changed() -> None:
    async def scenario() -> None:
        wakeup = Wakeup()
        wakeup.notify(stored=False)
        assert await wakeup.wait(1) is True
        assert wakeup.take_stored() is False
        wakeup.notify(stored=False)
        wakeup.notify()
        assert await wakeup.wait(1) is True
        assert wakeup.take_stored() is True
        assert wakeup.take_stored() is False  # taken

    asyncio.run(scenario())

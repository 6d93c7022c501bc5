"""GroupWriter: concurrent submissions share transactions, in order, failing together."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from legato.store.sql.grouping import GroupWriter


class _FakeDatabase:
    """Runs each transaction after a loop turn; records the items of each one."""

    def __init__(self, fail_when: Callable[[list[str]], bool] = lambda items: False) -> None:
        self.transactions: list[list[str]] = []
        self.fail_when = fail_when

    async def write(self, work: Callable[[Any], None]) -> None:
        await asyncio.sleep(0)
        work(self)


def _sync(scenario: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    @functools.wraps(scenario)
    def test() -> None:
        asyncio.run(scenario())

    return test


def _writer(db: _FakeDatabase, most: int = 500) -> GroupWriter[str]:
    def write_all(conn: Any, items: list[str]) -> None:
        if db.fail_when(items):
            raise RuntimeError(f"cannot write {items}")
        db.transactions.append(list(items))

    return GroupWriter(db.write, write_all, most)


@_sync
async def test_items_submitted_meanwhile_share_the_next_transaction() -> None:
    db = _FakeDatabase()
    writer = _writer(db)
    await asyncio.gather(*(writer.submit(f"job{n}") for n in range(5)))
    assert [item for tx in db.transactions for item in tx] == [f"job{n}" for n in range(5)]
    assert len(db.transactions) < 5


@_sync
async def test_a_lone_item_is_written_at_once() -> None:
    db = _FakeDatabase()
    writer = _writer(db)
    await writer.submit("only")
    assert db.transactions == [["only"]]


@_sync
async def test_transactions_hold_at_most_the_given_number_of_items() -> None:
    db = _FakeDatabase()
    writer = _writer(db, most=2)
    await asyncio.gather(*(writer.submit(f"job{n}") for n in range(5)))
    assert all(len(tx) <= 2 for tx in db.transactions)
    assert [item for tx in db.transactions for item in tx] == [f"job{n}" for n in range(5)]


@_sync
async def test_every_item_of_a_failed_transaction_fails_and_later_ones_still_land() -> None:
    db = _FakeDatabase(fail_when=lambda items: "bad" in items)
    writer = _writer(db, most=2)
    results = await asyncio.gather(
        writer.submit("a"), writer.submit("bad"), writer.submit("c"), return_exceptions=True
    )
    assert isinstance(results[0], RuntimeError)  # shared the transaction of "bad"
    assert isinstance(results[1], RuntimeError)
    assert results[2] is None
    assert db.transactions == [["c"]]


@_sync
async def test_a_cancelled_caller_does_not_strand_the_others() -> None:
    db = _FakeDatabase()
    writer = _writer(db)
    first = asyncio.create_task(writer.submit("first"))
    second = asyncio.create_task(writer.submit("second"))
    await asyncio.sleep(0)
    first.cancel()
    await second
    with pytest.raises(asyncio.CancelledError):
        await first
    assert "second" in [item for tx in db.transactions for item in tx]

"""Group commit: writes submitted while a transaction runs share the next transaction.

Why: a worker finishing many short jobs at once would pay one transaction (and one hop to a
database thread) per job; grouped, a thousand results take a few dozen transactions.

Invariants: ``submit`` returns once its item is committed and raises when the transaction that
held it failed (every item of that transaction then failed, nothing of it was written: callers
retry, so ``write_all`` must skip items already applied); items are written in submission
order; at most one grouped transaction runs at a time per ``GroupWriter``. The writing runs in a
task of its own, so a cancelled caller never strands the items of others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

I = TypeVar("I")  # noqa: E741 - an item


class GroupWriter(Generic[I]):
    """Writes items with ``write_all(connection, items)`` in as few transactions as possible,
    each transaction run by ``write`` (``Database.write`` or ``Database.write_plain``)."""

    def __init__(
        self,
        write: Callable[[Callable[[Any], None]], Awaitable[None]],
        write_all: Callable[[Any, list[I]], None],
        most: int = 500,
    ) -> None:
        self._write = write
        self._write_all = write_all
        self._most = most
        self._pending: list[tuple[I, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, item: I) -> None:
        """Write ``item`` (with the items submitted meanwhile); return once committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((item, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self._most], self._pending[self._most :]
            items = [item for item, _ in batch]
            try:
                await self._write(self._writing(items))
            except Exception as error:
                _settle(batch, error)
            else:
                _settle(batch, None)

    def _writing(self, items: list[I]) -> Callable[[Any], None]:
        return lambda conn: self._write_all(conn, items)


def _settle(batch: list[tuple[I, asyncio.Future[None]]], error: Exception | None) -> None:
    for _, done in batch:
        if done.done():
            continue
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)

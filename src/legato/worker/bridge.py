"""Calling the worker's async store ports from the threads that run tasks.

Invariants: ``call`` blocks the calling thread until the coroutine finished on the bridge's
event loop and returns its result or raises its exception; it must never be called from the
loop's own thread (that would deadlock), which it detects and refuses with ``CalledOnLoop``
(the worker catches it to move a task it ran on the loop to a thread). ``background()`` starts a
private loop in a daemon thread, for synchronous callers (tests, command-line tools).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class CalledOnLoop(BaseException):
    """``Bridge.call`` was made from the loop's own thread (a BaseException, so that task code
    catching ``Exception`` does not swallow it)."""


class Bridge:
    """Runs coroutines on ``loop`` on behalf of worker threads."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the loop and wait for its result."""
        if _running_loop() is self._loop:
            coro.close()
            raise CalledOnLoop(
                "Bridge.call was made from the event loop thread; run the task in a worker thread"
            )
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


@contextmanager
def background() -> Iterator[Bridge]:
    """A bridge over a new event loop running in a daemon thread, stopped on exit."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="legato-bridge", daemon=True)
    thread.start()
    try:
        yield Bridge(loop)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()

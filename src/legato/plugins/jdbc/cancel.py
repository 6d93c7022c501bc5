"""Cancelling a running statement when the task run is killed or times out.

``cancelled_on_kill(ctx, cancel)`` watches the task run from a daemon thread while the block
runs; once the run is killed it calls ``cancel`` (the session's driver-level cancel: psycopg's
``cancel_safe``, sqlite3's and DuckDB's ``interrupt``), so the blocked statement fails promptly
instead of holding the connection. ``cancel`` is never called after the block has ended, and a
failing ``cancel`` is ignored (the statement may have just finished).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from legato.sdk.run_context import RunContext

POLL_SECONDS = 0.25


@contextmanager
def cancelled_on_kill(ctx: RunContext, cancel: Callable[[], None]) -> Iterator[None]:
    """Run the block; call ``cancel`` if the task run is killed meanwhile."""
    done = threading.Event()
    lock = threading.Lock()

    def watch() -> None:
        while not done.is_set():
            if ctx.wait_killed(POLL_SECONDS):
                with lock:
                    if not done.is_set():
                        _quietly(cancel)
                return

    threading.Thread(target=watch, name="jdbc-cancel-watch", daemon=True).start()
    try:
        yield
    finally:
        with lock:
            done.set()


def _quietly(cancel: Callable[[], None]) -> None:
    try:
        cancel()
    except Exception:  # the statement may have ended: nothing left to cancel
        return

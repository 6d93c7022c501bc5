"""``PgChangeFeed``: PostgreSQL ``LISTEN`` on the store's channels, on a thread of its own.

Why: processes sharing a database would otherwise find each other's work only at their next
poll (a worker polls every 0.5 s, an executor every 0.1–0.5 s); ``notify`` makes every commit
that stores work announce it.

Invariants: the thread starts with the first subscription and stops at ``close``; it holds one
autocommit connection, reconnects after an error (every ``retry`` seconds, logging the first
failure) and, once (re)connected, calls every subscriber once, since notifications sent while it
was away are lost; callbacks run on this thread and must only hand over (e.g.
``loop.call_soon_threadsafe``); a callback that raises is logged and the others still run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from legato.store.protocols import EXECUTOR_CHANNEL, WORKER_CHANNEL

LOGGER = logging.getLogger("legato.store.postgres")

#: seconds the thread waits for notifications before it checks whether it must stop
WAIT = 0.5


class PgChangeFeed:
    """A ``ChangeFeed`` over ``LISTEN`` on one PostgreSQL database."""

    def __init__(
        self,
        conninfo: str,
        channels: Sequence[str] = (EXECUTOR_CHANNEL, WORKER_CHANNEL),
        *,
        retry: float = 1.0,
    ) -> None:
        self._conninfo = conninfo
        self._channels = tuple(channels)
        self._retry = retry
        self._subscribers: dict[str, list[Callable[[], None]]] = {c: [] for c in channels}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: set once the thread listens (tests wait for it)
        self.listening = threading.Event()

    def subscribe(self, channel: str, callback: Callable[[], None]) -> Callable[[], None]:
        if channel not in self._subscribers:
            raise ValueError(f"unknown channel {channel!r}; known: {', '.join(self._channels)}")
        with self._lock:
            self._subscribers[channel].append(callback)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="legato-pg-listen", daemon=True
                )
                self._thread.start()

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers[channel]:
                    self._subscribers[channel].remove(callback)

        return unsubscribe

    def close(self) -> None:
        """Stop listening (waits for the thread)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        import psycopg

        failing = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    for channel in self._channels:
                        connection.execute(f"LISTEN {channel}")
                    failing = False
                    self.listening.set()
                    self._fire(self._channels)
                    while not self._stop.is_set():
                        heard = {n.channel for n in connection.notifies(timeout=WAIT)}
                        self._fire([c for c in self._channels if c in heard])
            except psycopg.Error:
                self.listening.clear()
                if not failing:
                    LOGGER.exception("listening for store changes failed; retrying")
                failing = True
                self._stop.wait(self._retry)

    def _fire(self, channels: Sequence[str]) -> None:
        for channel in channels:
            with self._lock:
                callbacks = list(self._subscribers[channel])
            for callback in callbacks:
                try:
                    callback()
                except Exception:
                    LOGGER.exception("a store-change subscriber failed")

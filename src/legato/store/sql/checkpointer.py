"""SQLite WAL checkpoints off the writers' path.

SQLite's automatic checkpoint runs inside the ``COMMIT`` that crosses its threshold, on the
committing thread — for plain writes the event loop's — and copying the log back into the
database file was about half of a commit's cost (measured: 62 µs per commit of a 25 KB
document with the default threshold, 28 µs without automatic checkpoints). A daemon thread with
a connection of its own runs ``PASSIVE`` checkpoints every ``interval`` instead; the automatic
checkpoint stays as a backstop at ``BACKSTOP_PAGES`` should this thread fall behind.

A PASSIVE checkpoint alone does not keep the log short: commits keep arriving while it copies
(a 100-task flow writes ~12 MB of log), so it seldom reaches the end of the log, SQLite never
starts the log over, and the log grew until the backstop checkpointed ~80 MB inside a commit on
the event loop (25 ms). So when frames were left, a RESTART checkpoint follows: it copies the
few frames written meanwhile and makes the next writer start the log from its beginning.

Invariants: a PASSIVE checkpoint never waits for or blocks readers and writers; the RESTART
that may follow waits at most ``RESTART_WAIT_MS`` for the write lock and for readers (then it
gives up until the next tick), so writers are held up for a few milliseconds at most; the
thread stops (and its connection closes) on ``stop``; a failed checkpoint is logged and
retried at the next tick, never raised.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

LOGGER = logging.getLogger("legato.store.sqlite")

#: the automatic checkpoint's threshold when this thread runs (pages of the log, ~80 MB)
BACKSTOP_PAGES = 20_000
#: seconds between two background checkpoints
DEFAULT_INTERVAL = 0.25
#: how long (ms) the RESTART step may wait for the write lock or for readers
RESTART_WAIT_MS = 10


class Checkpointer:
    """Checkpoints the WAL of the SQLite file at ``path`` from a daemon thread."""

    def __init__(self, path: Path, interval: float = DEFAULT_INTERVAL) -> None:
        self.path = path
        self.interval = interval
        self.checkpoints = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="legato-sqlite-checkpoint", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread after its current checkpoint (waits for it)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout={RESTART_WAIT_MS}")
        try:
            while not self._stop.wait(self.interval):
                self._checkpoint(connection)
            self._checkpoint(connection)
        finally:
            connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            _, left, _ = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if left > 0:  # commits came in meanwhile: copy them and start the log over
                connection.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error:
            LOGGER.exception("background checkpoint of %s failed; retrying", self.path)

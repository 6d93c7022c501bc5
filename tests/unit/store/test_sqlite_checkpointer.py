"""The background checkpointer copies the SQLite write-ahead log back into the database file
while writers keep committing, and stops cleanly."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from legato.store.sql.checkpointer import Checkpointer


def written_back(path: Path) -> int:
    """Bytes in the database file itself (the rest still lives in the log)."""
    return path.stat().st_size


def test_the_log_is_checkpointed_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")  # only the background thread checkpoints
    db.execute("CREATE TABLE t (v TEXT)")
    for n in range(50):
        db.execute("INSERT INTO t VALUES (?)", ("x" * 5000 + str(n),))
    assert written_back(path) < 50 * 5000  # the rows are in the log only
    checkpointer = Checkpointer(path, interval=0.01)
    checkpointer.start()
    deadline = time.monotonic() + 10
    while written_back(path) < 50 * 5000 and time.monotonic() < deadline:
        time.sleep(0.01)
    checkpointer.stop()
    assert written_back(path) >= 50 * 5000
    assert checkpointer.checkpoints >= 1
    assert db.execute("SELECT count(*) FROM t").fetchone() == (50,)


def test_stop_ends_the_thread_even_before_a_tick(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "y.db").execute("PRAGMA journal_mode=WAL")
    checkpointer = Checkpointer(tmp_path / "y.db", interval=60)
    checkpointer.start()
    started = time.monotonic()
    checkpointer.stop()
    assert time.monotonic() - started < 5
    assert checkpointer.checkpoints == 1  # the final one, on the way out

"""The background checkpointer copies the SQLite write-ahead log back into the database file
while writers keep committing, and stops cleanly."""

from __future__ import annotations

import sqlite3
import threading
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


def test_the_log_starts_over_while_a_writer_keeps_committing(tmp_path: Path) -> None:
    path = tmp_path / "z.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (v TEXT)")
    stop = threading.Event()
    commits = [0]

    def write() -> None:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA wal_autocheckpoint=0")  # only the background thread checkpoints
        db.execute("PRAGMA busy_timeout=5000")
        while not stop.is_set():
            db.execute("INSERT INTO t VALUES (?)", ("x" * 8000,))
            commits[0] += 1
            time.sleep(0.0001)  # commits one after another, with a short gap
        db.close()

    writer = threading.Thread(target=write)
    checkpointer = Checkpointer(path, interval=0.005)
    writer.start()
    checkpointer.start()
    time.sleep(1.5)
    stop.set()
    writer.join()
    # frames in the log since it last started over, before the final checkpoint
    _, frames, _ = setup.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    checkpointer.stop()
    written = commits[0] * 3  # each commit writes at least two data pages and a header page
    assert commits[0] > 100
    assert frames < written / 4, (frames, commits[0])

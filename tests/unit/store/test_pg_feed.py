"""PgChangeFeed: the listening thread starts with the first subscriber, survives a database it
cannot reach (retrying), calls every subscriber once it listens, and stops at ``close``."""

from __future__ import annotations

import os
import threading
import time

import pytest

from legato.store.protocols import EXECUTOR_CHANNEL, WORKER_CHANNEL
from legato.store.sql.pg_feed import PgChangeFeed

#: the server the other PostgreSQL tests use (PGHOST/PGPORT/PGUSER, trust auth)
REACHABLE = (
    f"postgresql://{os.environ.get('PGUSER', 'postgres')}@{os.environ.get('PGHOST', '127.0.0.1')}"
    f":{os.environ.get('PGPORT', '5432')}/postgres"
)


def test_an_unknown_channel_is_refused_naming_the_known_ones() -> None:
    feed = PgChangeFeed(REACHABLE)
    with pytest.raises(ValueError, match="legato_executor, legato_worker"):
        feed.subscribe("elsewhere", lambda: None)
    feed.close()  # never started: returns at once


def test_an_unreachable_database_is_retried_and_close_still_stops_the_thread() -> None:
    feed = PgChangeFeed("postgresql://postgres@127.0.0.1:1/none", retry=0.05)
    called = threading.Event()
    feed.subscribe(EXECUTOR_CHANNEL, called.set)
    time.sleep(0.3)  # several failed attempts
    assert not feed.listening.is_set()
    assert not called.is_set()
    started = time.monotonic()
    feed.close()
    assert time.monotonic() - started < 2


def test_a_notification_reaches_the_subscribers_even_when_one_raises() -> None:
    import psycopg

    feed = PgChangeFeed(REACHABLE)
    executor = threading.Event()
    worker = threading.Event()

    def broken() -> None:
        raise RuntimeError("a subscriber's bug")

    feed.subscribe(EXECUTOR_CHANNEL, broken)
    feed.subscribe(EXECUTOR_CHANNEL, executor.set)
    stop = feed.subscribe(WORKER_CHANNEL, worker.set)
    assert feed.listening.wait(5)
    time.sleep(0.1)  # the call every subscriber gets once the feed listens
    executor.clear()
    worker.clear()
    with psycopg.connect(REACHABLE, autocommit=True) as connection:
        connection.execute(f"NOTIFY {EXECUTOR_CHANNEL}")
    assert executor.wait(5)
    assert not worker.is_set()
    with psycopg.connect(REACHABLE, autocommit=True) as connection:
        connection.execute(f"NOTIFY {WORKER_CHANNEL}")
    assert worker.wait(5)
    stop()
    stop()  # unsubscribing twice is harmless
    feed.close()

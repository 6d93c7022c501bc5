"""``NOTIFY`` inside the write transactions that store work for other processes (PostgreSQL).

A commit that stores due events or executions notifies ``EXECUTOR_CHANNEL``; one that stores
unclaimed worker jobs notifies ``WORKER_CHANNEL``. PostgreSQL delivers a notification when (and
only if) its transaction commits, and folds identical ones of a transaction into one, so a
listener (``pg_feed.PgChangeFeed``) wakes exactly after the work is visible.

Invariants: SQLite stores notify nothing (processes on one SQLite file poll); channel names
come from the code, never from data.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from legato.store.protocols import EXECUTOR_CHANNEL, WORKER_CHANNEL

_STATEMENTS = {
    channel: sa.text(f"NOTIFY {channel}") for channel in (EXECUTOR_CHANNEL, WORKER_CHANNEL)
}


def notify(conn: sa.Connection, channels: Iterable[str]) -> None:
    """Notify ``channels`` when ``conn``'s transaction commits (PostgreSQL only)."""
    if conn.dialect.name != "postgresql":
        return
    for channel in sorted(set(channels)):
        conn.execute(_STATEMENTS[channel])


def for_writes(
    *, events: bool = False, executions: bool = False, unclaimed_jobs: bool = False
) -> list[str]:
    """The channels a transaction writing these must notify."""
    channels = [EXECUTOR_CHANNEL] if events or executions else []
    if unclaimed_jobs:
        channels.append(WORKER_CHANNEL)
    return channels

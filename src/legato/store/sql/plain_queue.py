"""The SQLite hot paths of ``queue`` (executor claim and commit, worker claim and finish) in
plain SQL on the driver connection (``Database.write_plain``).

Invariants: each function does what its SQLAlchemy twin in ``queue`` does, statement for
statement (same SQL semantics, same stored text: ``plain``), inside the caller's ``BEGIN
IMMEDIATE`` transaction; ids go in as parameters, never into the SQL text.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from legato.store import rules
from legato.store.protocols import LOCK_TIMEOUT, StoreConflictError, StoredEvent
from legato.store.sql import plain
from legato.store.sql.database import sqlite_instant

_DUE = "(due_at IS NULL OR due_at <= ?)"

LOCK = (
    "INSERT INTO execution_locks (execution_id, executor_id, locked_at)"
    " SELECT DISTINCT c.execution_id, ?, ? FROM (SELECT execution_id FROM executor_events"
    f" WHERE {_DUE} AND execution_id NOT IN (SELECT execution_id FROM execution_locks)"
    " ORDER BY id LIMIT ?) AS c WHERE 1 = 1 ORDER BY c.execution_id"
    " ON CONFLICT (execution_id) DO NOTHING RETURNING execution_id"
)

CLAIM_JOBS = (
    "UPDATE worker_jobs SET claimed_by = ?, claimed_at = ? WHERE seq IN (SELECT seq FROM"
    " worker_jobs WHERE claimed_by IS NULL ORDER BY seq LIMIT ?)"
    " RETURNING seq, id, execution_id, task_run_id, payload"
)

OWNED_EVENTS = (
    "SELECT e.id, e.execution_id, e.payload, e.due_at FROM executor_events AS e"
    " JOIN execution_locks AS l ON l.execution_id = e.execution_id"
    f" WHERE l.executor_id = ? AND {_DUE.replace('due_at', 'e.due_at')} ORDER BY e.id"
)

Claimed = list[tuple[str, str, list[StoredEvent]]]


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def instant(text: str | None) -> datetime | None:
    """A stored instant (``sqlite_instant`` text) as an aware UTC datetime."""
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def claim_events(db: Any, executor_id: str, now: datetime, limit: int, sweep: bool) -> Claimed:
    """Lock executions with due events; (id, document, events) per locked execution."""
    stamp = sqlite_instant(now)
    if sweep:
        db.execute(
            "DELETE FROM execution_locks WHERE locked_at < ?",
            (sqlite_instant(now - LOCK_TIMEOUT),),
        )
    locked = [row[0] for row in db.execute(LOCK, (executor_id, stamp, stamp, limit))]
    return _load(db, locked, stamp) if locked else []


def _load(db: Any, locked: list[str], stamp: str) -> Claimed:
    grouped: dict[str, list[StoredEvent]] = {}
    events = db.execute(
        "SELECT id, execution_id, payload, due_at FROM executor_events"
        f" WHERE execution_id IN ({_marks(len(locked))}) AND {_DUE} ORDER BY id",
        (*locked, stamp),
    )
    for event_id, execution_id, payload, due_at in events:
        event = StoredEvent(event_id, execution_id, rules.loads(payload), instant(due_at))
        grouped.setdefault(execution_id, []).append(event)
    found = db.execute(
        f"SELECT id, document FROM executions WHERE id IN ({_marks(len(locked))})", locked
    )
    documents: dict[str, str] = dict(found.fetchall())
    orphans = [i for i in locked if i not in documents or i not in grouped]
    plain.delete(db, "execution_locks", "execution_id", orphans)
    return [(i, documents[i], evs) for i, evs in grouped.items() if i in documents]


def change_lock(db: Any, execution_id: str, holder: str | None, keep_at: datetime | None) -> int:
    """Delete the execution's lock, or move its time to ``keep_at``; with ``holder``, only a
    lock that executor holds. The number of locks changed (0 or 1)."""
    if keep_at is None:
        sql, params = "DELETE FROM execution_locks WHERE execution_id = ?", [execution_id]
    else:
        sql = "UPDATE execution_locks SET locked_at = ? WHERE execution_id = ?"
        params = [sqlite_instant(keep_at), execution_id]
    if holder is not None:
        sql += " AND executor_id = ?"
        params.append(holder)
    return int(db.execute(sql, params).rowcount)


def update_document(db: Any, execution_id: str, document: str) -> bool:
    """Store ``document`` as the execution's JSON, leaving its other columns; False when the
    execution has no row."""
    cursor = db.execute("UPDATE executions SET document = ? WHERE id = ?", (document, execution_id))
    return bool(cursor.rowcount)


def insert_rows(db: Any, table: str, rows: list[dict[str, Any]], what: str, key: str) -> None:
    """Insert new rows; StoreConflictError when one's ``key`` exists (caller rolls back)."""
    try:
        plain.insert(db, table, rows)
    except sqlite3.IntegrityError as error:
        ids = [row[key] for row in rows]
        raise StoreConflictError(f"{what} among {ids} already exists") from error


def claim_jobs(db: Any, worker_id: str, at: datetime, limit: int) -> list[tuple[Any, ...]]:
    """Claim up to ``limit`` free jobs: (seq, id, execution_id, task_run_id, payload) rows."""
    rows: list[tuple[Any, ...]] = db.execute(
        CLAIM_JOBS, (worker_id, sqlite_instant(at), limit)
    ).fetchall()
    return rows

"""Prebuilt statements of the hot paths (executor claim/commit, worker claim/finish).

Why: building a SQLAlchemy statement costs ~40 µs, executing a prebuilt one ~10 µs, and a
task goes through about fifteen statements. Values come in through bind parameters
(``expanding`` ones for id lists), so each statement is built and compiled once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from legato.store.sql.schema import (
    UTCDateTime,
    execution_locks,
    executions,
    executor_events,
    logs,
    metrics,
    worker_jobs,
)

_DUE = sa.or_(executor_events.c.due_at.is_(None), executor_events.c.due_at <= sa.bindparam("now"))

DELETE_STALE_LOCKS = execution_locks.delete().where(
    execution_locks.c.locked_at < sa.bindparam("cutoff")
)

CANDIDATES = (
    sa.select(executor_events.c.execution_id)
    .where(_DUE, executor_events.c.execution_id.not_in(sa.select(execution_locks.c.execution_id)))
    .order_by(executor_events.c.id)
    .limit(sa.bindparam("limit"))
)

DUE_EVENTS = (
    sa.select(executor_events)
    .where(executor_events.c.execution_id.in_(sa.bindparam("ids", expanding=True)), _DUE)
    .order_by(executor_events.c.id)
)

DOCUMENTS = sa.select(executions.c.id, executions.c.document).where(
    executions.c.id.in_(sa.bindparam("ids", expanding=True))
)

UPDATE_DOCUMENT = (
    executions.update()
    .where(executions.c.id == sa.bindparam("saved_id"))
    .values(document=sa.bindparam("document"))
)

UNLOCK = execution_locks.delete().where(
    execution_locks.c.execution_id.in_(sa.bindparam("ids", expanding=True))
)

_LOCKED = execution_locks.c.execution_id == sa.bindparam("locked_id")
_HELD = execution_locks.c.executor_id == sa.bindparam("executor")
#: a commit's lock change: (keep, checked) -> statement (``locked_id``, ``executor``, ``at``)
_LOCK_CHANGES = {
    (False, False): execution_locks.delete().where(_LOCKED),
    (False, True): execution_locks.delete().where(_LOCKED, _HELD),
    (True, False): execution_locks.update().where(_LOCKED).values(locked_at=sa.bindparam("at")),
    (True, True): (
        execution_locks.update().where(_LOCKED, _HELD).values(locked_at=sa.bindparam("at"))
    ),
}


def lock_change(*, keep: bool, checked: bool) -> Any:
    """The statement deleting (or, with ``keep``, refreshing) an execution's lock; with
    ``checked``, only the lock held by ``executor``."""
    return _LOCK_CHANGES[(keep, checked)]


OWNED_EVENTS = (
    sa.select(executor_events)
    .join(execution_locks, execution_locks.c.execution_id == executor_events.c.execution_id)
    .where(execution_locks.c.executor_id == sa.bindparam("executor"), _DUE)
    .order_by(executor_events.c.id)
)

DELETE_EVENTS = executor_events.delete().where(
    executor_events.c.id.in_(sa.bindparam("ids", expanding=True))
)

INSERT_EVENTS = executor_events.insert()
INSERT_LOGS = logs.insert()
INSERT_METRICS = metrics.insert()
INSERT_JOBS = worker_jobs.insert()

FREE_JOBS = (
    sa.select(worker_jobs.c.seq)
    .where(worker_jobs.c.claimed_by.is_(None))
    .order_by(worker_jobs.c.seq)
    .limit(sa.bindparam("limit"))
    .with_for_update(skip_locked=True)
)

CLAIM_JOBS = (
    worker_jobs.update()
    .where(worker_jobs.c.seq.in_(FREE_JOBS.scalar_subquery()))
    .values(claimed_by=sa.bindparam("worker"), claimed_at=sa.bindparam("at"))
    .returning(
        worker_jobs.c.seq,
        worker_jobs.c.id,
        worker_jobs.c.execution_id,
        worker_jobs.c.task_run_id,
        worker_jobs.c.payload,
    )
)

DELETE_JOB = worker_jobs.delete().where(worker_jobs.c.id == sa.bindparam("job_id"))

# SQLite probes (plain SQL run on the driver connection, see ``Database.probe``)
#: any due event of an unlocked execution (parameter: now as ``sqlite_instant``)
PROBE_CANDIDATE = (
    "SELECT 1 FROM executor_events WHERE (due_at IS NULL OR due_at <= ?)"
    " AND execution_id NOT IN (SELECT execution_id FROM execution_locks) LIMIT 1"
)
PROBE_FREE_JOB = "SELECT 1 FROM worker_jobs WHERE claimed_by IS NULL LIMIT 1"
PROBE_NEXT_DUE = "SELECT min(due_at) FROM executor_events"


@dataclass(frozen=True)
class DialectStatements:
    """The statements whose SQL depends on the dialect (``ON CONFLICT`` clauses)."""

    lock: Any
    save_execution: Any


def dialect_statements(dialect: str) -> DialectStatements:
    """Prebuilt upserts for ``dialect`` (``sqlite`` or ``postgresql``)."""
    insert: Any
    if dialect == "sqlite":
        insert = sqlite.insert
    else:  # imported here: the PostgreSQL dialect package costs ~60 ms to import
        from sqlalchemy.dialects import postgresql

        insert = postgresql.insert
    # one statement picks the executions of the oldest due events and locks them; rows are
    # inserted in id order so two PostgreSQL claimers cannot deadlock on each other's rows
    candidates = CANDIDATES.subquery()
    chosen = (
        sa.select(
            candidates.c.execution_id,
            sa.bindparam("executor", type_=sa.String()),
            sa.bindparam("now", type_=UTCDateTime()),
        )
        .distinct()
        .where(sa.true())  # SQLite reads "SELECT … ON CONFLICT" ambiguously without a WHERE
        .order_by(candidates.c.execution_id)
    )
    lock = (
        insert(execution_locks)
        .from_select(["execution_id", "executor_id", "locked_at"], chosen)
        .on_conflict_do_nothing(index_elements=["execution_id"])
        .returning(execution_locks.c.execution_id)
    )
    upsert = insert(executions)
    changed = {c.name: upsert.excluded[c.name] for c in executions.c if c.name != "id"}
    save = upsert.on_conflict_do_update(index_elements=["id"], set_=changed)
    return DialectStatements(lock=lock, save_execution=save)

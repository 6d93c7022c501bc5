"""The executor's event queue with its atomic commit, and the worker job queue, in SQL.

Invariants:

* An execution is claimed by inserting its row in ``execution_locks``; the primary key makes
  the claim exclusive in both dialects (PostgreSQL: ``ON CONFLICT DO NOTHING``, SQLite: the
  ``BEGIN IMMEDIATE`` write lock). Events are read after the lock is taken, so an executor
  never sees events another executor already consumed.
* ``commit`` and ``finish`` are one transaction each: everything or nothing.
* Jobs are claimed oldest first; PostgreSQL claimers skip rows locked by each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from legato.model.execution import Execution
from legato.store import rules
from legato.store.protocols import (
    LOCK_TIMEOUT,
    LogEntry,
    MetricEntry,
    NewEvent,
    StoreConflictError,
    StoredEvent,
    WorkerJob,
)
from legato.store.sql import schema
from legato.store.sql.database import Database
from legato.store.sql.executions import (
    event_rows,
    execution_row,
    insert_executions,
    read_execution,
)
from legato.store.sql.records import log_rows, metric_rows
from legato.store.sql.schema import (
    execution_locks,
    executions,
    executor_events,
    worker_heartbeats,
    worker_jobs,
)


def _due(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(executor_events.c.due_at.is_(None), executor_events.c.due_at <= now)


class SqlExecutorStore:
    """``ExecutorStore`` over ``executor_events``, ``execution_locks`` and ``executions``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, events: Sequence[NewEvent]) -> None:
        if events:
            async with self._db.write() as conn:
                await conn.execute(executor_events.insert(), event_rows(events))

    async def claim_events(
        self, executor_id: str, now: datetime, limit: int = 100
    ) -> list[tuple[Execution, list[StoredEvent]]]:
        async with self._db.write() as conn:
            await conn.execute(
                execution_locks.delete().where(execution_locks.c.locked_at < now - LOCK_TIMEOUT)
            )
            locked = await self._lock(conn, executor_id, now, limit)
            if not locked:
                return []
            return await self._load(conn, locked, now)

    async def _lock(
        self, conn: AsyncConnection, executor_id: str, now: datetime, limit: int
    ) -> list[str]:
        candidates = (
            sa.select(executor_events.c.execution_id)
            .where(
                _due(now),
                executor_events.c.execution_id.not_in(sa.select(execution_locks.c.execution_id)),
            )
            .order_by(executor_events.c.id)
            .limit(limit)
        )
        ids = sorted(set((await conn.execute(candidates)).scalars()))
        if not ids:
            return []
        rows = [{"execution_id": i, "executor_id": executor_id, "locked_at": now} for i in ids]
        statement = (
            self._db.insert(execution_locks)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["execution_id"])
            .returning(execution_locks.c.execution_id)
        )
        return list((await conn.execute(statement)).scalars())

    async def _load(
        self, conn: AsyncConnection, locked: list[str], now: datetime
    ) -> list[tuple[Execution, list[StoredEvent]]]:
        events = await conn.execute(
            sa.select(executor_events)
            .where(executor_events.c.execution_id.in_(locked), _due(now))
            .order_by(executor_events.c.id)
        )
        grouped: dict[str, list[StoredEvent]] = {}
        for row in events:
            event = StoredEvent(row.id, row.execution_id, rules.loads(row.payload), row.due_at)
            grouped.setdefault(row.execution_id, []).append(event)
        found_documents = await conn.execute(
            sa.select(executions.c.id, executions.c.document).where(executions.c.id.in_(locked))
        )
        documents: dict[str, str] = {row.id: row.document for row in found_documents}
        orphans = [i for i in locked if i not in documents or i not in grouped]
        if orphans:
            await conn.execute(
                execution_locks.delete().where(execution_locks.c.execution_id.in_(orphans))
            )
        return [
            (read_execution(documents[i]), found) for i, found in grouped.items() if i in documents
        ]

    async def commit(
        self,
        execution: Execution,
        consumed: Sequence[int],
        *,
        jobs: Sequence[WorkerJob] = (),
        events: Sequence[NewEvent] = (),
        logs: Sequence[LogEntry] = (),
        new_executions: Sequence[Execution] = (),
    ) -> None:
        async with self._db.write() as conn:
            await self._db.upsert(conn, executions, [execution_row(execution)], ("id",))
            if consumed:
                await conn.execute(
                    executor_events.delete().where(executor_events.c.id.in_(list(consumed)))
                )
            await _insert_jobs(conn, jobs)
            await _insert(conn, executor_events, event_rows(events))
            await _insert(conn, schema.logs, log_rows(logs))
            await insert_executions(conn, new_executions)
            await conn.execute(
                execution_locks.delete().where(execution_locks.c.execution_id == execution.id)
            )

    async def release(self, executor_id: str, execution_ids: Sequence[str]) -> None:
        if not execution_ids:
            return
        async with self._db.write() as conn:
            await conn.execute(
                execution_locks.delete().where(
                    execution_locks.c.execution_id.in_(list(execution_ids)),
                    execution_locks.c.executor_id == executor_id,
                )
            )

    async def next_due(self) -> datetime | None:
        query = sa.select(sa.func.min(executor_events.c.due_at))
        async with self._db.read() as conn:
            value = (await conn.execute(query)).scalar_one_or_none()
        if value is None:
            return None
        # an aggregate loses the column type on SQLite: the value may come back as text
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


async def _insert(conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(table.insert(), rows)


async def _insert_jobs(conn: AsyncConnection, jobs: Sequence[WorkerJob]) -> None:
    if not jobs:
        return
    rows = [
        {
            "id": job.id,
            "execution_id": job.execution_id,
            "task_run_id": job.task_run_id,
            "payload": rules.dumps(job.payload),
        }
        for job in jobs
    ]
    try:
        await conn.execute(worker_jobs.insert(), rows)
    except IntegrityError as error:
        ids = [job.id for job in jobs]
        raise StoreConflictError(f"a worker job id among {ids} already exists") from error


class SqlWorkerQueue:
    """``WorkerQueue`` over ``worker_jobs`` and ``worker_heartbeats``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        at = now or datetime.now(UTC)
        free = (
            sa.select(worker_jobs.c.seq)
            .where(worker_jobs.c.claimed_by.is_(None))
            .order_by(worker_jobs.c.seq)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            worker_jobs.update()
            .where(worker_jobs.c.seq.in_(free.scalar_subquery()))
            .values(claimed_by=worker_id, claimed_at=at)
            .returning(
                worker_jobs.c.seq,
                worker_jobs.c.id,
                worker_jobs.c.execution_id,
                worker_jobs.c.task_run_id,
                worker_jobs.c.payload,
            )
        )
        async with self._db.write() as conn:
            rows = sorted((await conn.execute(statement)).all(), key=lambda row: row.seq)
        return [
            WorkerJob(
                row.id, row.execution_id, row.task_run_id, rules.loads(row.payload), worker_id
            )
            for row in rows
        ]

    async def heartbeat(self, worker_id: str, now: datetime) -> None:
        async with self._db.write() as conn:
            row = {"worker_id": worker_id, "seen_at": now}
            await self._db.upsert(conn, worker_heartbeats, [row], ("worker_id",))

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        async with self._db.write() as conn:
            deleted = await conn.execute(worker_jobs.delete().where(worker_jobs.c.id == job_id))
            if deleted.rowcount == 0:
                return
            await _insert(conn, executor_events, event_rows(events))
            await _insert(conn, schema.logs, log_rows(logs))
            await _insert(conn, schema.metrics, metric_rows(metrics))

    async def requeue_stale(self, older_than: datetime) -> int:
        beats = worker_heartbeats
        stale_workers = sa.select(beats.c.worker_id).where(beats.c.seen_at < older_than)
        silent = sa.and_(
            worker_jobs.c.claimed_by.not_in(sa.select(beats.c.worker_id)),
            worker_jobs.c.claimed_at < older_than,
        )
        statement = (
            worker_jobs.update()
            .where(
                worker_jobs.c.claimed_by.is_not(None),
                sa.or_(worker_jobs.c.claimed_by.in_(stale_workers), silent),
            )
            .values(claimed_by=None, claimed_at=None)
        )
        async with self._db.write() as conn:
            return int((await conn.execute(statement)).rowcount)

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        ids = list(task_run_ids)
        if not ids:
            return []
        async with self._db.write() as conn:
            await conn.execute(
                worker_jobs.delete().where(
                    worker_jobs.c.task_run_id.in_(ids), worker_jobs.c.claimed_by.is_(None)
                )
            )
            claimed = await conn.execute(
                sa.select(worker_jobs.c.task_run_id)
                .where(worker_jobs.c.task_run_id.in_(ids))
                .order_by(worker_jobs.c.seq)
            )
            return list(claimed.scalars())

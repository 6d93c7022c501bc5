"""The executor's event queue with its atomic commit, and the worker job queue, in SQL.

Invariants:

* An execution is claimed by inserting its row in ``execution_locks``; the primary key makes
  the claim exclusive in both dialects (PostgreSQL: ``ON CONFLICT DO NOTHING``, SQLite: the
  ``BEGIN IMMEDIATE`` write lock). Events are read after the lock is taken, so an executor
  never sees events another executor already consumed.
* ``commit`` is one transaction: everything or nothing. ``finish`` calls made while another
  runs share the next transaction (``grouping.GroupWriter``): each job's result lands whole,
  with its job's deletion, or not at all; events keep the order of the calls.
* Jobs are claimed oldest first; PostgreSQL claimers skip rows locked by each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from legato.model.execution import Execution
from legato.store import rules
from legato.store.protocols import (
    LOCK_TIMEOUT,
    JobResult,
    LockLostError,
    LogEntry,
    MetricEntry,
    NewEvent,
    StoreConflictError,
    StoredEvent,
    WorkerJob,
)
from legato.store.sql import notify, plain, plain_queue
from legato.store.sql import statements as sql
from legato.store.sql.database import Database, sqlite_instant
from legato.store.sql.documents import ExecutionDocuments, JobPayloads, shared_json
from legato.store.sql.executions import event_rows, execution_row, insert_executions
from legato.store.sql.grouping import GroupWriter
from legato.store.sql.records import log_rows, metric_rows
from legato.store.sql.schema import (
    execution_locks,
    executor_events,
    worker_heartbeats,
    worker_jobs,
)


def _insert(conn: sa.Connection, statement: sa.Insert, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(statement, rows)


class SqlExecutorStore:
    """``ExecutorStore`` over ``executor_events``, ``execution_locks`` and ``executions``."""

    def __init__(self, db: Database, payloads: JobPayloads | None = None) -> None:
        self._db = db
        self._sql = sql.dialect_statements(db.dialect)
        self._documents = ExecutionDocuments()
        self._payloads = payloads or JobPayloads()
        self._last_stale_check: datetime | None = None

    def _stale_check_due(self, now: datetime) -> bool:
        """Whether to look for stale locks now (at most every quarter of LOCK_TIMEOUT)."""
        last = self._last_stale_check
        if last is not None and last <= now < last + LOCK_TIMEOUT / 4:
            return False
        self._last_stale_check = now
        return True

    async def enqueue(self, events: Sequence[NewEvent]) -> None:
        if events:
            rows = event_rows(events)

            def enqueue(conn: sa.Connection) -> None:
                _insert(conn, sql.INSERT_EVENTS, rows)
                notify.notify(conn, notify.for_writes(events=True))

            await self._db.write(enqueue)

    async def claim_events(
        self, executor_id: str, now: datetime, limit: int = 100
    ) -> list[tuple[Execution, list[StoredEvent]]]:
        sweep = self._stale_check_due(now)

        def claim(conn: sa.Connection) -> list[tuple[str, str, list[StoredEvent]]]:
            if sweep:
                conn.execute(sql.DELETE_STALE_LOCKS, {"cutoff": now - LOCK_TIMEOUT})
            params = {"now": now, "limit": limit, "executor": executor_id}
            locked = list(conn.execute(self._sql.lock, params).scalars())
            return _load(conn, locked, now) if locked else []

        # stale locks are swept every quarter of LOCK_TIMEOUT, even by a poll that finds only
        # events behind a lock
        probe = ("SELECT 1", ()) if sweep else (sql.PROBE_CANDIDATE, (sqlite_instant(now),))
        nothing: list[tuple[str, str, list[StoredEvent]]] = []
        if self._db.is_sqlite:
            claimed = await self._db.write_plain_when(
                probe,
                lambda db: plain_queue.claim_events(db, executor_id, now, limit, sweep),
                nothing,
            )
        else:
            claimed = await self._db.write_when(probe, claim, nothing)
        return [(self._documents.read(i, document), events) for i, document, events in claimed]

    async def commit(
        self,
        execution: Execution,
        consumed: Sequence[int],
        *,
        jobs: Sequence[WorkerJob] = (),
        events: Sequence[NewEvent] = (),
        logs: Sequence[LogEntry] = (),
        new_executions: Sequence[Execution] = (),
        results: Sequence[JobResult] = (),
        holder: str | None = None,
        keep_lock_at: datetime | None = None,
    ) -> None:
        document = self._documents.write(execution)
        row = execution_row(execution, document)
        event_list = event_rows(events)
        log_list = log_rows([line for result in results for line in result.logs] + list(logs))
        metric_list = metric_rows([m for result in results for m in result.metrics])
        job_list = _job_rows(jobs)
        finished = [result.job_id for result in results]
        lock = _LockChange(execution.id, holder, keep_lock_at)
        channels = notify.for_writes(
            events=bool(event_list),
            executions=bool(new_executions),
            unclaimed_jobs=any(row["claimed_by"] is None for row in job_list),
        )

        document_only = self._documents.only_document_changed(execution)

        def commit(conn: sa.Connection) -> None:
            lock.apply(conn)
            for job_id in finished:
                if conn.execute(sql.DELETE_JOB, {"job_id": job_id}).rowcount == 0:
                    raise LockLostError(f"worker job {job_id} no longer exists (re-queued)")
            # rewriting the indexed columns with equal values still costs an upsert's insert try
            only = {"saved_id": execution.id, "document": document}
            if not (document_only and conn.execute(sql.UPDATE_DOCUMENT, only).rowcount):
                conn.execute(self._sql.save_execution, row)
            if consumed:
                conn.execute(sql.DELETE_EVENTS, {"ids": list(consumed)})
            _insert_jobs(conn, job_list)
            _insert(conn, sql.INSERT_EVENTS, event_list)
            _insert(conn, sql.INSERT_LOGS, log_list)
            _insert(conn, sql.INSERT_METRICS, metric_list)
            insert_executions(conn, new_executions)
            notify.notify(conn, channels)

        def commit_plain(db: Any) -> None:
            lock.apply_plain(db)
            if plain.delete(db, "worker_jobs", "id", finished) != len(finished):
                raise LockLostError(f"a worker job among {finished} no longer exists (re-queued)")
            # rewriting the indexed columns with equal values still rewrites their index pages
            if not (document_only and plain_queue.update_document(db, execution.id, document)):
                plain.insert(db, "executions", [row], upsert_key="id")
            plain.delete(db, "executor_events", "id", consumed)
            plain_queue.insert_rows(db, "worker_jobs", job_list, "a worker job id", "id")
            plain.insert(db, "executor_events", event_list)
            plain.insert(db, "logs", log_list)
            plain.insert(db, "metrics", metric_list)
            if new_executions:
                rows = [execution_row(e) for e in new_executions]
                plain_queue.insert_rows(db, "executions", rows, "an execution id", "id")

        if self._db.is_sqlite:
            await self._db.write_plain(commit_plain)
        else:
            await self._db.write(commit)
        self._documents.remember(document, execution)
        for job, job_row in zip(jobs, job_list, strict=True):
            if job.claimed_by is None:  # a handed-off job reaches its worker as it is
                self._payloads.remember(job.id, job_row["payload"], job.payload)

    async def owned_events(self, executor_id: str, now: datetime) -> dict[str, list[StoredEvent]]:
        if self._db.is_sqlite:
            stamp = sqlite_instant(now)
            rows = await self._db.read_plain((plain_queue.OWNED_EVENTS, (executor_id, stamp)))
            found = [
                StoredEvent(i, e, rules.loads(p), plain_queue.instant(d)) for i, e, p, d in rows
            ]
        else:
            params = {"executor": executor_id, "now": now}
            found = await self._db.read(
                lambda conn: [
                    StoredEvent(r.id, r.execution_id, rules.loads(r.payload), r.due_at)
                    for r in conn.execute(sql.OWNED_EVENTS, params)
                ]
            )
        owned: dict[str, list[StoredEvent]] = {}
        for event in found:
            owned.setdefault(event.execution_id, []).append(event)
        return owned

    async def keep_locks(
        self, executor_id: str, execution_ids: Sequence[str], now: datetime
    ) -> list[str]:
        if not execution_ids:
            return []
        mine = execution_locks.c.executor_id == executor_id
        chosen = execution_locks.c.execution_id.in_(list(execution_ids))
        refresh = execution_locks.update().where(chosen, mine).values(locked_at=now)
        held = sa.select(execution_locks.c.execution_id).where(chosen, mine)

        def keep(conn: sa.Connection) -> set[str]:
            conn.execute(refresh)
            return set(conn.execute(held).scalars())

        kept = await self._db.write(keep)
        return [i for i in execution_ids if i not in kept]

    async def release(self, executor_id: str, execution_ids: Sequence[str]) -> None:
        if not execution_ids:
            return
        statement = execution_locks.delete().where(
            execution_locks.c.execution_id.in_(list(execution_ids)),
            execution_locks.c.executor_id == executor_id,
        )

        def release(conn: sa.Connection) -> None:
            conn.execute(statement)

        await self._db.write(release)

    async def next_due(self) -> datetime | None:
        if self._db.is_sqlite:
            row = await self._db.probe((sql.PROBE_NEXT_DUE, ()))
            value = row[0] if row is not None else None
        else:
            query = sa.select(sa.func.min(executor_events.c.due_at))
            value = await self._db.read(lambda conn: conn.execute(query).scalar_one_or_none())
        if value is None:
            return None
        # an aggregate loses the column type on SQLite: the value may come back as text
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(moment, datetime)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _load(
    conn: sa.Connection, locked: list[str], now: datetime
) -> list[tuple[str, str, list[StoredEvent]]]:
    """(id, document, events) per locked execution, in the order of their first event."""
    grouped: dict[str, list[StoredEvent]] = {}
    for row in conn.execute(sql.DUE_EVENTS, {"ids": locked, "now": now}):
        event = StoredEvent(row.id, row.execution_id, rules.loads(row.payload), row.due_at)
        grouped.setdefault(row.execution_id, []).append(event)
    found = conn.execute(sql.DOCUMENTS, {"ids": locked})
    documents: dict[str, str] = {row.id: row.document for row in found}
    orphans = [i for i in locked if i not in documents or i not in grouped]
    if orphans:
        conn.execute(sql.UNLOCK, {"ids": orphans})
    return [(i, documents[i], evs) for i, evs in grouped.items() if i in documents]


@dataclass(frozen=True)
class _LockChange:
    """What a commit does with its execution's lock, as its first statement: delete it, or keep
    it with its lock time moved to ``keep_at``; with ``holder``, only a lock held by that
    executor, and LockLostError when there is none (one statement checks and changes)."""

    execution_id: str
    holder: str | None
    keep_at: datetime | None

    def _check(self, changed: int) -> None:
        if self.holder is not None and changed != 1:
            raise LockLostError(
                f"execution {self.execution_id} is no longer locked by {self.holder}"
            )

    def apply(self, conn: sa.Connection) -> None:
        lock = sql.lock_change(keep=self.keep_at is not None, checked=self.holder is not None)
        params = {"locked_id": self.execution_id, "executor": self.holder, "at": self.keep_at}
        self._check(conn.execute(lock, params).rowcount)

    def apply_plain(self, db: Any) -> None:
        self._check(plain_queue.change_lock(db, self.execution_id, self.holder, self.keep_at))


def _job_rows(jobs: Sequence[WorkerJob]) -> list[dict[str, Any]]:
    payloads = [job.payload for job in jobs]
    # sharing pays only across jobs: one payload is faster through plain dumps
    texts = shared_json(payloads) if len(payloads) > 1 else [rules.dumps(p) for p in payloads]
    return [
        {
            "id": job.id,
            "execution_id": job.execution_id,
            "task_run_id": job.task_run_id,
            "payload": text,
            # a job handed to a worker of the committing process is stored claimed
            "claimed_by": job.claimed_by,
            "claimed_at": job.claimed_at if job.claimed_by is not None else None,
        }
        for job, text in zip(jobs, texts, strict=True)
    ]


def _insert_jobs(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    try:
        conn.execute(sql.INSERT_JOBS, rows)
    except IntegrityError as error:
        ids = [row["id"] for row in rows]
        raise StoreConflictError(f"a worker job id among {ids} already exists") from error


class SqlWorkerQueue:
    """``WorkerQueue`` over ``worker_jobs`` and ``worker_heartbeats``."""

    def __init__(self, db: Database, payloads: JobPayloads | None = None) -> None:
        self._db = db
        self._payloads = payloads or JobPayloads()
        #: results reported while a transaction runs share the next one
        self._finishes: GroupWriter[_Finished] = GroupWriter(
            db.write_plain if db.is_sqlite else db.write,
            _finish_plain if db.is_sqlite else _finish_all,
        )

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        at = now or datetime.now(UTC)
        params = {"worker": worker_id, "at": at, "limit": limit}
        none: list[tuple[Any, ...]] = []
        if self._db.is_sqlite:
            rows = await self._db.write_plain_when(
                (sql.PROBE_FREE_JOB, ()),
                lambda db: plain_queue.claim_jobs(db, worker_id, at, limit),
                none,
            )
        else:
            rows = await self._db.write(
                lambda conn: [tuple(row) for row in conn.execute(sql.CLAIM_JOBS, params)]
            )
        return [
            WorkerJob(job_id, execution_id, task_run_id, self._payload(job_id, text), worker_id)
            for _, job_id, execution_id, task_run_id, text in sorted(rows)
        ]

    def _payload(self, job_id: str, text: str) -> dict[str, Any]:
        known = self._payloads.take(job_id, text)
        if known is not None:
            return known
        payload: dict[str, Any] = rules.loads(text)
        return payload

    async def heartbeat(self, worker_id: str, now: datetime) -> None:
        row = {"worker_id": worker_id, "seen_at": now}
        await self._db.write(
            lambda conn: self._db.upsert(conn, worker_heartbeats, [row], ("worker_id",))
        )

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        rows = _Finished(job_id, event_rows(events), log_rows(logs), metric_rows(metrics))
        await self._finishes.submit(rows)

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

        def requeue(conn: sa.Connection) -> int:
            count = int(conn.execute(statement).rowcount)
            notify.notify(conn, notify.for_writes(unclaimed_jobs=count > 0))
            return count

        return await self._db.write(requeue)

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        ids = list(task_run_ids)
        if not ids:
            return []

        def cancel(conn: sa.Connection) -> list[str]:
            conn.execute(
                worker_jobs.delete().where(
                    worker_jobs.c.task_run_id.in_(ids), worker_jobs.c.claimed_by.is_(None)
                )
            )
            conn.execute(
                worker_jobs.update()
                .where(worker_jobs.c.task_run_id.in_(ids))
                .values(kill_requested=True)
            )
            claimed = conn.execute(
                sa.select(worker_jobs.c.task_run_id)
                .where(worker_jobs.c.task_run_id.in_(ids))
                .order_by(worker_jobs.c.seq)
            )
            return list(claimed.scalars())

        return await self._db.write(cancel)

    async def killed(self, worker_id: str) -> list[str]:
        query = (
            sa.select(worker_jobs.c.task_run_id)
            .where(worker_jobs.c.claimed_by == worker_id, worker_jobs.c.kill_requested)
            .order_by(worker_jobs.c.seq)
        )
        return await self._db.read(lambda conn: list(conn.execute(query).scalars()))


@dataclass(frozen=True)
class _Finished:
    """The rows a job's ``finish`` writes."""

    job_id: str
    events: list[dict[str, Any]]
    logs: list[dict[str, Any]]
    metrics: list[dict[str, Any]]


def _finish_all(conn: sa.Connection, finished: list[_Finished]) -> None:
    """Delete the jobs and store their results; a job already gone (finished before, or
    re-queued and claimed again) keeps its results out."""
    events: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for rows in finished:
        if conn.execute(sql.DELETE_JOB, {"job_id": rows.job_id}).rowcount == 0:
            continue
        events.extend(rows.events)
        logs.extend(rows.logs)
        metrics.extend(rows.metrics)
    _insert(conn, sql.INSERT_EVENTS, events)
    _insert(conn, sql.INSERT_LOGS, logs)
    _insert(conn, sql.INSERT_METRICS, metrics)
    notify.notify(conn, notify.for_writes(events=bool(events)))


def _finish_plain(db: Any, finished: list[_Finished]) -> None:
    """``_finish_all`` in plain SQL (SQLite)."""
    events: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for rows in finished:
        if plain.delete(db, "worker_jobs", "id", [rows.job_id]) == 0:
            continue
        events.extend(rows.events)
        logs.extend(rows.logs)
        metrics.extend(rows.metrics)
    plain.insert(db, "executor_events", events)
    plain.insert(db, "logs", logs)
    plain.insert(db, "metrics", metrics)

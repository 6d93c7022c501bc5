"""Logs, metrics and KV entries in SQL.

Invariants: logs come back in timestamp order (insertion order for equal timestamps); a KV
entry past its expiration date is never returned, and reading it deletes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from legato.store import rules
from legato.store.protocols import KVEntry, LogEntry, MetricEntry
from legato.store.sql.database import Database
from legato.store.sql.schema import kv, logs, metrics


def log_rows(entries: Sequence[LogEntry]) -> list[dict[str, Any]]:
    return [
        {
            "execution_id": e.execution_id,
            "timestamp": e.timestamp,
            "level": e.level,
            "level_rank": rules.level_rank(e.level),
            "message": e.message,
            "namespace": e.namespace,
            "flow_id": e.flow_id,
            "task_id": e.task_id,
            "task_run_id": e.task_run_id,
            "attempt_number": e.attempt_number,
            "trigger_id": e.trigger_id,
        }
        for e in entries
    ]


def metric_rows(entries: Sequence[MetricEntry]) -> list[dict[str, Any]]:
    return [
        {
            "execution_id": m.execution_id,
            "task_run_id": m.task_run_id,
            "name": m.name,
            "type": m.type,
            "value": m.value,
            "timestamp": m.timestamp,
            "tags": rules.dumps(m.tags),
            "namespace": m.namespace,
            "flow_id": m.flow_id,
            "task_id": m.task_id,
        }
        for m in entries
    ]


def _log_entry(row: Any) -> LogEntry:
    return LogEntry(
        execution_id=row.execution_id,
        timestamp=row.timestamp,
        level=row.level,
        message=row.message,
        namespace=row.namespace,
        flow_id=row.flow_id,
        task_id=row.task_id,
        task_run_id=row.task_run_id,
        attempt_number=row.attempt_number,
        trigger_id=row.trigger_id,
    )


def _metric_entry(row: Any) -> MetricEntry:
    return MetricEntry(
        execution_id=row.execution_id,
        task_run_id=row.task_run_id,
        name=row.name,
        type=row.type,
        value=row.value,
        timestamp=row.timestamp,
        tags=rules.loads(row.tags),
        namespace=row.namespace,
        flow_id=row.flow_id,
        task_id=row.task_id,
    )


def _kv_entry(row: Any) -> KVEntry:
    return KVEntry(
        namespace=row.namespace,
        key=row.key,
        value=rules.loads(row.value),
        type=row.type,
        creation_date=row.creation_date,
        update_date=row.update_date,
        expiration_date=row.expiration_date,
    )


def _insert(table: sa.Table, rows: list[dict[str, Any]]) -> Callable[[sa.Connection], None]:
    def insert(conn: sa.Connection) -> None:
        if rows:
            conn.execute(table.insert(), rows)

    return insert


def _delete(statement: sa.Delete) -> Callable[[sa.Connection], int]:
    return lambda conn: int(conn.execute(statement).rowcount)


class SqlLogs:
    """``LogRepository`` over the ``logs`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def append(self, entries: Sequence[LogEntry]) -> None:
        if entries:
            await self._db.write(_insert(logs, log_rows(entries)))

    async def find(
        self,
        execution_id: str,
        *,
        min_level: str | None = None,
        task_run_id: str | None = None,
        task_id: str | None = None,
        attempt: int | None = None,
    ) -> list[LogEntry]:
        query = sa.select(logs).where(logs.c.execution_id == execution_id)
        if min_level is not None:
            query = query.where(logs.c.level_rank >= rules.level_rank(min_level))
        if task_run_id is not None:
            query = query.where(logs.c.task_run_id == task_run_id)
        if task_id is not None:
            query = query.where(logs.c.task_id == task_id)
        if attempt is not None:
            query = query.where(logs.c.attempt_number == attempt)
        query = query.order_by(logs.c.timestamp, logs.c.seq)
        return await self._db.read(lambda conn: [_log_entry(r) for r in conn.execute(query)])

    async def delete(self, execution_id: str) -> int:
        statement = logs.delete().where(logs.c.execution_id == execution_id)
        return await self._db.write(_delete(statement))


class SqlMetrics:
    """``MetricRepository`` over the ``metrics`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def append(self, entries: Sequence[MetricEntry]) -> None:
        if entries:
            await self._db.write(_insert(metrics, metric_rows(entries)))

    async def find(self, execution_id: str) -> list[MetricEntry]:
        query = (
            sa.select(metrics)
            .where(metrics.c.execution_id == execution_id)
            .order_by(metrics.c.timestamp, metrics.c.seq)
        )
        return await self._db.read(lambda conn: [_metric_entry(r) for r in conn.execute(query)])

    async def delete(self, execution_id: str) -> int:
        statement = metrics.delete().where(metrics.c.execution_id == execution_id)
        return await self._db.write(_delete(statement))


class SqlKV:
    """``KVStore`` over the ``kv`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, namespace: str, key: str, now: datetime) -> KVEntry | None:
        where = (kv.c.namespace == namespace, kv.c.key == key)
        row = await self._db.read(lambda conn: conn.execute(sa.select(kv).where(*where)).first())
        if row is None:
            return None
        entry = _kv_entry(row)
        if entry.expiration_date is not None and entry.expiration_date <= now:
            await self._db.write(_delete(kv.delete().where(*where, kv.c.expiration_date <= now)))
            return None
        return entry

    async def put(self, entry: KVEntry) -> None:
        row = {
            "namespace": entry.namespace,
            "key": entry.key,
            "value": rules.dumps(entry.value),
            "type": entry.type,
            "creation_date": entry.creation_date,
            "update_date": entry.update_date,
            "expiration_date": entry.expiration_date,
        }
        await self._db.write(lambda conn: self._db.upsert(conn, kv, [row], ("namespace", "key")))

    async def delete(self, namespace: str, key: str) -> bool:
        statement = kv.delete().where(kv.c.namespace == namespace, kv.c.key == key)
        return await self._db.write(_delete(statement)) > 0

    async def list(self, namespace: str, now: datetime, prefix: str | None = None) -> list[KVEntry]:
        query = sa.select(kv).where(
            kv.c.namespace == namespace,
            sa.or_(kv.c.expiration_date.is_(None), kv.c.expiration_date > now),
        )
        if prefix:
            query = query.where(kv.c.key.startswith(prefix, autoescape=True))
        query = query.order_by(self._db.by_code_point(kv.c.key))
        return await self._db.read(lambda conn: [_kv_entry(r) for r in conn.execute(query)])

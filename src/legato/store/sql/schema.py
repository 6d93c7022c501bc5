"""The SQL schema (SQLAlchemy Core tables) shared by SQLite and PostgreSQL.

Invariants: documents (executions, event and job payloads, KV values, metric tags) are JSON
text, identical in both dialects; the columns next to them are copies kept for filtering and
ordering. Instants are stored in UTC and always read back timezone-aware. The migrations in
``migrations/versions`` create exactly these tables; a change here needs a new migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """An instant: UTC on the way in, timezone-aware (UTC) on the way out."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value} cannot be stored: give it a timezone")
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


#: a 64-bit serial on PostgreSQL; SQLite needs INTEGER for its auto-incrementing row id
Serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

metadata = sa.MetaData()

flows = sa.Table(
    "flows",
    metadata,
    sa.Column("namespace", sa.String(255), primary_key=True),
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("revision", sa.Integer, primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("updated", UTCDateTime),
)

executions = sa.Table(
    "executions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("namespace", sa.String(255), nullable=False),
    sa.Column("flow_id", sa.String(255), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("start_date", UTCDateTime, nullable=False),
    sa.Column("end_date", UTCDateTime),
    sa.Column("labels", sa.Text, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("ix_executions_flow_state", "namespace", "flow_id", "state"),
    sa.Index("ix_executions_start", "start_date"),
    sa.Index("ix_executions_state", "state"),
)

execution_locks = sa.Table(
    "execution_locks",
    metadata,
    sa.Column("execution_id", sa.String(64), primary_key=True),
    sa.Column("executor_id", sa.String(255), nullable=False),
    sa.Column("locked_at", UTCDateTime, nullable=False),
)

executor_events = sa.Table(
    "executor_events",
    metadata,
    sa.Column("id", Serial, primary_key=True, autoincrement=True),
    sa.Column("execution_id", sa.String(64), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("due_at", UTCDateTime),
    sa.Index("ix_executor_events_execution", "execution_id"),
    sa.Index("ix_executor_events_due", "due_at"),
)

worker_jobs = sa.Table(
    "worker_jobs",
    metadata,
    sa.Column("seq", Serial, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("execution_id", sa.String(64), nullable=False),
    sa.Column("task_run_id", sa.String(64), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("claimed_by", sa.String(255)),
    sa.Column("claimed_at", UTCDateTime),
    #: the executor asked the claiming worker to kill the job's task run (``cancel``)
    sa.Column("kill_requested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_worker_jobs_claimed", "claimed_by"),
    sa.Index("ix_worker_jobs_task_run", "task_run_id"),
)

worker_heartbeats = sa.Table(
    "worker_heartbeats",
    metadata,
    sa.Column("worker_id", sa.String(255), primary_key=True),
    sa.Column("seen_at", UTCDateTime, nullable=False),
)

logs = sa.Table(
    "logs",
    metadata,
    sa.Column("seq", Serial, primary_key=True, autoincrement=True),
    sa.Column("execution_id", sa.String(64), nullable=False),
    sa.Column("timestamp", UTCDateTime, nullable=False),
    sa.Column("level", sa.String(8), nullable=False),
    sa.Column("level_rank", sa.SmallInteger, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("namespace", sa.String(255), nullable=False),
    sa.Column("flow_id", sa.String(255), nullable=False),
    sa.Column("task_id", sa.String(255)),
    sa.Column("task_run_id", sa.String(64)),
    sa.Column("attempt_number", sa.Integer),
    sa.Column("trigger_id", sa.String(255)),
    sa.Index("ix_logs_execution", "execution_id", "timestamp"),
)

metrics = sa.Table(
    "metrics",
    metadata,
    sa.Column("seq", Serial, primary_key=True, autoincrement=True),
    sa.Column("execution_id", sa.String(64), nullable=False),
    sa.Column("task_run_id", sa.String(64)),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("timestamp", UTCDateTime, nullable=False),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("namespace", sa.String(255), nullable=False),
    sa.Column("flow_id", sa.String(255), nullable=False),
    sa.Column("task_id", sa.String(255)),
    sa.Index("ix_metrics_execution", "execution_id"),
)

kv = sa.Table(
    "kv",
    metadata,
    sa.Column("namespace", sa.String(255), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("creation_date", UTCDateTime, nullable=False),
    sa.Column("update_date", UTCDateTime, nullable=False),
    sa.Column("expiration_date", UTCDateTime),
)

"""SQL adapters of the store ports (SQLAlchemy Core over async engines), shared by the SQLite
and PostgreSQL dialect adapters; ``build_store`` wires them over one ``Database``."""

from __future__ import annotations

from legato._kernel.clock import Clock
from legato.store.bundle import Store
from legato.store.sql.database import Database
from legato.store.sql.documents import JobPayloads
from legato.store.sql.executions import SqlExecutions
from legato.store.sql.flows import SqlFlows
from legato.store.sql.queue import SqlExecutorStore, SqlWorkerQueue
from legato.store.sql.records import SqlKV, SqlLogs, SqlMetrics


def build_store(db: Database, clock: Clock, url: str) -> Store:
    """Every port over ``db``; closing the store disposes of its engine. The executor store
    and the worker queue share the payloads of the jobs queued in this process."""
    payloads = JobPayloads()
    return Store(
        flows=SqlFlows(db, clock),
        executions=SqlExecutions(db),
        executor=SqlExecutorStore(db, payloads),
        worker_queue=SqlWorkerQueue(db, payloads),
        logs=SqlLogs(db),
        metrics=SqlMetrics(db),
        kv=SqlKV(db),
        url=url,
        closer=db.dispose,
    )


__all__ = ["Database", "build_store"]

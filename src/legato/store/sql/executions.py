"""Executions in SQL: the Kestra JSON document plus the columns searches filter on.

Invariants: ``execution_row`` derives every column from the document, so the columns never
disagree with it; searches order by start date then id, newest first; a namespace filter also
matches child namespaces (Kestra's prefix semantics).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from legato.model.execution import Execution, StateType
from legato.store import rules
from legato.store.protocols import ExecutionQuery, NewEvent, StoreConflictError
from legato.store.sql import notify
from legato.store.sql.database import Database
from legato.store.sql.documents import read_execution
from legato.store.sql.schema import execution_locks, executions, executor_events


def execution_row(execution: Execution, document: str | None = None) -> dict[str, Any]:
    """The ``executions`` row of ``execution`` (whose JSON is ``document`` when given)."""
    state = execution.state
    return {
        "id": execution.id,
        "namespace": execution.namespace,
        "flow_id": execution.flowId,
        "state": state.current.value,
        "start_date": state.startDate,
        "end_date": state.endDate,
        "labels": rules.labels_text(execution.labels),
        # the same JSON as ``to_json``, serialized by pydantic-core (faster than json.dumps)
        "document": document or execution.model_dump_json(by_alias=True, exclude_none=True),
    }


def event_rows(events: Sequence[NewEvent]) -> list[dict[str, Any]]:
    return [
        {"execution_id": e.execution_id, "payload": rules.dumps(e.payload), "due_at": e.due_at}
        for e in events
    ]


def insert_executions(conn: sa.Connection, items: Sequence[Execution]) -> None:
    """Insert new executions; StoreConflictError when an id exists (caller rolls back)."""
    if not items:
        return
    try:
        conn.execute(executions.insert(), [execution_row(e) for e in items])
    except IntegrityError as error:
        ids = [e.id for e in items]
        raise StoreConflictError(f"an execution id among {ids} already exists") from error


_PLAIN_DOCUMENT = "SELECT document FROM executions WHERE id = ?"


class SqlExecutions:
    """``ExecutionRepository`` over the ``executions`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, execution_id: str) -> Execution | None:
        if self._db.is_sqlite:  # plain SQL: followers read executions often
            rows = await self._db.read_plain((_PLAIN_DOCUMENT, (execution_id,)))
            document = rows[0][0] if rows else None
        else:
            query = sa.select(executions.c.document).where(executions.c.id == execution_id)
            document = await self._db.read(lambda conn: conn.execute(query).scalar_one_or_none())
        return read_execution(document) if document is not None else None

    async def create(self, execution: Execution, events: Sequence[NewEvent] = ()) -> None:
        def create(conn: sa.Connection) -> None:
            insert_executions(conn, [execution])
            if events:
                conn.execute(executor_events.insert(), event_rows(events))
            notify.notify(conn, notify.for_writes(executions=True))

        await self._db.write(create)

    async def search(self, query: ExecutionQuery) -> tuple[list[Execution], int]:
        where = _filters(query)
        page = (
            sa.select(executions.c.document)
            .where(*where)
            .order_by(executions.c.start_date.desc(), executions.c.id.desc())
            .limit(query.size)
            .offset((query.page - 1) * query.size)
        )
        count = sa.select(sa.func.count()).select_from(executions).where(*where)

        def search(conn: sa.Connection) -> tuple[list[str], int]:
            documents = list(conn.execute(page).scalars())
            return documents, int(conn.execute(count).scalar_one())

        documents, total = await self._db.read(search)
        return [read_execution(d) for d in documents], total

    async def unfinished(self) -> list[str]:
        terminal = [s.value for s in StateType if s.is_terminal]
        query = sa.select(executions.c.id).where(executions.c.state.not_in(terminal))
        return await self._db.read(lambda conn: list(conn.execute(query).scalars()))

    async def count_running(self, namespace: str, flow_id: str) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(executions)
            .where(
                executions.c.namespace == namespace,
                executions.c.flow_id == flow_id,
                executions.c.state.in_([s.value for s in rules.RUNNING_STATES]),
            )
        )
        return await self._db.read(lambda conn: int(conn.execute(query).scalar_one()))

    async def oldest_queued(self, namespace: str, flow_id: str) -> str | None:
        query = (
            sa.select(executions.c.id)
            .where(
                executions.c.namespace == namespace,
                executions.c.flow_id == flow_id,
                executions.c.state == StateType.QUEUED.value,
            )
            .order_by(executions.c.start_date, executions.c.id)
            .limit(1)
        )
        found: str | None = await self._db.read(
            lambda conn: conn.execute(query).scalar_one_or_none()
        )
        return found

    async def delete(self, execution_id: str) -> bool:
        def delete(conn: sa.Connection) -> bool:
            conn.execute(
                execution_locks.delete().where(execution_locks.c.execution_id == execution_id)
            )
            result = conn.execute(executions.delete().where(executions.c.id == execution_id))
            return result.rowcount > 0

        return await self._db.write(delete)


def _filters(query: ExecutionQuery) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if query.namespace is not None:
        where.append(
            sa.or_(
                executions.c.namespace == query.namespace,
                executions.c.namespace.startswith(query.namespace + ".", autoescape=True),
            )
        )
    if query.flow_id is not None:
        where.append(executions.c.flow_id == query.flow_id)
    if query.states is not None:
        where.append(executions.c.state.in_([StateType(s).value for s in query.states]))
    for key, value in (query.labels or {}).items():
        where.append(executions.c.labels.contains(rules.label_token(key, value), autoescape=True))
    if query.start_after is not None:
        where.append(executions.c.start_date >= query.start_after)
    if query.start_before is not None:
        where.append(executions.c.start_date <= query.start_before)
    return where

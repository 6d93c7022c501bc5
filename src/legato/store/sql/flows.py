"""Flows in SQL: one row per revision, the latest revision being the flow.

Invariants: revisions of a flow are 1, 2, 3… without gaps; saving the latest source again
writes nothing; deleting writes a revision marked deleted with the last source; two savers
racing on one revision number cannot both win (primary key), the loser retries once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from legato._kernel.clock import Clock
from legato.store.protocols import FlowRecord
from legato.store.sql.database import Database
from legato.store.sql.schema import flows

_LATEST = sa.select(
    flows.c.namespace, flows.c.id, sa.func.max(flows.c.revision).label("revision")
).group_by(flows.c.namespace, flows.c.id)


def _record(row: Any) -> FlowRecord:
    return FlowRecord(
        namespace=row.namespace,
        id=row.id,
        revision=row.revision,
        source=row.source,
        deleted=bool(row.deleted),
        updated=row.updated,
    )


class SqlFlows:
    """``FlowRepository`` over the ``flows`` table."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def save(self, namespace: str, flow_id: str, source: str) -> FlowRecord:
        def save(conn: sa.Connection) -> FlowRecord:
            last = _latest(conn, namespace, flow_id)
            if last is not None and not last.deleted and last.source == source:
                return last
            revision = (last.revision if last else 0) + 1
            record = FlowRecord(namespace, flow_id, revision, source, False, self._clock.now())
            _insert(conn, record)
            return record

        try:
            return await self._db.write(save)
        except IntegrityError:
            return await self._db.write(save)

    async def get(
        self, namespace: str, flow_id: str, revision: int | None = None
    ) -> FlowRecord | None:
        if self._db.is_sqlite:
            return await self._get_plain(namespace, flow_id, revision)

        def get(conn: sa.Connection) -> FlowRecord | None:
            if revision is None:
                last = _latest(conn, namespace, flow_id)
                return last if last is not None and not last.deleted else None
            query = sa.select(flows).where(
                flows.c.namespace == namespace,
                flows.c.id == flow_id,
                flows.c.revision == revision,
            )
            row = conn.execute(query).first()
            return _record(row) if row is not None else None

        return await self._db.read(get)

    async def _get_plain(
        self, namespace: str, flow_id: str, revision: int | None
    ) -> FlowRecord | None:
        """``get`` on SQLite in plain SQL (every new execution reads its flow's latest)."""
        if revision is None:
            rows = await self._db.read_plain((_PLAIN_LATEST, (namespace, flow_id)))
        else:
            rows = await self._db.read_plain((_PLAIN_REVISION, (namespace, flow_id, revision)))
        if not rows:
            return None
        record = _plain_record(rows[0])
        return None if revision is None and record.deleted else record

    async def revisions(self, namespace: str, flow_id: str) -> list[FlowRecord]:
        query = (
            sa.select(flows)
            .where(flows.c.namespace == namespace, flows.c.id == flow_id)
            .order_by(flows.c.revision)
        )
        return await self._db.read(lambda conn: [_record(row) for row in conn.execute(query)])

    async def list(self, namespace: str | None = None) -> list[FlowRecord]:
        latest = _LATEST.subquery()
        query = (
            sa.select(flows)
            .join(
                latest,
                sa.and_(
                    flows.c.namespace == latest.c.namespace,
                    flows.c.id == latest.c.id,
                    flows.c.revision == latest.c.revision,
                ),
            )
            .where(flows.c.deleted.is_(False))
            .order_by(self._db.by_code_point(flows.c.namespace), self._db.by_code_point(flows.c.id))
        )
        if namespace is not None:
            query = query.where(
                sa.or_(
                    flows.c.namespace == namespace,
                    flows.c.namespace.startswith(namespace + ".", autoescape=True),
                )
            )
        return await self._db.read(lambda conn: [_record(row) for row in conn.execute(query)])

    async def delete(self, namespace: str, flow_id: str) -> FlowRecord | None:
        def delete(conn: sa.Connection) -> FlowRecord | None:
            last = _latest(conn, namespace, flow_id)
            if last is None or last.deleted:
                return None
            revision = last.revision + 1
            record = FlowRecord(namespace, flow_id, revision, last.source, True, self._clock.now())
            _insert(conn, record)
            return record

        return await self._db.write(delete)


_PLAIN_COLUMNS = "SELECT namespace, id, revision, source, deleted, updated FROM flows"
_PLAIN_LATEST = f"{_PLAIN_COLUMNS} WHERE namespace = ? AND id = ? ORDER BY revision DESC LIMIT 1"
_PLAIN_REVISION = f"{_PLAIN_COLUMNS} WHERE namespace = ? AND id = ? AND revision = ?"


def _plain_record(row: tuple[Any, ...]) -> FlowRecord:
    namespace, flow_id, revision, source, deleted, updated = row
    moment = None if updated is None else datetime.fromisoformat(updated).replace(tzinfo=UTC)
    return FlowRecord(namespace, flow_id, revision, source, bool(deleted), moment)


def _latest(conn: sa.Connection, namespace: str, flow_id: str) -> FlowRecord | None:
    query = (
        sa.select(flows)
        .where(flows.c.namespace == namespace, flows.c.id == flow_id)
        .order_by(flows.c.revision.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    return _record(row) if row is not None else None


def _insert(conn: sa.Connection, record: FlowRecord) -> None:
    conn.execute(
        flows.insert().values(
            namespace=record.namespace,
            id=record.id,
            revision=record.revision,
            source=record.source,
            deleted=record.deleted,
            updated=record.updated,
        )
    )

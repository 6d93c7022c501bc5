"""Plain SQLite writes: rows read back through SQLAlchemy as if SQLAlchemy had written them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from legato.store.sql import plain
from legato.store.sql.schema import executions, executor_events, metadata

DUE = datetime(2024, 5, 1, 3, 4, 5, 123456, tzinfo=UTC)


@pytest.fixture
def engine() -> sa.Engine:
    engine = sa.create_engine("sqlite+pysqlite://")
    metadata.create_all(engine)
    return engine


def _row(execution_id: str, state: str) -> dict[str, object]:
    return {
        "id": execution_id,
        "namespace": "ns",
        "flow_id": "f",
        "state": state,
        "start_date": DUE,
        "end_date": None,
        "labels": "",
        "document": "{}",
    }


def test_inserted_instants_read_back_like_sqlalchemy_ones(engine: sa.Engine) -> None:
    later = datetime(2024, 5, 1, 5, 4, 6, tzinfo=timezone(timedelta(hours=2)))
    with engine.begin() as conn:
        plain.insert(
            plain.driver(conn),
            "executor_events",
            [
                {"execution_id": "e1", "payload": "{}", "due_at": DUE},
                {"execution_id": "e1", "payload": "{}", "due_at": later},
            ],
        )
        conn.execute(
            executor_events.insert(), {"execution_id": "e2", "payload": "{}", "due_at": DUE}
        )
    with engine.connect() as conn:
        rows = conn.execute(sa.select(executor_events).order_by(executor_events.c.id)).all()
        raw = conn.exec_driver_sql("SELECT due_at FROM executor_events ORDER BY id").all()
    assert [row.due_at for row in rows] == [DUE, datetime(2024, 5, 1, 3, 4, 6, tzinfo=UTC), DUE]
    assert raw[0] == raw[2]  # the very text SQLAlchemy writes


def test_naive_instants_are_refused(engine: sa.Engine) -> None:
    with engine.begin() as conn, pytest.raises(ValueError, match="naive datetime"):
        plain.insert(
            plain.driver(conn),
            "executor_events",
            [{"execution_id": "e1", "payload": "{}", "due_at": datetime(2024, 5, 1)}],
        )


def test_upsert_replaces_the_row_with_the_same_key(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        plain.insert(plain.driver(conn), "executions", [_row("e1", "CREATED")], upsert_key="id")
        plain.insert(plain.driver(conn), "executions", [_row("e1", "RUNNING")], upsert_key="id")
    with engine.connect() as conn:
        states = conn.execute(sa.select(executions.c.id, executions.c.state)).all()
    assert [tuple(row) for row in states] == [("e1", "RUNNING")]


def test_delete_counts_rows_across_chunks(engine: sa.Engine) -> None:
    rows = [{"execution_id": f"e{n}", "payload": "{}", "due_at": None} for n in range(1200)]
    with engine.begin() as conn:
        plain.insert(plain.driver(conn), "executor_events", rows)
        ids = list(conn.execute(sa.select(executor_events.c.id)).scalars())
        assert plain.delete(plain.driver(conn), "executor_events", "id", ids[:1100]) == 1100
        assert plain.delete(plain.driver(conn), "executor_events", "id", ids[:5]) == 0
        assert plain.delete(plain.driver(conn), "executor_events", "id", []) == 0
        left = conn.execute(sa.select(sa.func.count()).select_from(executor_events)).scalar()
    assert left == 100


def test_statements_roll_back_with_the_transaction(engine: sa.Engine) -> None:
    with pytest.raises(RuntimeError), engine.begin() as conn:
        plain.insert(plain.driver(conn), "executions", [_row("e1", "CREATED")], upsert_key="id")
        raise RuntimeError("abort")
    with engine.connect() as conn:
        assert conn.execute(sa.select(executions.c.id)).all() == []

"""LogRepository, MetricRepository and KVStore contracts."""

from __future__ import annotations

from dataclasses import replace

import pytest
from store_contract_support import START, at

from legato.store.bundle import Store
from legato.store.protocols import KVEntry, LogEntry, MetricEntry

pytestmark = pytest.mark.anyio


def _line(message: str, second: float, level: str = "INFO", **fields: object) -> LogEntry:
    return LogEntry(
        execution_id=str(fields.pop("execution_id", "e1")),
        timestamp=at(second),
        level=level,
        message=message,
        namespace="company.team",
        flow_id="hello",
        **fields,  # type: ignore[arg-type]
    )


async def test_logs_filter_by_level_task_run_task_and_attempt(store: Store) -> None:
    lines = [
        _line("b", 2, "DEBUG", task_id="t1", task_run_id="r1", attempt_number=1),
        _line("a", 1, "INFO", task_id="t1", task_run_id="r1", attempt_number=1),
        _line("c", 3, "WARN", task_id="t1", task_run_id="r1", attempt_number=2),
        _line("d", 4, "ERROR", task_id="t2", task_run_id="r2", attempt_number=1),
        _line("x", 5, "ERROR", execution_id="e2"),
    ]
    await store.logs.append(lines)
    await store.logs.append([])
    assert [m.message for m in await store.logs.find("e1")] == ["a", "b", "c", "d"]
    assert await store.logs.find("e1") == sorted(lines[:4], key=lambda m: m.timestamp)
    assert [m.message for m in await store.logs.find("e1", min_level="INFO")] == ["a", "c", "d"]
    assert [m.message for m in await store.logs.find("e1", min_level="WARN")] == ["c", "d"]
    assert [m.message for m in await store.logs.find("e1", task_run_id="r1")] == ["a", "b", "c"]
    assert [m.message for m in await store.logs.find("e1", task_id="t2")] == ["d"]
    assert [m.message for m in await store.logs.find("e1", task_id="t1", attempt=2)] == ["c"]
    assert await store.logs.delete("e1") == 4
    assert await store.logs.find("e1") == []
    assert [m.message for m in await store.logs.find("e2")] == ["x"]


async def test_logs_with_equal_timestamps_keep_insertion_order(store: Store) -> None:
    await store.logs.append([_line(str(n), 1) for n in range(5)])
    assert [m.message for m in await store.logs.find("e1")] == ["0", "1", "2", "3", "4"]


async def test_metrics(store: Store) -> None:
    points = [
        MetricEntry("e1", "r1", "rows", "counter", 2.0, at(2), {"table": "a"}, "ns", "f", "t"),
        MetricEntry("e1", None, "duration", "timer", 0.25, at(1)),
        MetricEntry("e2", "r9", "rows", "counter", 7.0, at(1)),
    ]
    await store.metrics.append(points)
    assert await store.metrics.find("e1") == [points[1], points[0]]
    assert await store.metrics.delete("e1") == 2
    assert await store.metrics.find("e1") == []
    assert await store.metrics.find("e2") == [points[2]]


def _entry(key: str, value: object, expires: float | None = None, kind: str = "JSON") -> KVEntry:
    return KVEntry(
        namespace="company.team",
        key=key,
        value=value,
        type=kind,
        creation_date=START,
        update_date=START,
        expiration_date=at(expires) if expires is not None else None,
    )


async def test_kv_put_get_overwrite_delete(store: Store) -> None:
    value = {"list": [1, 2.5, "three", None, True], "nested": {"k": "✓"}}
    await store.kv.put(_entry("config", value))
    assert await store.kv.get("company.team", "config", START) == _entry("config", value)
    assert await store.kv.get("other", "config", START) is None
    replaced = replace(_entry("config", "text", kind="STRING"), update_date=at(5))
    await store.kv.put(replaced)
    assert await store.kv.get("company.team", "config", START) == replaced
    assert await store.kv.delete("company.team", "config") is True
    assert await store.kv.delete("company.team", "config") is False
    assert await store.kv.get("company.team", "config", START) is None


async def test_kv_expired_entries_are_absent_and_deleted_when_read(store: Store) -> None:
    await store.kv.put(_entry("token", "secret", expires=60))
    assert await store.kv.get("company.team", "token", at(59)) is not None
    assert [e.key for e in await store.kv.list("company.team", at(59))] == ["token"]
    assert await store.kv.list("company.team", at(60)) == []
    assert await store.kv.get("company.team", "token", at(60)) is None
    # reading deleted it: it stays absent even for a reader whose clock is earlier
    assert await store.kv.get("company.team", "token", at(0)) is None
    assert await store.kv.delete("company.team", "token") is False


async def test_kv_list_by_namespace_and_prefix(store: Store) -> None:
    for key in ("b.two", "a.one", "b.one", "b_x", "B", "Z9"):
        await store.kv.put(_entry(key, key))
    await store.kv.put(KVEntry("company.team.sub", "b.sub", 1, "NUMBER", START, START))
    listed = await store.kv.list("company.team", START)
    assert [e.key for e in listed] == ["B", "Z9", "a.one", "b.one", "b.two", "b_x"]
    assert [e.key for e in await store.kv.list("company.team", START, prefix="b.")] == [
        "b.one",
        "b.two",
    ]
    assert await store.kv.list("company.team", START, prefix="b%") == []
    assert await store.kv.list("nowhere", START) == []

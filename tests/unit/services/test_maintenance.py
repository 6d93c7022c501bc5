"""services.maintenance over the memory store: log fetching as Kestra LogEntry JSON, and
purges selected by flow, start date and state, deleting only what is asked."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from legato._kernel.clock import FixedClock
from legato.model.execution import Execution, State, StateType
from legato.services import maintenance
from legato.store.bundle import Store
from legato.store.memory import memory_store
from legato.store.protocols import ExecutionQuery, LogEntry, MetricEntry

T = TypeVar("T")
DAY = datetime(2024, 5, 1, tzinfo=UTC)


class Files:
    """Internal storage keeping only the URIs."""

    def __init__(self, uris: list[str]) -> None:
        self.uris = uris

    async def delete_prefix(self, prefix_uri: str) -> int:
        gone = [u for u in self.uris if u.startswith(prefix_uri + "/")]
        self.uris[:] = [u for u in self.uris if u not in gone]
        return len(gone)


class Direct:
    """A Caller running coroutines on a fresh loop (no worker thread needed here)."""

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run(coro)


def execution(id_: str, namespace: str, flow: str, state: StateType, start: datetime) -> Execution:
    return Execution(id=id_, namespace=namespace, flowId=flow, state=State.of(state, start))


@dataclass
class World:
    store: Store
    files: Files
    purge: maintenance.ExecutionPurge


async def world() -> World:
    store = memory_store(FixedClock(DAY))
    rows = [
        execution("old", "company.team", "etl", StateType.SUCCESS, DAY - timedelta(days=40)),
        execution("oldfail", "company.team.sub", "etl", StateType.FAILED, DAY - timedelta(days=35)),
        execution("recent", "company.team", "etl", StateType.SUCCESS, DAY - timedelta(days=1)),
        execution("running", "company.team", "etl", StateType.RUNNING, DAY - timedelta(days=50)),
        execution("other", "other", "etl", StateType.SUCCESS, DAY - timedelta(days=40)),
    ]
    for row in rows:
        await store.executions.create(row)
        stamp = row.state.startDate
        await store.logs.append(
            [
                LogEntry(row.id, stamp, level, f"{row.id} {level}", row.namespace, row.flowId, "t")
                for level in ("INFO", "ERROR")
            ]
        )
        await store.metrics.append([MetricEntry(row.id, None, "n", "counter", 1.0, stamp)])
    files = Files([f"kestra:///x/{r.id}/a" for r in rows] + ["kestra:///x/old/b"])
    storage: Any = files  # only delete_prefix is used
    purge = maintenance.ExecutionPurge(
        store.executions, store.logs, store.metrics, storage, lambda e: f"kestra:///x/{e.id}"
    )
    return World(store, files, purge)


def test_logs_are_fetched_as_kestra_log_entries_at_or_above_the_level() -> None:
    async def scenario() -> list[dict[str, Any]]:
        w = await world()
        return await maintenance.fetch_logs(w.store.logs, "old", min_level="WARN")

    [entry] = asyncio.run(scenario())
    assert entry["message"] == "old ERROR"
    assert entry["level"] == "ERROR"
    assert (entry["namespace"], entry["flowId"], entry["taskId"]) == ("company.team", "etl", "t")
    assert entry["executionId"] == "old"
    assert entry["timestamp"] == "2024-03-22T00:00:00Z"


def test_logs_of_other_tasks_are_left_out() -> None:
    async def scenario() -> list[dict[str, Any]]:
        w = await world()
        return await maintenance.fetch_logs(
            w.store.logs, "old", min_level="INFO", task_ids=["other"]
        )

    assert asyncio.run(scenario()) == []


def test_purge_takes_ended_executions_of_the_namespace_and_its_children_before_the_end() -> None:
    async def scenario() -> tuple[maintenance.PurgeCounts, list[str], World]:
        w = await world()
        criteria = maintenance.PurgeCriteria(
            end_date=DAY - timedelta(days=30), namespace="company.team", batch_size=1
        )
        counts = await w.purge.purge(criteria)
        left = sorted(e.id for e in (await w.store.executions.search(_all()))[0])
        return counts, left, w

    counts, left, w = asyncio.run(scenario())
    assert counts == maintenance.PurgeCounts(executions=2, logs=4, storages=3, metrics=2)
    assert left == ["other", "recent", "running"]
    assert sorted(w.files.uris) == [
        "kestra:///x/other/a",
        "kestra:///x/recent/a",
        "kestra:///x/running/a",
    ]


def test_purge_of_one_flow_matches_its_namespace_exactly_and_keeps_what_is_not_asked() -> None:
    async def scenario() -> tuple[maintenance.PurgeCounts, list[str]]:
        w = await world()
        criteria = maintenance.PurgeCriteria(
            end_date=DAY, namespace="company.team", flow_id="etl", logs=False, storage=False
        )
        counts = await w.purge.purge(criteria)
        left = [e.message for e in await w.store.logs.find("old")]
        return counts, left

    counts, left = asyncio.run(scenario())
    assert counts == maintenance.PurgeCounts(executions=2, logs=0, storages=0, metrics=2)
    assert left == ["old INFO", "old ERROR"]


def test_sync_purger_reads_a_task_request_with_states_by_name() -> None:
    @dataclass(frozen=True)
    class Request:
        end_date: datetime = DAY
        start_date: datetime | None = None
        namespace: str | None = None
        flow_id: str | None = None
        states: tuple[str, ...] | None = ("FAILED",)
        executions: bool = True
        logs: bool = True
        metrics: bool = True
        storage: bool = True
        batch_size: int = 100

    w = asyncio.run(world())
    counts = maintenance.SyncPurger(w.purge, Direct()).purge(Request())
    assert counts == maintenance.PurgeCounts(executions=1, logs=2, storages=1, metrics=1)
    reader = maintenance.SyncLogReader(w.store.logs, Direct())
    assert [e["message"] for e in reader.fetch("other", min_level="ERROR")] == ["other ERROR"]


def _all() -> ExecutionQuery:
    return ExecutionQuery(size=100)

"""ExecutionRepository contract: round trip, search filters and paging, running counts."""

from __future__ import annotations

import pytest
from store_contract_support import START, at, execution, moved

from legato.model.execution import Execution, State, StateType, TaskRun, TaskRunAttempt
from legato.store.bundle import Store
from legato.store.protocols import ExecutionQuery

pytestmark = pytest.mark.anyio


async def test_an_execution_round_trips_with_its_task_runs(store: Store) -> None:
    run = TaskRun(
        id="tr1",
        executionId="e1",
        namespace="company.team",
        flowId="hello",
        taskId="log",
        value="a",
        attempts=(TaskRunAttempt(state=State.of(StateType.SUCCESS, at(1))),),
        outputs={"values": [1, "two", {"three": None}], "ünïcode": "✓"},
        state=State.of(StateType.RUNNING, at(1)).with_state(StateType.SUCCESS, at(2)),
    )
    item = moved(execution("e1", labels={"team": "data"}), StateType.RUNNING, at(1))
    item = item.model_copy(update={"taskRunList": (run,), "inputs": {"n": 1.5}})
    await store.executions.create(item)
    assert await store.executions.get("e1") == item
    assert await store.executions.get("nope") is None


async def _seed(store: Store) -> None:
    rows = [
        ("e1", "company.team", "a", StateType.SUCCESS, 1, {"env": "prod"}),
        ("e2", "company.team", "a", StateType.FAILED, 2, {"env": "dev"}),
        ("e3", "company.team.sub", "b", StateType.RUNNING, 3, {"env": "prod", "x": "1"}),
        ("e4", "companyx", "a", StateType.SUCCESS, 4, {}),
        ("e5", "company.team", "a", StateType.QUEUED, 5, {"env": "prod"}),
    ]
    for name, namespace, flow, state, second, labels in rows:
        started = at(second)
        item = execution(name, namespace=namespace, flow_id=flow, started=started, labels=labels)
        if state != StateType.CREATED:
            item = moved(item, state, at(second + 0.5))
        await store.executions.create(item)


async def _ids(store: Store, query: ExecutionQuery) -> tuple[list[str], int]:
    found, total = await store.executions.search(query)
    return [e.id for e in found], total


async def test_search_filters(store: Store) -> None:
    await _seed(store)
    assert await _ids(store, ExecutionQuery()) == (["e5", "e4", "e3", "e2", "e1"], 5)
    assert await _ids(store, ExecutionQuery(namespace="company.team")) == (
        ["e5", "e3", "e2", "e1"],
        4,
    )
    assert await _ids(store, ExecutionQuery(namespace="company.team", flow_id="a")) == (
        ["e5", "e2", "e1"],
        3,
    )
    failed_or_running = ExecutionQuery(states=[StateType.FAILED, StateType.RUNNING])
    assert await _ids(store, failed_or_running) == (["e3", "e2"], 2)
    assert await _ids(store, ExecutionQuery(labels={"env": "prod"})) == (["e5", "e3", "e1"], 3)
    assert await _ids(store, ExecutionQuery(labels={"env": "prod", "x": "1"})) == (["e3"], 1)
    assert await _ids(store, ExecutionQuery(labels={"env": "pro"})) == ([], 0)
    window = ExecutionQuery(start_after=at(2), start_before=at(4))
    assert await _ids(store, window) == (["e4", "e3", "e2"], 3)


async def test_search_pages_newest_first(store: Store) -> None:
    await _seed(store)
    assert await _ids(store, ExecutionQuery(size=2, page=1)) == (["e5", "e4"], 5)
    assert await _ids(store, ExecutionQuery(size=2, page=3)) == (["e1"], 5)
    assert await _ids(store, ExecutionQuery(size=2, page=4)) == ([], 5)


async def test_label_search_takes_like_wildcards_literally(store: Store) -> None:
    await store.executions.create(execution("e1", labels={"k": "a%b_c"}))
    await store.executions.create(execution("e2", labels={"k": "aXbYc"}))
    assert await _ids(store, ExecutionQuery(labels={"k": "a%b_c"})) == (["e1"], 1)


async def test_unfinished_running_and_queued(store: Store) -> None:
    await _seed(store)
    paused = moved(execution("e6", flow_id="a", started=at(6)), StateType.PAUSED, at(7))
    await store.executions.create(paused)
    await store.executions.create(moved(execution("e7", started=at(8)), StateType.QUEUED, at(9)))
    assert sorted(await store.executions.unfinished()) == ["e3", "e5", "e6", "e7"]
    assert await store.executions.count_running("company.team.sub", "b") == 1
    assert await store.executions.count_running("company.team", "a") == 1
    assert await store.executions.count_running("company.team", "hello") == 0
    assert await store.executions.oldest_queued("company.team", "a") == "e5"
    assert await store.executions.oldest_queued("company.team", "hello") == "e7"
    assert await store.executions.oldest_queued("companyx", "a") is None


async def test_delete(store: Store) -> None:
    item: Execution = execution("e1", started=START)
    await store.executions.create(item)
    assert await store.executions.delete("e1") is True
    assert await store.executions.get("e1") is None
    assert await store.executions.delete("e1") is False

"""Execution documents: reused task-run JSON still gives Kestra's JSON; parsed reuse is exact.
Job payloads: handed back once, for their own text only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from legato.model.execution import Execution, Label, State, StateType, TaskRun
from legato.store import rules
from legato.store.sql.documents import ExecutionDocuments, JobPayloads, shared_json

START = datetime(2024, 5, 1, tzinfo=UTC)


def _run(number: int, state: StateType = StateType.RUNNING) -> TaskRun:
    return TaskRun(
        id=f"r{number}",
        executionId="e1",
        namespace="ns",
        flowId="f",
        taskId=f"t{number}",
        value=None if number % 2 else f"v{number}",
        outputs={"n": number} if number % 3 == 0 else None,
        state=State.of(state, START + timedelta(seconds=number)),
    )


def _execution(
    execution_id: str = "e1", runs: tuple[TaskRun, ...] = (), state: StateType = StateType.RUNNING
) -> Execution:
    return Execution(
        id=execution_id,
        namespace="ns",
        flowId="f",
        labels=(Label(key="k", value="v"),),
        inputs={"x": [1, None]},
        state=State.of(state, START),
        taskRunList=runs,
    )


def _document(execution: Execution) -> str:
    return execution.model_dump_json(by_alias=True, exclude_none=True)


def test_written_documents_are_kestra_json_as_execution_grows() -> None:
    documents = ExecutionDocuments()
    runs: tuple[TaskRun, ...] = ()
    for number in range(6):
        execution = _execution(runs=runs)
        assert json.loads(documents.write(execution)) == execution.to_json()
        runs = (*runs[:-1], _run(number - 1, StateType.SUCCESS)) if runs else runs
        runs = (*runs, _run(number))
    execution = _execution(runs=runs)
    assert json.loads(documents.write(execution)) == execution.to_json()


def test_a_changed_task_run_with_the_same_id_is_serialized_again() -> None:
    documents = ExecutionDocuments()
    documents.write(_execution(runs=(_run(1),)))
    finished = _execution(runs=(_run(1, StateType.SUCCESS),))
    assert json.loads(documents.write(finished)) == finished.to_json()


def test_the_committed_document_gives_back_the_same_object() -> None:
    documents = ExecutionDocuments()
    item = _execution()
    documents.remember(_document(item), item)
    assert documents.read("e1", _document(item)) is item
    changed = _execution(state=StateType.PAUSED)
    found = documents.read("e1", _document(changed))
    assert found == changed and found is not item


def test_finished_and_oldest_executions_are_forgotten() -> None:
    documents = ExecutionDocuments(size=2)
    items = [_execution(f"e{n}") for n in range(3)]
    for item in items:
        documents.remember(_document(item), item)
    assert documents.read("e0", _document(items[0])) is not items[0]
    assert documents.read("e2", _document(items[2])) is items[2]
    done = _execution("e2", state=StateType.SUCCESS)
    documents.remember(_document(done), done)
    assert documents.read("e2", _document(done)) is not done


def test_job_payload_is_handed_back_once_for_its_own_text() -> None:
    payloads = JobPayloads()
    payload = {"task": {"id": "t"}, "variables": {"outputs": {"a": [1, 2]}}}
    text = rules.dumps(payload)
    payloads.remember("job1", text, payload)
    assert payloads.take("job1", text) is payload
    assert payloads.take("job1", text) is None  # forgotten once taken


def test_job_payload_is_not_used_for_another_text() -> None:
    payloads = JobPayloads()
    payload = {"attempt": 1}
    payloads.remember("job1", rules.dumps(payload), payload)
    assert payloads.take("job1", rules.dumps({"attempt": 2})) is None
    assert payloads.take("unknown", "{}") is None


def test_job_payloads_are_bounded_oldest_first() -> None:
    payloads = JobPayloads(size=2)
    for n in range(3):
        payloads.remember(f"job{n}", str(n), {"n": n})
    assert payloads.take("job0", "0") is None
    assert payloads.take("job1", "1") == {"n": 1}
    assert payloads.take("job2", "2") == {"n": 2}


def test_shared_json_writes_what_dumps_writes() -> None:
    states = {"ret": {str(n): {"state": "CREATED"} for n in range(50)}}
    outputs = {"each": [{"value": 'é"\\'}, None, 1.5, True]}
    payloads = [
        {
            "task": {"id": "ret", "type": "io.kestra.plugin.core.debug.Return"},
            "variables": {"tasks": dict(states), "outputs": outputs, "n": n, "empty": {}},
            "attempt": 1,
        }
        for n in range(3)
    ]
    payloads.append({"variables": {"keys": {1: "int key"}, "deep": {"a": {"b": {"c": [1]}}}}})
    payloads.append({})
    texts = shared_json(payloads)
    assert texts == [rules.dumps(p) for p in payloads]
    assert [json.loads(t) for t in texts[:3]] == json.loads(json.dumps(payloads[:3]))


def test_shared_json_serializes_a_shared_container_once(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = [{"state": "SUCCESS"}] * 3
    payloads = [{"variables": {"tasks": {"t": shared}}} for _ in range(4)]
    calls: list[object] = []
    real = rules.dumps

    def counting(value: object) -> str:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(rules, "dumps", counting)
    texts = shared_json(payloads)
    assert sum(1 for value in calls if value is shared) == 1
    assert texts == [real(p) for p in payloads]


def test_only_the_document_changed_for_an_execution_this_process_wrote_last() -> None:
    documents = ExecutionDocuments()
    item = _execution()
    assert not documents.only_document_changed(item)  # never written here
    documents.remember(_document(item), item)
    assert documents.only_document_changed(_execution(runs=(_run(1),)))
    assert not documents.only_document_changed(_execution(state=StateType.PAUSED))
    relabelled = item.model_copy(update={"labels": (Label(key="k", value="w"),)})
    assert not documents.only_document_changed(relabelled)


def test_a_row_another_process_wrote_since_is_written_whole() -> None:
    documents = ExecutionDocuments()
    item = _execution()
    documents.remember(_document(item), item)
    elsewhere = _execution(state=StateType.PAUSED)
    documents.read("e1", _document(elsewhere))  # the stored row is not ours any more
    assert not documents.only_document_changed(item)

"""The SQL executor store reuses the executions it committed, and only those."""

from __future__ import annotations

from datetime import UTC, datetime

from legato.model.execution import Execution, State, StateType
from legato.store.sql.queue import ParsedExecutions

START = datetime(2024, 5, 1, tzinfo=UTC)


def _execution(execution_id: str, state: StateType = StateType.RUNNING) -> Execution:
    return Execution(id=execution_id, namespace="ns", flowId="f", state=State.of(state, START))


def _document(execution: Execution) -> str:
    return execution.model_dump_json(by_alias=True, exclude_none=True)


def test_the_committed_document_gives_back_the_same_object() -> None:
    parsed = ParsedExecutions()
    item = _execution("e1")
    parsed.remember(_document(item), item)
    assert parsed.read("e1", _document(item)) is item


def test_another_document_is_parsed() -> None:
    parsed = ParsedExecutions()
    item = _execution("e1")
    parsed.remember(_document(item), item)
    changed = _execution("e1", StateType.PAUSED)
    found = parsed.read("e1", _document(changed))
    assert found == changed and found is not item


def test_finished_and_oldest_executions_are_forgotten() -> None:
    parsed = ParsedExecutions(size=2)
    items = [_execution(f"e{n}") for n in range(3)]
    for item in items:
        parsed.remember(_document(item), item)
    assert parsed.read("e0", _document(items[0])) is not items[0]
    assert parsed.read("e2", _document(items[2])) is items[2]
    done = _execution("e2", StateType.SUCCESS)
    parsed.remember(_document(done), done)
    assert parsed.read("e2", _document(done)) is not done

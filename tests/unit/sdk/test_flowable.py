"""The flowable helpers (Kestra's FlowableUtils) over a hand-made context."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pytest

from legato.model.execution import State, StateType, TaskRun
from legato.plugins.core.log import Log
from legato.sdk import flowable, flowable_utils
from legato.testing import START

S = StateType


def log(task_id: str, **extra: Any) -> Log:
    return Log(id=task_id, type="io.kestra.plugin.core.log.Log", message="hi", **extra)


def run(task_id: str, state: StateType, value: str | None = None) -> TaskRun:
    return TaskRun(
        id=f"id-{task_id}-{value}",
        executionId="e",
        namespace="n",
        flowId="f",
        taskId=task_id,
        parentTaskRunId="parent",
        value=value,
        state=State.of(state, START),
    )


class FakeContext:
    def __init__(self, *runs: TaskRun) -> None:
        self.runs = list(runs)
        self.task_run = run("parent", S.RUNNING)

    @property
    def now(self) -> datetime:
        return START

    def children(self) -> Sequence[TaskRun]:
        return self.runs

    def child(
        self, task_id: str, value: str | None, iteration: int | None = None
    ) -> TaskRun | None:
        found = [r for r in self.runs if r.taskId == task_id and r.value == value]
        return found[0] if found else None

    def child_states(self, task_id: str) -> Mapping[StateType, int]:
        counts: dict[StateType, int] = {}
        for r in self.runs:
            if r.taskId == task_id:
                counts[r.state.current] = counts.get(r.state.current, 0) + 1
        return counts

    def render(self, source: Any) -> Any:
        return source


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], S.SUCCESS),
        ([S.SUCCESS, S.SKIPPED], S.SUCCESS),
        ([S.SKIPPED], S.SUCCESS),
        ([S.SUCCESS, S.PAUSED], S.PAUSED),
        ([S.PAUSED, S.WARNING], S.WARNING),
        ([S.WARNING, S.FAILED, S.SUCCESS], S.FAILED),
        ([S.FAILED, S.KILLED], S.KILLED),
        ([S.CANCELLED, S.WARNING], S.CANCELLED),
    ],
)
def test_worst_state_follows_kestra_order(states: list[StateType], expected: StateType) -> None:
    assert flowable.worst(states) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [("a", "a"), (1, "1"), (1.5, "1.5"), (True, "true"), (None, "null"), ({"k": [1]}, '{"k":[1]}')],
)
def test_value_text_is_what_taskrun_value_holds(value: Any, text: str) -> None:
    assert flowable.value_text(value) == text


def test_sequential_next_waits_stops_and_finishes() -> None:
    branch = flowable.Branch([log("a"), log("b")])
    assert [n.task.id for n in flowable_utils.sequential_next(FakeContext(), branch)] == ["a"]
    assert flowable_utils.sequential_next(FakeContext(run("a", S.RUNNING)), branch) == []
    assert flowable_utils.sequential_next(FakeContext(run("a", S.FAILED)), branch) == []
    done = FakeContext(run("a", S.SUCCESS), run("b", S.SUCCESS))
    assert flowable_utils.sequential_next(done, branch) == []
    assert flowable_utils.branch_status(done, branch) == (True, S.SUCCESS)


def test_branch_status_of_a_stopped_list_is_done_and_failed() -> None:
    branch = flowable.Branch([log("a"), log("b")])
    assert flowable_utils.branch_status(FakeContext(run("a", S.FAILED)), branch) == (True, S.FAILED)
    assert flowable_utils.branch_status(FakeContext(run("a", S.RUNNING)), branch) == (
        False,
        S.SUCCESS,
    )


def test_enabled_drops_disabled_tasks() -> None:
    assert [t.id for t in flowable.enabled([log("a", disabled=True), log("b")])] == ["b"]
    assert flowable.enabled(None) == []


@pytest.mark.parametrize(
    ("flags", "state", "expected"),
    [
        ({}, S.FAILED, S.FAILED),
        ({"allowFailure": True}, S.FAILED, S.WARNING),
        ({"allowWarning": True}, S.WARNING, S.SUCCESS),
        ({"allowFailure": True, "allowWarning": True}, S.FAILED, S.SUCCESS),
    ],
)
def test_apply_allowances(flags: dict[str, bool], state: StateType, expected: StateType) -> None:
    assert flowable.apply_allowances(log("a", **flags), state) == expected


def test_concurrent_branches_of_several_tasks_respect_the_limit() -> None:
    tasks = [log("a"), log("b")]
    branches = [flowable.Branch(tasks, v) for v in ("x", "y", "z")]
    ctx = FakeContext(run("a", S.SUCCESS, "x"))
    nexts, state = flowable_utils.concurrent_decision(ctx, branches, 2)
    assert [(n.task.id, n.value) for n in nexts] == [("b", "x"), ("a", "y")]
    assert state is None


def test_loop_values_accepts_lists_json_text_and_maps_and_rejects_the_rest() -> None:
    ctx = FakeContext()
    assert flowable.loop_values(ctx, [1, 2]) == [1, 2]
    assert flowable.loop_values(ctx, "[1, 2]") == [1, 2]
    assert flowable.loop_values(ctx, {"a": 1}) == [{"key": "a", "value": 1}]
    with pytest.raises(ValueError, match="JSON array"):
        flowable.loop_values(ctx, "nope")
    with pytest.raises(ValueError, match="JSON array"):
        flowable.loop_values(ctx, 3)


def test_an_empty_list_is_done_at_once_and_has_nothing_next() -> None:
    empty = flowable.Branch([])
    assert flowable_utils.sequential_next(FakeContext(), empty) == []
    assert flowable_utils.branch_status(FakeContext(), empty) == (True, S.SUCCESS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        (" TRUE ", True),
        ("false", False),
        ("yes", False),
    ],
)
def test_flag_reads_rendered_booleans(value: object, expected: bool) -> None:
    assert flowable.flag(value) is expected

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from rich.console import Console

from legato.cli.commands import run_view
from legato.model.execution import Execution, State, StateType, TaskRun, TaskRunAttempt
from legato.store.protocols import LogEntry

T0 = datetime(2026, 1, 1, 10, 0, 0, tzinfo=UTC)


def run(
    run_id: str,
    task_id: str,
    parent: str | None = None,
    value: str | None = None,
    state: StateType = StateType.SUCCESS,
    attempts: int = 1,
) -> TaskRun:
    history = State.of(StateType.CREATED, T0).with_state(state, T0 + timedelta(seconds=2))
    return TaskRun(
        id=run_id,
        executionId="ex",
        namespace="ns",
        flowId="f",
        taskId=task_id,
        parentTaskRunId=parent,
        value=value,
        state=history,
        attempts=tuple(TaskRunAttempt(state=history) for _ in range(attempts)),
    )


def execution(*runs: TaskRun, state: StateType = StateType.SUCCESS) -> Execution:
    return Execution(
        id="ex",
        namespace="ns",
        flowId="f",
        state=State.of(StateType.CREATED, T0).with_state(state, T0 + timedelta(seconds=3)),
        taskRunList=runs,
        outputs={"answer": 42},
    )


def test_runs_are_listed_as_a_tree_children_under_their_parent() -> None:
    tree = execution(
        run("1", "each"),
        run("2", "after"),
        run("3", "child", parent="1", value="a"),
        run("4", "leaf", parent="3", value="a"),
    )
    assert [(depth, r.taskId) for depth, r in run_view.ordered_runs(tree)] == [
        (0, "each"),
        (1, "child"),
        (2, "leaf"),
        (0, "after"),
    ]


def test_durations_are_short_and_human() -> None:
    assert run_view.format_duration(timedelta(milliseconds=850)) == "850ms"
    assert run_view.format_duration(timedelta(seconds=3.25)) == "3.2s"
    assert run_view.format_duration(timedelta(seconds=125)) == "2m05s"


def test_the_summary_names_state_duration_and_outputs() -> None:
    lines = run_view.summary_lines(execution(run("1", "a")))
    assert lines[0] == "Execution ex (ns.f) SUCCESS in 3.0s"
    assert '"answer": 42' in lines[2]


def test_the_plain_view_prints_each_change_once() -> None:
    out = io.StringIO()
    view = run_view.PlainView(Console(file=out, width=200, highlight=False))
    first = execution(run("1", "a", state=StateType.RUNNING), state=StateType.RUNNING)
    view.update(first)
    view.update(first)
    view.logs([LogEntry("ex", T0, "INFO", "hello", task_id="a")])
    view.close(execution(run("1", "a", value="v", attempts=2)))
    assert out.getvalue().splitlines() == [
        "a RUNNING",
        "10:00:00.000 INFO  [a] hello",
        "a[v] SUCCESS attempt 2",
        "Execution ex (ns.f) SUCCESS in 3.0s",
        "Outputs:",
        "{",
        '  "answer": 42',
        "}",
    ]


def test_the_live_table_shows_every_column() -> None:
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=False)
    console.print(run_view.task_table(execution(run("1", "a", value="x", attempts=2))))
    text = out.getvalue()
    for header in ("task", "value", "state", "attempts", "duration"):
        assert header in text
    assert "SUCCESS" in text and "2.0s" in text

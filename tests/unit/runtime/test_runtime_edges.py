"""Edge cases of the runtime modules not reached by the decision tables: JSON of events, caches,
stale events, unusual task kinds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from legato import runtime
from legato.model.execution import State, StateType, TaskRun
from legato.runtime import book, starting
from legato.runtime.events import (
    EVENT_TYPES,
    ConcurrencySlotFreed,
    ExecutionCreated,
    KillRequested,
    ResumeRequested,
    SubflowFinished,
    TaskRunFinished,
    TaskRunStarted,
    TimerFired,
    event_from_json,
    to_json,
)
from legato.testing import START, Harness

S = StateType


def flow(tasks: str, extra: str = "") -> str:
    return f"id: f\nnamespace: t\ntasks:\n{tasks}\n{extra}"


LOG_A = "  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi"
LOG_B = "  - id: b\n    type: io.kestra.plugin.core.log.Log\n    message: hi"


@pytest.mark.parametrize(
    "event",
    [
        ExecutionCreated(),
        TaskRunStarted("r1", 1, "w"),
        TaskRunFinished("r1", 2, S.FAILED, {"x": 1}, "boom", False, "w", ({"id": "c"},)),
        TimerFired("retry", "r1"),
        KillRequested(cascade=False),
        ResumeRequested({"ok": True}),
        SubflowFinished("r1", "child", S.SUCCESS, {"o": 1}),
        ConcurrencySlotFreed(),
    ],
)
def test_events_survive_a_json_round_trip(event: object) -> None:
    data = to_json(event)  # type: ignore[arg-type]
    assert data["event"] == type(event).__name__
    assert event_from_json(data) == event
    assert type(event).__name__ in EVENT_TYPES


def test_an_unknown_event_type_is_named() -> None:
    with pytest.raises(ValueError, match="unknown executor event type 'Nope'"):
        event_from_json({"event": "Nope"})


def test_a_book_is_rebuilt_for_another_execution_object_and_caches_are_bounded() -> None:
    h = Harness(flow(LOG_A + "\n" + LOG_B))
    h.start()
    copy = h.execution.model_copy()
    fresh = book.Book.of(copy)
    assert fresh.execution is copy
    assert [r.taskId for r in fresh.runs.values()] == ["a"]
    book._BOOKS.update({f"x{i}": fresh for i in range(300)})
    h.finish("a")
    assert len(book._BOOKS) == 1
    book._TASK_CACHE.update({i: (h.flow, {}) for i in range(300)})
    assert set(book.tasks_by_id(Harness(flow(LOG_A + "\n" + LOG_B)).flow)) == {"a", "b"}
    assert len(book._TASK_CACHE) == 1


def test_task_json_cache_is_bounded() -> None:
    h = Harness(flow(LOG_A))
    task = h.flow.tasks[0]
    starting._JSON_CACHE.update({i: (task, {}) for i in range(5000)})
    assert starting.task_json(task)["id"] == "a"
    assert len(starting._JSON_CACHE) == 1


def test_stale_timers_and_subflow_results_are_ignored() -> None:
    h = Harness(flow(LOG_A))
    h.start()
    before = h.execution
    h.send(TimerFired("retry", "missing"))
    h.send(TimerFired("wake", h.run_of("a").id))
    h.send(TaskRunStarted(h.run_of("a").id, 1))
    started = h.execution
    h.send(TimerFired("wake", h.run_of("a").id))
    assert h.execution == started
    h.send(SubflowFinished("missing", "c", S.SUCCESS))
    assert h.execution.taskRunList[0].state.current == S.RUNNING
    assert before.taskRunList[0].state.current == S.CREATED


def test_a_pause_with_tasks_runs_them_after_the_resume() -> None:
    h = Harness(
        flow(
            "  - id: p\n    type: io.kestra.plugin.core.flow.Pause\n    tasks:\n"
            "      - id: inside\n        type: io.kestra.plugin.core.log.Log\n        message: hi"
        )
    )
    h.start()
    h.resume()
    assert h.state_of("p") == S.RUNNING
    assert h.run_of("p").outputs is None
    h.finish("inside")
    assert h.state_of("p") == S.SUCCESS
    assert h.state == S.SUCCESS


def test_two_pauses_in_parallel_keep_the_execution_paused_until_both_resume() -> None:
    h = Harness(
        flow(
            "  - id: par\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n"
            "      - id: p1\n        type: io.kestra.plugin.core.flow.Pause\n"
            "        pauseDuration: PT1S\n"
            "      - id: p2\n        type: io.kestra.plugin.core.flow.Pause\n"
            "        pauseDuration: PT2S\n"
        )
    )
    h.start()
    h.advance(1)
    h.fire_timers()
    assert h.state == S.PAUSED
    h.advance(1)
    h.fire_timers()
    assert h.state == S.SUCCESS


def test_a_task_that_cannot_run_in_the_executor_fails_with_a_message() -> None:
    from typing import ClassVar

    from legato.model.registry import PluginRegistry
    from legato.sdk import RunnableTask, plugin
    from legato.testing import default_registry

    @plugin("test.ExecutorOnly")
    class ExecutorOnly(RunnableTask):
        runs_in_executor: ClassVar[bool] = True

    registry = PluginRegistry([*default_registry().classes(), ExecutorOnly])
    h = Harness(flow("  - id: v\n    type: test.ExecutorOnly"), registry=registry)
    h.start()
    assert h.state_of("v") == S.FAILED
    assert any("cannot run in the executor" in line.message for line in h.logs)


def test_a_run_created_while_killing_is_killed_at_once() -> None:
    h = Harness(
        flow(
            "  - id: seq\n    type: io.kestra.plugin.core.flow.Sequential\n    tasks:\n"
            "      - id: a\n        type: io.kestra.plugin.core.log.Log\n        message: hi\n"
            "      - id: b\n        type: io.kestra.plugin.core.log.Log\n        message: hi"
        )
    )
    h.start()
    h.kill()
    h.finish("a")
    assert h.task_ids() == ["seq", "a"]
    assert h.state_of("seq") == S.KILLED
    assert h.state == S.KILLED


def test_create_new_execution_kills_other_running_task_runs() -> None:
    from legato.runtime.commands import KillTaskRuns

    h = Harness(
        flow(
            "  - id: par\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n"
            "      - id: a\n        type: io.kestra.plugin.core.log.Log\n        message: hi\n"
            "        retry:\n          type: constant\n          interval: PT1S\n"
            "          maxAttempts: 2\n          behavior: CREATE_NEW_EXECUTION\n"
            "      - id: b\n        type: io.kestra.plugin.core.log.Log\n        message: hi"
        )
    )
    h.start()
    h.finish("a", S.FAILED)
    assert h.commands_of(KillTaskRuns) == [KillTaskRuns((h.run_of("b").id,))]
    assert h.state == S.RETRIED


def test_worker_results_for_task_runs_outside_the_flow_are_recorded_as_is() -> None:
    h = Harness(flow(LOG_A))
    h.start()
    ghost = TaskRun(
        id="ghost",
        executionId=h.execution.id,
        namespace="t",
        flowId="f",
        taskId="gone",
        state=State.of(S.CREATED, START),
    )
    h.execution = h.execution.model_copy(update={"taskRunList": (*h.execution.taskRunList, ghost)})
    h.send(TaskRunFinished("ghost", 0, S.FAILED))
    assert h.execution.task_run("ghost").state.current == S.FAILED


def test_a_reported_child_that_already_exists_is_replaced() -> None:
    h = Harness(
        flow(
            "  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n"
            "      - id: a\n        type: io.kestra.plugin.core.log.Log\n        message: hi"
        )
    )
    h.start()
    parent = h.run_of("wd")
    child = TaskRun(
        id="c1",
        executionId=h.execution.id,
        namespace="t",
        flowId="f",
        taskId="a",
        parentTaskRunId=parent.id,
        state=State.of(S.RUNNING, START),
    )
    h.execution = h.execution.model_copy(update={"taskRunList": (*h.execution.taskRunList, child)})
    done = child.model_copy(update={"state": child.state.with_state(S.SUCCESS, START)})
    h.finish("wd", children=(done.model_dump(mode="json"),))
    assert h.execution.task_run("c1").state.current == S.SUCCESS


def test_restarting_a_run_whose_task_left_the_flow_fails_it() -> None:
    h = Harness(flow(LOG_A))
    h.start()
    h.finish("a", S.FAILED)
    restarted = runtime.restart(h.execution, h.flow, START, h.ids)
    renamed = restarted.model_copy(
        update={
            "taskRunList": tuple(
                r.model_copy(update={"taskId": "old"}) for r in restarted.taskRunList
            )
        }
    )
    h.execution = renamed
    h.start()
    assert h.execution.taskRunList[0].state.current == S.FAILED
    assert any("no longer in the flow" in line.message for line in h.logs)


def test_timeout_expression_rendering_to_a_number_of_seconds_text() -> None:
    h = Harness(flow(LOG_A + '\n    timeout: "{{ inputs.t }}"'), inputs={"t": timedelta(seconds=3)})
    h.start()
    assert h.dispatch_of("a").timeout_seconds == 3.0


def test_harness_reports_missing_runs_and_runaway_loops() -> None:
    h = Harness(flow(LOG_A))
    h.start()
    with pytest.raises(AssertionError, match="no pending dispatch"):
        h.dispatch_of("zzz")
    with pytest.raises(AssertionError, match="expected one task run"):
        h.run_of("zzz")
    with pytest.raises(AssertionError, match="did not settle"):
        h.run_to_end(max_events=0)


def test_a_pause_ending_while_a_task_waits_for_its_retry() -> None:
    h = Harness(
        flow(
            "  - id: par\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n"
            "      - id: p\n        type: io.kestra.plugin.core.flow.Pause\n"
            "        pauseDuration: PT5S\n"
            "      - id: a\n        type: io.kestra.plugin.core.log.Log\n        message: hi\n"
            "        retry:\n          type: constant\n          interval: PT1M\n"
            "          maxAttempts: 2"
        )
    )
    h.start()
    h.finish("a", S.FAILED)
    assert h.state == S.PAUSED
    h.advance(5)
    h.fire_timers()
    assert h.state_of("p") == S.SUCCESS
    assert h.state == S.RUNNING
    assert h.state_of("a") == S.RETRYING
    h.run_to_end()
    assert h.state == S.SUCCESS


def test_foreach_over_nothing_succeeds_and_mixed_values_render_item_by_item() -> None:
    h = Harness(
        flow(
            "  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: []\n"
            "    tasks:\n" + "  " + LOG_A.replace("\n", "\n  ")
        )
    )
    h.start()
    assert h.state == S.SUCCESS
    h = Harness(
        flow(
            "  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n"
            '    values: [1, 2.5, "{{ inputs.x }}"]\n    concurrencyLimit: 0\n'
            "    tasks:\n" + "  " + LOG_A.replace("\n", "\n  ")
        ),
        inputs={"x": "X"},
    )
    h.start()
    assert [r.value for r in h.runs("a")] == ["1", "2.5", "X"]


def test_two_exits_in_one_wave_end_the_execution_once() -> None:
    from legato.runtime.commands import ExecutionEnded

    h = Harness(
        flow(
            "  - id: par\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n"
            "      - id: x1\n        type: io.kestra.plugin.core.execution.Exit\n"
            "        state: WARNING\n"
            "      - id: x2\n        type: io.kestra.plugin.core.execution.Exit\n"
            "        state: FAILED"
        )
    )
    h.start()
    assert h.commands_of(ExecutionEnded) == [ExecutionEnded(S.WARNING)]
    assert h.state == S.WARNING


def test_a_working_directory_is_never_decided_by_the_executor() -> None:
    h = Harness(
        flow(
            "  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n"
            "      - id: a\n        type: io.kestra.plugin.core.log.Log\n        message: hi"
        )
    )
    h.start()
    wd = h.run_of("wd")
    h.send(TaskRunStarted(wd.id, 1))
    h.send(TimerFired("wake", wd.id))
    assert h.task_ids() == ["wd"]


def test_flowable_view_renders_with_extra_variables() -> None:
    from legato.runtime.book import Book
    from legato.runtime.context import FlowableView, Renderer

    h = Harness(flow(LOG_A), inputs={"n": 1})
    h.start()
    current = Book.of(h.execution)
    ctx = h.context()
    view = FlowableView(current, Renderer(current, ctx), h.flow.tasks[0], h.run_of("a"))
    assert (
        view.render("{{ extra }}-{{ taskrun.value }}", {"extra": 5, "taskrun": {"value": "v"}})
        == "5-v"
    )
    assert view.render("{{ inputs.n }}") == 1


def test_a_retry_while_paused_keeps_the_execution_paused_and_resumable() -> None:
    h = Harness(
        flow(
            "  - id: par\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n"
            "      - id: p\n        type: io.kestra.plugin.core.flow.Pause\n"
            "      - id: a\n        type: io.kestra.plugin.core.log.Log\n        message: hi\n"
            "        retry:\n          type: constant\n          interval: PT1M\n"
            "          maxAttempts: 2"
        )
    )
    h.start()
    assert h.state == S.PAUSED
    h.finish("a", S.FAILED)
    assert h.state_of("a") == S.RETRYING
    assert h.state == S.PAUSED
    h.resume()
    assert h.state_of("p") == S.SUCCESS
    h.run_to_end()
    assert h.state == S.SUCCESS

"""Decision tables for the execution's life: concurrency, kill, restart and replay (§7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from runtime_flows import flow_yaml, log, started

from legato import runtime
from legato._kernel.ids import sequential_ids
from legato.errors import LegatoError
from legato.model.execution import StateType as S
from legato.runtime.commands import ExecutionEnded, KillSubflows, KillTaskRuns
from legato.runtime.events import ConcurrencySlotFreed, KillRequested
from legato.testing import START, Harness

TWO = log("a") + "\n" + log("b")


def concurrency(behavior: str) -> str:
    return f"concurrency:\n  limit: 1\n  behavior: {behavior}"


@pytest.mark.parametrize(
    ("behavior", "running", "expected", "ended"),
    [
        ("QUEUE", 1, S.QUEUED, False),
        ("CANCEL", 1, S.CANCELLED, True),
        ("FAIL", 1, S.FAILED, True),
        ("QUEUE", 0, S.RUNNING, False),
        ("FAIL", 0, S.RUNNING, False),
    ],
)
def test_flow_concurrency_limit(behavior: str, running: int, expected: S, ended: bool) -> None:
    h = Harness(flow_yaml(TWO, concurrency(behavior)))
    h.running_executions = running
    h.start()
    assert h.state == expected
    assert bool(h.commands_of(ExecutionEnded)) == ended
    assert (h.task_ids() == ["a"]) == (expected == S.RUNNING)


def test_a_queued_execution_starts_when_a_slot_frees() -> None:
    h = Harness(flow_yaml(TWO, concurrency("QUEUE")))
    h.running_executions = 1
    h.start()
    h.send(ConcurrencySlotFreed())
    assert h.state == S.QUEUED
    h.running_executions = 0
    h.send(ConcurrencySlotFreed())
    assert h.state == S.RUNNING
    assert h.task_ids() == ["a"]
    history = [entry.state for entry in h.execution.state.histories]
    assert history == [S.CREATED, S.QUEUED, S.RUNNING]


def test_kill_interrupts_running_tasks_and_ends_killed_when_they_report() -> None:
    h = started(
        "- id: par\n  type: io.kestra.plugin.core.flow.Parallel\n  tasks:\n"
        "    - id: a\n      type: io.kestra.plugin.core.log.Log\n      message: hi\n"
        "    - id: b\n      type: io.kestra.plugin.core.log.Log\n      message: hi"
    )
    from legato.runtime.events import TaskRunStarted

    a = h.dispatch_of("a")
    h.send(TaskRunStarted(a.task_run_id, 1))
    h.kill()
    assert h.state == S.KILLING
    (kill,) = h.commands_of(KillTaskRuns)
    assert set(kill.task_run_ids) == {h.run_of("a").id, h.run_of("b").id}
    assert h.state_of("b") == S.KILLED  # never started: killed at once
    assert h.state_of("a") == S.RUNNING
    h.finish("a", S.KILLED)
    assert h.state_of("par") == S.KILLED
    assert h.state == S.KILLED
    assert h.commands_of(ExecutionEnded) == [ExecutionEnded(S.KILLED)]
    assert h.kill().commands == ()


def test_kill_while_paused_and_retrying_ends_killed_at_once() -> None:
    h = started("- id: p\n  type: io.kestra.plugin.core.flow.Pause")
    h.kill()
    assert h.state_of("p") == S.KILLED
    assert h.state == S.KILLED
    h = started(log("a") + "\n  retry:\n    type: constant\n    interval: PT1M\n    maxAttempts: 2")
    h.finish("a", S.FAILED)
    h.kill()
    assert h.state == S.KILLED
    assert h.state_of("a") == S.KILLED
    h.advance(60)
    assert h.fire_timers() == 1
    assert h.pending == {}
    assert h.state_of("a") == S.KILLED


def test_kill_cascades_to_running_subflows() -> None:
    h = started(
        "- id: sub\n  type: io.kestra.plugin.core.flow.Subflow\n  namespace: o\n  flowId: c"
    )
    h.subflow_ended("sub", S.RUNNING)
    h.kill()
    assert h.commands_of(KillSubflows) == [KillSubflows(("child0001",))]
    assert h.state == S.KILLED
    h = started(
        "- id: sub\n  type: io.kestra.plugin.core.flow.Subflow\n  namespace: o\n  flowId: c"
    )
    h.subflow_ended("sub", S.RUNNING)
    h.send(KillRequested(cascade=False))
    assert h.commands_of(KillSubflows) == []


def test_a_task_finishing_during_killing_does_not_start_the_next() -> None:
    h = started(TWO)
    h.kill()
    h.finish("a", S.SUCCESS)
    assert h.task_ids() == ["a"]
    assert h.state == S.KILLED


def test_restart_keeps_the_id_and_reruns_failed_task_runs_as_a_new_attempt() -> None:
    h = started(
        "- id: seq\n  type: io.kestra.plugin.core.flow.Sequential\n  tasks:\n"
        "    - id: a\n      type: io.kestra.plugin.core.log.Log\n      message: hi\n"
        "    - id: b\n      type: io.kestra.plugin.core.log.Log\n      message: hi",
        "errors:\n" + log("handler"),
    )
    h.finish("a")
    h.finish("b", S.FAILED)
    h.finish("handler")
    assert h.state == S.FAILED
    restarted = runtime.restart(h.execution, h.flow, START + timedelta(hours=1), h.ids)
    assert restarted.id == h.execution.id
    assert restarted.state.current == S.RESTARTED
    assert restarted.metadata.attemptNumber == 2
    states = {r.taskId: r.state.current for r in restarted.taskRunList}
    assert states == {"seq": S.RESTARTED, "a": S.SUCCESS, "b": S.RESTARTED}
    h.execution = restarted
    h.start()
    assert h.state == S.RUNNING
    command = h.dispatch_of("b")
    assert command.attempt == 2
    h.finish("b")
    assert h.state == S.SUCCESS
    assert [a.state.current for a in h.run_of("b").attempts] == [S.FAILED, S.SUCCESS]


def test_restart_is_refused_for_a_running_or_successful_execution() -> None:
    h = started(log("a"))
    with pytest.raises(LegatoError, match="only a terminated or paused"):
        runtime.restart(h.execution, h.flow, START, h.ids)
    h.finish("a")
    with pytest.raises(LegatoError, match="no failed or paused task run"):
        runtime.restart(h.execution, h.flow, START, h.ids)


def test_restart_of_a_paused_execution_resumes_the_pause() -> None:
    h = started("- id: p\n  type: io.kestra.plugin.core.flow.Pause\n" + log("after"))
    restarted = runtime.restart(h.execution, h.flow, START, h.ids)
    h.execution = restarted
    h.start()
    assert h.state_of("p") == S.SUCCESS
    assert h.task_ids() == ["p", "after"]


def test_replay_without_a_task_run_starts_from_scratch() -> None:
    h = started(TWO, inputs={"x": 1})
    h.run_to_end()
    new = runtime.replay(h.execution, None, h.flow, START, sequential_ids("n"))
    assert new.id == "n0001"
    assert new.parentId == h.execution.id
    assert new.originalId == h.execution.id
    assert new.inputs == {"x": 1}
    assert new.taskRunList == ()
    assert new.state.current == S.CREATED


def test_replay_from_a_task_run_copies_earlier_runs_and_drops_later_ones() -> None:
    h = started(log("a") + "\n" + log("b") + "\n" + log("c"))
    h.run_to_end()
    b = h.run_of("b")
    new = runtime.replay(h.execution, b.id, h.flow, START, sequential_ids("n"))
    assert [(r.taskId, r.state.current) for r in new.taskRunList] == [
        ("a", S.SUCCESS),
        ("b", S.RESTARTED),
    ]
    assert all(r.executionId == new.id for r in new.taskRunList)
    assert {r.id for r in new.taskRunList}.isdisjoint({r.id for r in h.execution.taskRunList})
    h.execution = new
    h.start()
    h.run_to_end()
    assert h.task_ids() == ["a", "b", "c"]
    assert h.state == S.SUCCESS
    with pytest.raises(LegatoError, match="no task run"):
        runtime.replay(new, "missing", h.flow, START, sequential_ids("m"))


def test_replay_of_a_child_keeps_its_ancestors_linked() -> None:
    h = started(
        "- id: seq\n  type: io.kestra.plugin.core.flow.Sequential\n  tasks:\n"
        "    - id: a\n      type: io.kestra.plugin.core.log.Log\n      message: hi"
    )
    h.run_to_end()
    new = runtime.replay(h.execution, h.run_of("a").id, h.flow, START, sequential_ids("n"))
    seq, a = new.taskRunList
    assert a.parentTaskRunId == seq.id
    assert (seq.state.current, a.state.current) == (S.RESTARTED, S.RESTARTED)


def test_restart_of_a_failed_subflow_starts_a_new_child_execution() -> None:
    from legato.runtime.commands import StartSubflow

    h = started(
        "- id: sub\n  type: io.kestra.plugin.core.flow.Subflow\n  namespace: o\n  flowId: c"
    )
    h.subflow_ended("sub", S.FAILED)
    assert h.state == S.FAILED
    h.execution = runtime.restart(h.execution, h.flow, START, h.ids)
    h.start()
    assert len(h.commands_of(StartSubflow)) == 2
    assert h.state_of("sub") == S.RUNNING

"""Decision tables for flow SLAs (reference §3 ``sla``): MAX_DURATION timers and
EXECUTION_ASSERTION checks, their behaviours (FAIL, CANCEL, NONE), labels and log lines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from runtime_flows import flow_yaml, log, started

from legato import runtime
from legato.model.execution import Label
from legato.model.execution import StateType as S
from legato.runtime.commands import ExecutionEnded, KillSubflows, KillTaskRuns, ScheduleTimer
from legato.runtime.events import ConcurrencySlotFreed, TaskRunStarted, TimerFired
from legato.testing import START, Harness

SLEEP = "- id: s\n  type: io.kestra.plugin.core.flow.Sleep\n  duration: PT1H"
SLEEP_THEN_LOG = SLEEP + "\n" + log("after")
RETURN = "- id: r\n  type: io.kestra.plugin.core.debug.Return\n  format: hello"


def max_duration(behavior: str, duration: str = "PT10S", labels: str = "{sla: miss}") -> str:
    return (
        f"sla:\n  - id: slow\n    type: MAX_DURATION\n    duration: {duration}\n"
        f"    behavior: {behavior}\n    labels: {labels}"
    )


def assertion(behavior: str, expression: str, sla_id: str = "check", labels: str = "") -> str:
    entry = (
        f"  - id: {sla_id}\n    type: EXECUTION_ASSERTION\n"
        f'    assert: "{expression}"\n    behavior: {behavior}'
    )
    return entry + (f"\n    labels: {labels}" if labels else "")


def sla_list(*entries: str) -> str:
    return "sla:\n" + "\n".join(entries)


def messages(h: Harness) -> list[tuple[str, str]]:
    return [(line.level, line.message) for line in h.logs]


# -- MAX_DURATION ---------------------------------------------------------------------------


def test_a_max_duration_timer_is_asked_at_the_start_date_plus_the_duration() -> None:
    h = started(SLEEP, max_duration("FAIL"))
    assert h.timers == [ScheduleTimer(START + timedelta(seconds=10), TimerFired("sla:1:slow"))]


REASON = "execution duration of PT10S reached the maximum duration of PT10S."
VIOLATED = ("WARN", f"SLA 'slow' violated: {REASON}")
FAILED_BY_SLA = ("ERROR", f"Execution failed due to SLA 'slow' violated: {REASON}")


@pytest.mark.parametrize(
    ("behavior", "state", "sleep_state", "logs"),
    [
        ("FAIL", S.FAILED, S.FAILED, [VIOLATED, FAILED_BY_SLA]),
        ("CANCEL", S.CANCELLED, S.CANCELLED, [VIOLATED]),
        ("NONE", S.RUNNING, S.CREATED, [VIOLATED]),
    ],
)
def test_a_max_duration_breach_follows_its_behavior(
    behavior: str, state: S, sleep_state: S, logs: list[tuple[str, str]]
) -> None:
    h = started(SLEEP_THEN_LOG, max_duration(behavior))
    h.advance(10)
    assert h.fire_timers() == 1
    assert h.state == state
    assert h.state_of("s") == sleep_state
    assert h.execution.labels == (Label(key="sla", value="miss"),)
    assert messages(h) == logs
    stops = behavior != "NONE"
    assert h.commands_of(KillTaskRuns) == ([KillTaskRuns((h.run_of("s").id,))] if stops else [])
    assert h.commands_of(ExecutionEnded) == ([ExecutionEnded(state)] if stops else [])


def test_after_a_breach_the_worker_report_is_ignored_and_nothing_else_runs() -> None:
    h = started(SLEEP_THEN_LOG, max_duration("CANCEL"))
    h.advance(10)
    h.fire_timers()
    h.finish("s", S.KILLED)
    assert h.state_of("s") == S.CANCELLED
    assert h.task_ids() == ["s"]
    assert h.commands_of(ExecutionEnded) == [ExecutionEnded(S.CANCELLED)]


def test_a_none_breach_lets_the_execution_end_normally_with_the_labels() -> None:
    h = started(SLEEP_THEN_LOG, max_duration("NONE"))
    h.advance(10)
    h.fire_timers()
    h.run_to_end()
    assert h.state == S.SUCCESS
    assert h.task_ids() == ["s", "after"]
    assert h.execution.labels == (Label(key="sla", value="miss"),)


def test_a_deadline_after_the_end_does_nothing() -> None:
    h = started(log("a"), max_duration("FAIL"))
    h.finish("a")
    h.advance(10)
    assert h.fire_timers() == 1
    assert h.state == S.SUCCESS
    assert h.execution.labels == ()
    assert h.logs == []


def test_sla_labels_replace_execution_labels_of_the_same_key() -> None:
    h = started(SLEEP, max_duration("NONE", labels="{sla: miss, team: ops}"), labels={"sla": "ok"})
    h.advance(10)
    h.fire_timers()
    assert h.execution.labels == (Label(key="sla", value="miss"), Label(key="team", value="ops"))


def test_a_paused_execution_is_not_exempt() -> None:
    pause = "- id: p\n  type: io.kestra.plugin.core.flow.Pause\n  pauseDuration: PT1M\n" + log("b")
    h = started(pause, max_duration("CANCEL"))
    assert h.state == S.PAUSED
    h.advance(10)
    h.fire_timers()
    assert h.state == S.CANCELLED
    assert h.state_of("p") == S.CANCELLED
    h.advance(60)
    h.fire_timers()
    assert h.state == S.CANCELLED
    assert h.task_ids() == ["p"]


def test_queued_time_counts_towards_the_max_duration() -> None:
    h = Harness(flow_yaml(log("a"), max_duration("FAIL") + "\nconcurrency:\n  limit: 1"))
    h.running_executions = 1
    h.start()
    assert h.state == S.QUEUED
    h.advance(4)
    h.running_executions = 0
    h.send(ConcurrencySlotFreed())
    assert [t.at for t in h.timers] == [START + timedelta(seconds=10)]
    h.advance(6)
    h.fire_timers()
    assert h.state == S.FAILED
    assert h.state_of("a") == S.FAILED


def test_a_breach_kills_running_subflows_and_other_live_runs() -> None:
    tasks = (
        "- id: par\n  type: io.kestra.plugin.core.flow.Parallel\n  tasks:\n"
        "    - id: sub\n      type: io.kestra.plugin.core.flow.Subflow\n"
        "      namespace: o\n      flowId: c\n"
        "    - id: s\n      type: io.kestra.plugin.core.flow.Sleep\n      duration: PT1H"
    )
    h = started(tasks, max_duration("FAIL"))
    h.subflow_ended("sub", S.RUNNING)
    h.advance(10)
    h.fire_timers()
    assert h.commands_of(KillSubflows) == [KillSubflows(("child0001",))]
    assert h.commands_of(KillTaskRuns) == [KillTaskRuns((h.run_of("s").id,))]
    assert [(r.taskId, r.state.current) for r in h.execution.taskRunList] == [
        ("par", S.KILLED),
        ("sub", S.KILLED),
        ("s", S.FAILED),
    ]


def test_a_run_waiting_for_its_retry_is_ended_without_a_kill() -> None:
    retry = "\n  retry:\n    type: constant\n    interval: PT30S\n    maxAttempts: 3"
    h = started(log("a") + retry, max_duration("FAIL"))
    h.finish("a", S.FAILED)
    assert h.state == S.RETRYING
    h.advance(10)
    h.fire_timers()
    assert h.state == S.FAILED
    assert h.commands_of(KillTaskRuns) == []
    h.advance(30)
    h.fire_timers()
    assert len(h.run_of("a").attempts) == 1


def test_afterexecution_runs_after_a_breach() -> None:
    h = started(SLEEP, max_duration("FAIL") + "\nafterExecution:\n" + log("after"))
    h.advance(10)
    h.fire_timers()
    assert h.state == S.FAILED
    assert h.task_ids() == ["s", "after"]


def test_a_timer_of_an_sla_no_longer_in_the_flow_is_ignored() -> None:
    h = started(SLEEP, sla_list(assertion("FAIL", "{{ true }}")))
    h.send(TimerFired("sla:1:check"))
    h.send(TimerFired("sla:1:gone"))
    assert h.state == S.RUNNING
    assert h.logs == []


def test_a_restart_asks_new_timers_and_ignores_those_asked_before_it() -> None:
    h = started(log("a"), max_duration("FAIL"))
    h.finish("a", S.FAILED)
    old = list(h.timers)
    h.advance(2)
    h.execution = runtime.restart(h.execution, h.flow, h.now, h.ids)
    h.start()
    assert [t.event for t in h.timers] == [TimerFired("sla:1:slow"), TimerFired("sla:2:slow")]
    assert {t.at for t in h.timers} == {START + timedelta(seconds=10)}
    h.send(old[0].event)
    assert h.state == S.RUNNING
    h.advance(8)
    h.fire_timers()
    assert h.state == S.FAILED
    assert [level for level, _ in messages(h)] == ["WARN", "ERROR"]


def test_a_restart_after_the_deadline_breaches_at_once() -> None:
    h = started(log("a"), max_duration("CANCEL"))
    h.finish("a", S.FAILED)
    h.advance(60)
    h.execution = runtime.restart(h.execution, h.flow, h.now, h.ids)
    h.start()
    h.fire_timers()
    assert h.state == S.CANCELLED
    assert "PT1M reached the maximum duration of PT10S" in h.logs[-1].message


# -- EXECUTION_ASSERTION --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("behavior", "value", "state", "levels"),
    [
        ("FAIL", "hello", S.SUCCESS, []),
        ("FAIL", "other", S.FAILED, ["WARN", "ERROR"]),
        ("CANCEL", "other", S.CANCELLED, ["WARN"]),
        # a NONE violation is reported at every change: r's report, after's two reports
        ("NONE", "other", S.SUCCESS, ["WARN"] * 3),
    ],
)
def test_an_assertion_is_checked_with_the_outputs_of_the_task_that_just_ended(
    behavior: str, value: str, state: S, levels: list[str]
) -> None:
    expression = "{{ outputs.r is not defined or outputs.r.value == 'hello' }}"
    extra = sla_list(assertion(behavior, expression, labels="{sla: miss}"))
    h = started(
        RETURN + "\n" + log("after"),
        extra + '\noutputs:\n  - id: o\n    type: STRING\n    value: "{{ outputs.r.value }}"',
    )
    h.finish("r", S.SUCCESS, {"value": value})
    h.run_to_end()
    assert h.state == state
    assert [level for level, _ in messages(h)] == levels
    assert (h.execution.labels == ()) == (not levels)
    assert (h.execution.outputs is None) == (state in (S.FAILED, S.CANCELLED))
    assert (h.task_ids() == ["r", "after"]) == (state == S.SUCCESS)


def test_a_false_assertion_names_the_sla_and_the_expression() -> None:
    h = started(log("a"), sla_list(assertion("CANCEL", "{{ 1 == 2 }}")))
    assert messages(h) == [("WARN", "SLA 'check' violated: assertion is false: {{ 1 == 2 }}.")]
    assert h.state == S.CANCELLED
    assert h.task_ids() == []  # checked as the execution starts, before any task run exists


def test_an_assertion_that_cannot_be_rendered_is_violated_with_its_behavior() -> None:
    h = started(log("a"), sla_list(assertion("FAIL", "{{ outputs.missing.value == 1 }}")))
    assert h.state == S.FAILED
    warn = h.logs[0]
    assert warn.level == "WARN"
    assert warn.message.startswith("SLA 'check' violated: assertion could not be evaluated: ")
    assert "'missing'" in warn.message
    assert "guard values that may not exist yet" in warn.message


def test_only_the_first_violation_changes_the_execution() -> None:
    extra = sla_list(
        assertion("NONE", "{{ false }}", "first", labels="{first: miss}"),
        assertion("FAIL", "{{ false }}", "second", labels="{second: miss}"),
    )
    h = started(log("a"), extra)
    assert h.state == S.RUNNING
    assert h.execution.labels == (Label(key="first", value="miss"),)
    assert [m for _, m in messages(h)] == [
        "SLA 'first' violated: assertion is false: {{ false }}.",
        "SLA 'second' violated: assertion is false: {{ false }}.",
    ]


def test_a_none_assertion_is_reported_at_each_change() -> None:
    h = started(log("a") + "\n" + log("b"), sla_list(assertion("NONE", "{{ false }}")))
    h.run_to_end()
    assert h.state == S.SUCCESS
    # ExecutionCreated, then TaskRunStarted and TaskRunFinished of a and of b
    assert len(h.logs) == 5


def test_assertions_are_not_checked_before_the_execution_runs() -> None:
    extra = sla_list(assertion("FAIL", "{{ false }}")) + "\nconcurrency:\n  limit: 1"
    h = Harness(flow_yaml(log("a"), extra))
    h.running_executions = 1
    h.start()
    assert h.state == S.QUEUED
    assert h.logs == []


def test_assertions_are_not_checked_once_the_execution_ended() -> None:
    extra = sla_list(assertion("CANCEL", "{{ execution.state == 'RUNNING' }}"))
    h = started(log("a"), extra + "\nafterExecution:\n" + log("after"))
    h.run_to_end()
    assert h.state == S.SUCCESS
    assert h.task_ids() == ["a", "after"]
    assert h.state_of("after") == S.SUCCESS
    assert h.logs == []


def test_a_killing_execution_is_still_checked() -> None:
    h = started(SLEEP, sla_list(assertion("CANCEL", "{{ execution.state == 'RUNNING' }}")))
    command = h.dispatch_of("s")
    h.send(TaskRunStarted(command.task_run_id, command.attempt, "worker-1"))
    h.kill()
    assert h.state == S.CANCELLED
    assert h.state_of("s") == S.CANCELLED

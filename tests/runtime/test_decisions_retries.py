"""Decision tables for retries (reference §3.1 ``retry`` and §7 "Retry"), in the style of
Kestra's RetryDecisionTest: a policy, the attempts' results, what the executor decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from runtime_flows import flow_yaml, log, started

from legato.model.execution import StateType as S
from legato.runtime.commands import CreateExecution, ExecutionEnded, ScheduleTimer
from legato.runtime.events import TimerFired
from legato.testing import START, Harness


def retrying(retry: str, **extra: str) -> str:
    return log("a", **extra) + "\n  retry:\n" + "\n".join(f"    {r}" for r in retry.split(";"))


def fail_then(h: Harness, results: list[S]) -> list[timedelta]:
    """Report ``results`` for task ``a`` attempt after attempt; return the retry delays seen."""
    delays = []
    for state in results:
        h.finish("a", state)
        timers = [c for c in h.timers if c.event == TimerFired("retry", h.run_of("a").id)]
        if timers:
            delays.append(timers[0].at - h.now)
            h.now = timers[0].at
            h.fire_timers()
    return delays


@pytest.mark.parametrize(
    ("retry", "results", "expected", "attempts"),
    [
        ("type: constant;interval: PT10S;maxAttempts: 3", [S.FAILED, S.SUCCESS], S.SUCCESS, 2),
        ("type: constant;interval: PT10S;maxAttempts: 3", [S.FAILED] * 3, S.FAILED, 3),
        ("type: constant;interval: PT10S;maxAttempt: 2", [S.FAILED] * 2, S.FAILED, 2),
        ("type: constant;interval: PT10S;maxAttempts: 1", [S.FAILED], S.FAILED, 1),
        (
            "type: constant;interval: PT10S;maxAttempts: 3;warningOnRetry: true",
            [S.FAILED, S.SUCCESS],
            S.WARNING,
            2,
        ),
        (
            "type: constant;interval: PT10S;maxAttempts: 3;warningOnRetry: true",
            [S.SUCCESS],
            S.SUCCESS,
            1,
        ),
        ("type: constant;interval: PT10S;maxAttempts: 3", [S.WARNING], S.WARNING, 1),
    ],
)
def test_retry_failed_task(retry: str, results: list[S], expected: S, attempts: int) -> None:
    h = started(retrying(retry))
    fail_then(h, results)
    run = h.run_of("a")
    assert run.state.current == expected
    assert len(run.attempts) == attempts
    assert [a.state.current for a in run.attempts] == results[:attempts]
    assert h.state == expected


def test_waiting_for_a_retry_puts_the_run_and_execution_in_retrying() -> None:
    h = started(retrying("type: constant;interval: PT10S;maxAttempts: 3"))
    h.finish("a", S.FAILED)
    assert h.state_of("a") == S.RETRYING
    assert h.state == S.RETRYING
    assert h.timers == [
        ScheduleTimer(START + timedelta(seconds=10), TimerFired("retry", h.run_of("a").id))
    ]
    h.advance(10)
    h.fire_timers()
    assert h.state == S.RUNNING
    command = h.dispatch_of("a")
    assert command.attempt == 2
    assert command.variables["taskrun"]["attemptsCount"] == 1
    history = [entry.state for entry in h.execution.state.histories]
    assert history == [S.CREATED, S.RUNNING, S.RETRYING, S.RUNNING]


@pytest.mark.parametrize(
    ("retry", "expected_delays"),
    [
        ("type: constant;interval: PT5S;maxAttempts: 4", [5, 5, 5]),
        ("type: exponential;interval: PT1S;maxInterval: PT5S;maxAttempts: 5", [2, 4, 5, 5]),
        (
            "type: exponential;interval: PT1S;maxInterval: PT1M;delayFactor: 3;maxAttempts: 4",
            [3, 6, 9],
        ),
    ],
)
def test_retry_delays(retry: str, expected_delays: list[int]) -> None:
    h = started(retrying(retry))
    delays = fail_then(h, [S.FAILED] * (len(expected_delays) + 1))
    assert delays == [timedelta(seconds=s) for s in expected_delays]
    assert h.state == S.FAILED


def test_random_delays_stay_between_min_and_max_and_are_repeatable() -> None:
    retry = "type: random;minInterval: PT1S;maxInterval: PT3S;maxAttempts: 4"
    first = fail_then(started(retrying(retry)), [S.FAILED] * 4)
    second = fail_then(started(retrying(retry)), [S.FAILED] * 4)
    assert len(first) == 3
    assert all(timedelta(seconds=1) <= d < timedelta(seconds=3) for d in first)
    assert first == second


def test_max_duration_stops_retries_whose_next_date_is_too_late() -> None:
    h = started(retrying("type: constant;interval: PT10S;maxDuration: PT25S"))
    delays = fail_then(h, [S.FAILED] * 3)
    # attempt 1 at t0; retries at +10 and +20; the next (+30) would pass t0 + 25s
    assert len(delays) == 2
    assert len(h.run_of("a").attempts) == 3
    assert h.state == S.FAILED


def test_without_retry_a_failure_is_final() -> None:
    h = started(log("a"))
    h.finish("a", S.FAILED)
    assert h.timers == []
    assert h.state == S.FAILED


def test_a_non_retryable_failure_is_not_retried() -> None:
    h = started(retrying("type: constant;interval: PT1S;maxAttempts: 5"))
    h.finish("a", S.FAILED, retryable=False, error="bad credentials")
    assert h.state == S.FAILED
    assert h.run_of("a").attempts[-1].state.current == S.FAILED


def test_a_worker_error_is_not_logged_again_but_others_errors_are() -> None:
    from legato.runtime.events import TaskRunFinished

    h = started(log("a"))
    h.finish("a", S.FAILED, error="worker said so")  # the worker logged it with the attempt
    assert all("worker said so" not in line.message for line in h.logs)
    h = started(log("a"))
    run_id = h.dispatch_of("a").task_run_id
    h.send(TaskRunFinished(run_id, 1, S.FAILED, error="lost its worker"))
    assert [line.message for line in h.logs if line.level == "ERROR"] == ["lost its worker"]


FLOWABLE_RETRY = """
- id: seq
  type: io.kestra.plugin.core.flow.Sequential
  retry:
    type: constant
    interval: PT7S
    maxAttempts: 2
  tasks:
    - id: a
      type: io.kestra.plugin.core.log.Log
      message: hi
"""

FLOW_RETRY = "retry:\n  type: constant\n  interval: PT3S\n  maxAttempts: 2"


@pytest.mark.parametrize(
    ("tasks", "extra", "delay"),
    [
        (retrying("type: constant;interval: PT1S;maxAttempts: 2"), FLOW_RETRY, 1),
        (FLOWABLE_RETRY, FLOW_RETRY, 7),
        (log("a"), FLOW_RETRY, 3),
    ],
)
def test_policy_lookup_order_task_then_flowable_then_flow(
    tasks: str, extra: str, delay: int
) -> None:
    h = started(tasks, extra)
    assert fail_then(h, [S.FAILED, S.FAILED]) == [timedelta(seconds=delay)]


def test_create_new_execution_ends_retried_and_replays_with_a_new_attempt_number() -> None:
    h = started(
        log("first")
        + "\n"
        + retrying("type: constant;interval: PT30S;maxAttempts: 3;behavior: CREATE_NEW_EXECUTION")
    )
    h.finish("first")
    h.finish("a", S.FAILED)
    assert h.state == S.RETRIED
    assert h.commands_of(ExecutionEnded) == [ExecutionEnded(S.RETRIED)]
    (created,) = h.commands_of(CreateExecution)
    new = created.execution
    assert new.id != h.execution.id
    assert new.parentId == h.execution.id
    assert new.metadata.attemptNumber == 2
    assert new.scheduleDate == START + timedelta(seconds=30)
    assert [(r.taskId, r.state.current) for r in new.taskRunList] == [
        ("first", S.SUCCESS),
        ("a", S.RESTARTED),
    ]


def test_a_retry_timer_for_a_run_that_moved_on_is_ignored() -> None:
    h = started(log("a"))
    h.finish("a")
    before = h.execution
    h.send(TimerFired("retry", h.run_of("a").id))
    assert h.execution == before


def test_flow_retry_applies_to_a_runnable_in_the_flow() -> None:
    h = Harness(flow_yaml(log("a"), FLOW_RETRY))
    h.start()
    h.finish("a", S.FAILED)
    assert h.state == S.RETRYING

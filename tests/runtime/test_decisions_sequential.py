"""Decision tables: task lists, runIf, allowFailure/allowWarning, errors/finally/afterExecution,
the final state, dispatch contents and flow outputs (reference §3.1, §3.3, §7)."""

from __future__ import annotations

import pytest
from runtime_flows import flow_yaml, log, started

from legato.model.execution import StateType as S
from legato.runtime.commands import DispatchTask, ExecutionEnded
from legato.testing import Harness

THREE = "\n".join(log(t) for t in ("a", "b", "c"))


def test_given_a_list_when_started_then_only_the_first_task_is_dispatched() -> None:
    h = started(THREE)
    assert h.state == S.RUNNING
    assert h.task_ids() == ["a"]
    assert h.state_of("a") == S.CREATED
    assert [h.execution.task_run(c.task_run_id).taskId for c in h.pending.values()] == ["a"]


def test_given_a_list_when_each_task_ends_then_the_next_one_starts_in_order() -> None:
    h = started(THREE)
    h.finish("a")
    assert h.task_ids() == ["a", "b"]
    h.finish("b")
    h.finish("c")
    assert h.task_ids() == ["a", "b", "c"]
    assert h.state == S.SUCCESS
    assert h.commands_of(ExecutionEnded) == [ExecutionEnded(S.SUCCESS)]


def test_task_run_started_moves_the_run_and_its_attempt_to_running() -> None:
    h = started(THREE)
    from legato.runtime.events import TaskRunStarted

    command = h.dispatch_of("a")
    h.send(TaskRunStarted(command.task_run_id, 1, "w9"))
    run = h.run_of("a")
    assert run.state.current == S.RUNNING
    assert run.attempts[0].state.current == S.RUNNING
    assert run.attempts[0].workerId == "w9"


@pytest.mark.parametrize(
    ("results", "expected", "created"),
    [
        ((S.SUCCESS, S.SUCCESS, S.SUCCESS), S.SUCCESS, ["a", "b", "c"]),
        ((S.WARNING, S.SUCCESS, S.SUCCESS), S.WARNING, ["a", "b", "c"]),
        ((S.SUCCESS, S.FAILED), S.FAILED, ["a", "b"]),
        ((S.KILLED,), S.KILLED, ["a"]),
        ((S.WARNING, S.FAILED), S.FAILED, ["a", "b"]),
    ],
)
def test_final_state_is_the_worst_of_the_tasks_and_a_failure_stops_the_list(
    results: tuple[S, ...], expected: S, created: list[str]
) -> None:
    h = started(THREE)
    for task_id, state in zip(("a", "b", "c"), results, strict=False):
        h.finish(task_id, state)
    assert h.state == expected
    assert h.task_ids() == created


@pytest.mark.parametrize(
    ("flags", "reported", "expected"),
    [
        ({"allowFailure": "true"}, S.FAILED, S.WARNING),
        ({"allowWarning": "true"}, S.WARNING, S.SUCCESS),
        ({"allowFailure": "true", "allowWarning": "true"}, S.FAILED, S.SUCCESS),
        ({"allowWarning": "true"}, S.FAILED, S.FAILED),
        ({"allowFailure": "true"}, S.KILLED, S.KILLED),
    ],
)
def test_allow_failure_and_allow_warning(flags: dict[str, str], reported: S, expected: S) -> None:
    h = started(log("a", **flags) + "\n" + log("b"))
    h.finish("a", reported)
    assert h.state_of("a") == expected
    continues = expected not in (S.FAILED, S.KILLED)
    assert h.task_ids() == (["a", "b"] if continues else ["a"])


@pytest.mark.parametrize(
    ("run_if", "expected"),
    [
        ('"false"', S.SKIPPED),
        ('"0"', S.SKIPPED),
        ('"-0"', S.SKIPPED),
        ('""', S.SKIPPED),
        ("false", S.SKIPPED),
        ('"False"', S.CREATED),
        ('"true"', S.CREATED),
        ('"{{ inputs.go }}"', S.SKIPPED),
        ('"{{ inputs.go == false }}"', S.CREATED),
    ],
)
def test_run_if_decides_between_skipping_and_dispatching(run_if: str, expected: S) -> None:
    h = Harness(flow_yaml(log("a", runIf=run_if) + "\n" + log("b")), inputs={"go": False})
    h.start()
    assert h.state_of("a") == expected
    if expected == S.SKIPPED:
        assert h.task_ids() == ["a", "b"]


def test_run_if_render_error_fails_the_task_run_with_a_log_line() -> None:
    h = started(log("a", runIf='"{{ undefined.thing }}"'))
    assert h.state_of("a") == S.FAILED
    assert h.state == S.FAILED
    assert any("could not start" in line.message and line.level == "ERROR" for line in h.logs)


def test_all_skipped_tasks_end_the_execution_in_success() -> None:
    h = started(log("a", runIf='"false"'))
    assert h.state == S.SUCCESS


def test_disabled_tasks_get_no_task_run() -> None:
    h = started(log("a", disabled="true") + "\n" + log("b"))
    h.finish("b")
    assert h.task_ids() == ["b"]
    assert h.state == S.SUCCESS


ERRORS = "errors:\n" + log("e1") + "\n" + log("e2")
FINALLY = "finally:\n" + log("z")


@pytest.mark.parametrize(
    ("first", "errors_result", "created", "expected"),
    [
        (S.SUCCESS, None, ["a", "b", "z"], S.SUCCESS),
        (S.FAILED, S.SUCCESS, ["a", "e1", "e2", "z"], S.FAILED),
        (S.FAILED, S.FAILED, ["a", "e1", "z"], S.FAILED),
    ],
)
def test_errors_run_after_a_failure_and_finally_always_runs(
    first: S, errors_result: S | None, created: list[str], expected: S
) -> None:
    h = started(log("a") + "\n" + log("b"), ERRORS + "\n" + FINALLY)
    h.finish("a", first)
    if first == S.SUCCESS:
        h.finish("b")
    else:
        assert h.task_ids() == ["a", "e1"]
        h.finish("e1", errors_result or S.SUCCESS)
        if errors_result == S.SUCCESS:
            h.finish("e2")
    h.finish("z")
    assert h.task_ids() == created
    assert h.state == expected


def test_a_failing_finally_task_does_not_change_the_final_state() -> None:
    # Kestra's guessFinalState reads the ``tasks`` branch only
    h = started(log("a"), FINALLY)
    h.finish("a")
    h.finish("z", S.FAILED)
    assert h.state == S.SUCCESS


AFTER = (
    "afterExecution:\n"
    + log("on_success", runIf="\"{{ execution.state == 'SUCCESS' }}\"")
    + "\n"
    + log("on_failure", runIf="\"{{ execution.state == 'FAILED' }}\"")
)


@pytest.mark.parametrize(
    ("first", "after_states"),
    [
        # a failing afterExecution task stops the list, as in any task list
        (S.SUCCESS, {"on_success": S.FAILED}),
        (S.FAILED, {"on_success": S.SKIPPED, "on_failure": S.FAILED}),
    ],
)
def test_after_execution_runs_on_the_ended_execution_and_never_changes_it(
    first: S, after_states: dict[str, S]
) -> None:
    h = started(log("a"), AFTER)
    h.finish("a", first)
    # the execution ended first: afterExecution tasks read its final state
    assert h.state == first
    assert h.commands_of(ExecutionEnded) == [ExecutionEnded(first)]
    h.run_to_end(lambda d: (S.FAILED, None))
    assert {r.taskId: r.state.current for r in h.execution.taskRunList[1:]} == after_states
    assert h.state == first
    assert h.commands_of(ExecutionEnded) == [ExecutionEnded(first)]


def test_after_execution_does_not_run_for_an_execution_that_never_ran() -> None:
    h = Harness(flow_yaml(log("a"), AFTER + "\nconcurrency:\n  limit: 1\n  behavior: CANCEL"))
    h.running_executions = 1
    h.start()
    assert h.state == S.CANCELLED
    assert h.task_ids() == []


def test_dispatch_carries_task_json_variables_and_timeout() -> None:
    h = started(log("a", timeout="PT1M30S"), "variables:\n  env: prod")
    command = h.dispatch_of("a")
    assert isinstance(command, DispatchTask)
    assert command.attempt == 1
    assert command.task["id"] == "a"
    assert command.task["type"] == "io.kestra.plugin.core.log.Log"
    assert command.timeout_seconds == 90.0
    variables = command.variables
    assert variables["task"] == {"id": "a", "type": "io.kestra.plugin.core.log.Log"}
    assert variables["taskrun"]["attemptsCount"] == 0
    assert variables["taskrun"]["id"] == command.task_run_id
    assert variables["flow"] == {"id": "f", "namespace": "t", "revision": 1}
    assert variables["execution"]["id"] == h.execution.id
    assert variables["vars"] == {"env": "prod"}


def test_timeout_given_as_an_expression_is_rendered() -> None:
    h = Harness(flow_yaml(log("a", timeout='"{{ inputs.t }}"')), inputs={"t": "PT2S"})
    h.start()
    assert h.dispatch_of("a").timeout_seconds == 2.0


def test_outputs_of_earlier_tasks_reach_later_dispatches() -> None:
    h = started(log("a") + "\n" + log("b", description='"{{ tasks.a }}"'))
    h.finish("a", S.SUCCESS, {"value": 42})
    assert h.dispatch_of("b").variables["outputs"] == {"a": {"value": 42}}
    assert h.dispatch_of("b").variables["tasks"]["a"] == {"state": "SUCCESS"}


FLOW_OUTPUTS = """
outputs:
  - id: answer
    type: INT
    value: "{{ outputs.a.value }}"
  - id: deep.name
    type: STRING
    value: "n-{{ outputs.a.value }}"
"""


def test_flow_outputs_are_rendered_and_coerced_at_the_end() -> None:
    h = started(log("a"), FLOW_OUTPUTS)
    h.finish("a", S.SUCCESS, {"value": "7"})
    assert h.state == S.SUCCESS
    assert h.execution.outputs == {"answer": 7, "deep": {"name": "n-7"}}


def test_flow_outputs_that_cannot_render_fail_the_execution() -> None:
    h = started(log("a"), FLOW_OUTPUTS)
    h.finish("a", S.SUCCESS, {"other": 1})
    assert h.state == S.FAILED
    assert any("flow outputs" in line.message for line in h.logs)


def test_flow_outputs_of_the_wrong_type_fail_the_execution() -> None:
    h = started(log("a"), FLOW_OUTPUTS)
    h.finish("a", S.SUCCESS, {"value": "not a number"})
    assert h.state == S.FAILED


def test_events_for_terminal_or_unknown_task_runs_are_ignored() -> None:
    from legato.runtime.events import TaskRunFinished

    h = started(log("a") + "\n" + log("b"))
    command = h.dispatch_of("a")
    h.finish("a")
    before = h.execution
    h.send(TaskRunFinished(command.task_run_id, 1, S.FAILED))
    h.send(TaskRunFinished("nope", 1, S.FAILED))
    h.send(TaskRunFinished(h.dispatch_of("b").task_run_id, 2, S.FAILED))
    assert h.execution.taskRunList == before.taskRunList
    assert h.state_of("a") == S.SUCCESS


def test_a_second_execution_created_event_changes_nothing() -> None:
    h = started(log("a"))
    before = h.execution
    transition = h.start()
    assert transition.execution == before
    assert transition.commands == ()


def test_envs_and_globals_from_the_step_context_reach_the_variables() -> None:
    h = Harness(flow_yaml(log("a")), envs={"region": "eu"}, globals_={"team": "data"})
    h.start()
    variables = h.dispatch_of("a").variables
    assert variables["envs"] == {"region": "eu"}
    assert variables["globals"] == {"team": "data"}

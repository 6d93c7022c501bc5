"""Decision tables for the core flowables decided by the executor (reference §3.2, §3.3)."""

from __future__ import annotations

import pytest
from runtime_flows import started

from legato.model.execution import StateType as S
from legato.runtime.commands import DispatchTask
from legato.testing import Harness

LOG = "type: io.kestra.plugin.core.log.Log\n      message: hi"


def children(*ids: str, indent: str = "    ") -> str:
    return "\n".join(
        f"{indent}- id: {i}\n{indent}  type: io.kestra.plugin.core.log.Log\n{indent}  message: hi"
        for i in ids
    )


def dispatched_ids(h: object) -> list[str]:
    return sorted(
        h.execution.task_run(c.task_run_id).taskId  # type: ignore[attr-defined]
        for c in h.pending.values()  # type: ignore[attr-defined]
    )


# -- Sequential / Parallel / AllowFailure ---------------------------------------------------


def test_sequential_runs_children_in_order_then_ends_with_their_worst_state() -> None:
    h = started(
        "- id: seq\n  type: io.kestra.plugin.core.flow.Sequential\n  tasks:\n" + children("a", "b")
    )
    assert h.state_of("seq") == S.RUNNING
    assert dispatched_ids(h) == ["a"]
    h.finish("a", S.WARNING)
    h.finish("b")
    assert h.state_of("seq") == S.WARNING
    assert h.state == S.WARNING
    assert h.run_of("a").parentTaskRunId == h.run_of("seq").id


def test_sequential_errors_branch_runs_inside_the_flowable() -> None:
    h = started(
        "- id: seq\n  type: io.kestra.plugin.core.flow.Sequential\n  tasks:\n"
        + children("a")
        + "\n  errors:\n"
        + children("handler")
        + "\n- id: after\n  type: io.kestra.plugin.core.log.Log\n  message: hi"
    )
    h.finish("a", S.FAILED)
    assert dispatched_ids(h) == ["handler"]
    h.finish("handler")
    assert h.state_of("seq") == S.FAILED
    assert h.state == S.FAILED
    assert "after" not in h.task_ids()


@pytest.mark.parametrize(
    ("concurrent", "first_wave"),
    [(0, ["a", "b", "c"]), (2, ["a", "b"]), (1, ["a"])],
)
def test_parallel_starts_children_up_to_its_concurrency(
    concurrent: int, first_wave: list[str]
) -> None:
    h = started(
        f"- id: par\n  type: io.kestra.plugin.core.flow.Parallel\n  concurrent: {concurrent}\n"
        "  tasks:\n" + children("a", "b", "c")
    )
    assert dispatched_ids(h) == first_wave
    h.run_to_end()
    assert h.state == S.SUCCESS
    assert sorted(h.task_ids()) == ["a", "b", "c", "par"]


def test_parallel_starts_nothing_new_after_a_failure_and_ends_failed() -> None:
    h = started(
        "- id: par\n  type: io.kestra.plugin.core.flow.Parallel\n  concurrent: 1\n"
        "  tasks:\n" + children("a", "b")
    )
    h.finish("a", S.FAILED)
    assert "b" not in h.task_ids()
    assert h.state_of("par") == S.FAILED
    assert h.state == S.FAILED


@pytest.mark.parametrize(("child", "expected"), [(S.FAILED, S.WARNING), (S.SUCCESS, S.SUCCESS)])
def test_allow_failure_turns_a_failed_group_into_warning(child: S, expected: S) -> None:
    h = started(
        "- id: grp\n  type: io.kestra.plugin.core.flow.AllowFailure\n  tasks:\n"
        + children("a", "b")
        + "\n- id: next\n  type: io.kestra.plugin.core.log.Log\n  message: hi"
    )
    h.finish("a", child)
    if child == S.SUCCESS:
        h.finish("b")
    else:
        assert "b" not in h.task_ids()
    assert h.state_of("grp") == expected
    h.finish("next")
    assert h.state == expected


# -- If / Switch ----------------------------------------------------------------------------

IF = (
    """- id: check
  type: io.kestra.plugin.core.flow.If
  condition: "{{ inputs.go }}"
  then:
"""
    + children("yes")
    + "\n  else:\n"
    + children("no")
)


@pytest.mark.parametrize(
    ("go", "branch", "result"),
    [(True, "yes", True), (False, "no", False), ("False", "yes", True), (0, "no", False)],
)
def test_if_runs_then_or_else_and_records_the_evaluation(
    go: object, branch: str, result: bool
) -> None:
    h = started(IF, inputs={"go": go})
    assert dispatched_ids(h) == [branch]
    assert h.run_of("check").outputs == {"evaluationResult": result}
    h.run_to_end()
    assert h.state == S.SUCCESS


def test_if_without_else_and_a_false_condition_succeeds_without_children() -> None:
    h = started(
        '- id: check\n  type: io.kestra.plugin.core.flow.If\n  condition: "false"\n  then:\n'
        + children("yes")
    )
    assert h.task_ids() == ["check"]
    assert h.state_of("check") == S.SUCCESS
    assert h.state == S.SUCCESS


def test_if_condition_render_error_fails_the_flowable() -> None:
    h = started(
        '- id: check\n  type: io.kestra.plugin.core.flow.If\n  condition: "{{ nope.x }}"\n'
        "  then:\n" + children("yes")
    )
    assert h.state_of("check") == S.FAILED
    assert h.state == S.FAILED


SWITCH = (
    """- id: sw
  type: io.kestra.plugin.core.flow.Switch
  value: "{{ inputs.kind }}"
  cases:
    A:
"""
    + children("case_a", indent="      ")
    + "\n    B:\n"
    + children("case_b", indent="      ")
    + "\n  defaults:\n"
    + children("fallback")
)


@pytest.mark.parametrize(
    ("kind", "branch", "outputs"),
    [
        ("A", "case_a", {"value": "A", "defaults": False}),
        ("B", "case_b", {"value": "B", "defaults": False}),
        ("Z", "fallback", {"value": "Z", "defaults": True}),
    ],
)
def test_switch_runs_the_matching_case_or_the_defaults(
    kind: str, branch: str, outputs: dict[str, object]
) -> None:
    h = started(SWITCH, inputs={"kind": kind})
    assert dispatched_ids(h) == [branch]
    assert h.run_of("sw").outputs == outputs
    h.run_to_end()
    assert h.state == S.SUCCESS


# -- ForEach and the deprecated Each* --------------------------------------------------------


def foreach(values: str, limit: int | None = None, body: str = "") -> str:
    text = f"- id: each\n  type: io.kestra.plugin.core.flow.ForEach\n  values: {values}\n"
    if limit is not None:
        text += f"  concurrencyLimit: {limit}\n"
    return text + "  tasks:\n" + (body or children("t"))


@pytest.mark.parametrize(("limit", "first_wave"), [(None, 1), (1, 1), (2, 2), (0, 3)])
def test_foreach_runs_values_up_to_its_concurrency_limit(
    limit: int | None, first_wave: int
) -> None:
    h = started(foreach('["x", "y", "z"]', limit))
    assert len(h.pending) == first_wave
    h.run_to_end()
    assert [r.value for r in h.runs("t")] == ["x", "y", "z"]
    assert [r.iteration for r in h.runs("t")] == [0, 1, 2]
    assert h.state == S.SUCCESS


def test_foreach_values_are_strings_maps_are_json() -> None:
    h = started(foreach('[1, true, {"k": "v"}, [1, 2]]', 0))
    assert sorted(c.variables["taskrun"]["value"] for c in h.pending.values()) == sorted(
        ["1", "true", '{"k":"v"}', "[1,2]"]
    )


def test_foreach_values_from_an_expression_or_json_text() -> None:
    h = started(foreach('"{{ inputs.items }}"', 0), inputs={"items": ["a", "b"]})
    assert sorted(r.value for r in h.runs("t")) == ["a", "b"]
    h = started(foreach('\'["p", "q"]\'', 0))
    assert sorted(r.value for r in h.runs("t")) == ["p", "q"]


def test_foreach_outputs_are_addressed_by_value_and_later_tasks_see_them() -> None:
    h = started(
        foreach('["x", "y"]', 0)
        + "\n- id: after\n  type: io.kestra.plugin.core.log.Log\n  message: hi"
    )
    h.finish("t", S.SUCCESS, {"v": 1}, value="x")
    h.finish("t", S.SUCCESS, {"v": 2}, value="y")
    assert h.dispatch_of("after").variables["outputs"]["t"] == {"x": {"v": 1}, "y": {"v": 2}}


def test_a_failed_value_stops_a_sequential_foreach_and_fails_it() -> None:
    h = started(foreach('["x", "y"]', 1))
    h.finish("t", S.FAILED, value="x")
    assert [r.value for r in h.runs("t")] == ["x"]
    assert h.state_of("each") == S.FAILED


def test_foreach_with_several_tasks_runs_them_in_order_per_value() -> None:
    h = started(foreach('["x", "y"]', 0, children("one", "two")))
    assert dispatched_ids(h) == ["one", "one"]
    h.finish("one", value="x")
    assert dispatched_ids(h) == ["one", "two"]
    h.run_to_end()
    assert h.state == S.SUCCESS
    assert len(h.task_ids()) == 5


def test_nested_loops_expose_parent_values_and_nest_outputs() -> None:
    inner = (
        "    - id: inner\n      type: io.kestra.plugin.core.flow.ForEach\n"
        '      values: ["1", "2"]\n      tasks:\n' + children("leaf", indent="        ")
    )
    h = started(foreach('["a"]', 1, inner))
    command = h.dispatch_of("leaf")
    assert command.variables["taskrun"]["value"] == "1"
    assert command.variables["parent"]["taskrun"]["value"] == "a"
    assert command.variables["parents"][0]["taskrun"]["value"] == "a"
    h.finish("leaf", S.SUCCESS, {"n": 1}, value="1")
    after = h.dispatch_of("leaf", "2")
    assert after.variables["outputs"]["leaf"] == {"a": {"1": {"n": 1}}}
    h.run_to_end()
    assert h.state == S.SUCCESS


def test_children_of_a_flowable_inside_a_loop_read_the_value_from_their_parent() -> None:
    # Kestra's resolveTasks gives no value to the children of a Sequential: they read
    # parent.taskrun.value, and their outputs are still nested by the loop value
    seq = "    - id: seq\n      type: io.kestra.plugin.core.flow.Sequential\n      tasks:\n"
    reader = (
        "\n        - id: next\n          type: io.kestra.plugin.core.log.Log\n"
        '          message: "{{ tasks.leaf }}"'
    )
    h = started(foreach('["v"]', 1, seq + children("leaf", indent="        ") + reader))
    assert h.run_of("leaf").value is None
    assert h.dispatch_of("leaf").variables["parent"]["taskrun"]["value"] == "v"
    assert "value" not in h.dispatch_of("leaf").variables["taskrun"]
    h.finish("leaf", S.SUCCESS, {"n": 3})
    variables = h.dispatch_of("next").variables
    assert variables["outputs"]["leaf"] == {"v": {"n": 3}}
    assert variables["tasks"]["leaf"] == {"v": {"state": "SUCCESS"}}
    h.run_to_end()
    assert h.state == S.SUCCESS


def test_executor_conditions_read_current_each_output_of_their_loop_value() -> None:
    body = children("ret") + (
        "\n    - id: check\n      type: io.kestra.plugin.core.flow.If\n"
        '      condition: "{{ currentEachOutput(outputs.ret).n > 1 }}"\n'
        "      then:\n" + children("big", indent="        ") + "\n"
        "      else:\n" + children("small", indent="        ")
    )
    h = started(foreach('["x", "y"]', 0, body))
    h.finish("ret", S.SUCCESS, {"n": 1}, value="x")
    h.finish("ret", S.SUCCESS, {"n": 2}, value="y")
    assert dispatched_ids(h) == ["big", "small"]
    h.run_to_end()
    assert h.state == S.SUCCESS
    assert h.run_of("check", "x").outputs == {"evaluationResult": False}


def test_executor_conditions_read_tasks_with_state() -> None:
    h = started(
        children("a", indent=""),
        "errors:\n  - id: seen\n    type: io.kestra.plugin.core.flow.If\n"
        "    condition: \"{{ tasksWithState('failed') | length == 1 }}\"\n"
        "    then:\n" + children("report", indent="      "),
    )
    h.finish("a", S.FAILED)
    assert dispatched_ids(h) == ["report"]


def test_foreach_drops_duplicate_values_and_refuses_nulls() -> None:
    h = started(foreach('["a", "b", "a"]', 0, children("one", "two")))
    assert sorted(r.value or "" for r in h.runs("one")) == ["a", "b"]
    # iteration is the value's index, the same for every task of the value, as Kestra's
    # resolveEachTasks (ForEachTest.iteration: the second task's runs are iterations 0 and 1)
    assert sorted(r.iteration or 0 for r in h.runs("one")) == [0, 1]
    h.run_to_end()
    assert sorted(r.iteration or 0 for r in h.runs("two")) == [0, 1]
    h = started(foreach("[1, null]", 0))
    assert h.state_of("each") == S.FAILED
    assert any("null value" in line.message for line in h.logs)


@pytest.mark.parametrize(
    ("kind", "extra", "first_wave"),
    [("EachSequential", "", 1), ("EachParallel", "", 2), ("EachParallel", "  concurrent: 1\n", 1)],
)
def test_deprecated_each_tasks(kind: str, extra: str, first_wave: int) -> None:
    h = started(
        f'- id: each\n  type: io.kestra.plugin.core.flow.{kind}\n  value: ["x", "y"]\n'
        + extra
        + "  tasks:\n"
        + children("t")
    )
    assert len(h.pending) == first_wave
    h.run_to_end()
    assert h.state == S.SUCCESS


def test_foreach_with_bad_values_fails() -> None:
    h = started(foreach('"not json"', 0))
    assert h.state_of("each") == S.FAILED
    h = started(foreach('"{{ 42 }}"', 0))
    assert h.state_of("each") == S.FAILED


def test_foreach_over_a_map_iterates_key_value_entries() -> None:
    h = started(foreach("\"{{ {'a': 1} }}\"", 0))
    assert h.run_of("t").value == '{"key":"a","value":1}'


# -- Dag ------------------------------------------------------------------------------------

DAG = """- id: dag
  type: io.kestra.plugin.core.flow.Dag
  concurrent: {concurrent}
  tasks:
    - task:
        id: a
        {log}
    - task:
        id: b
        {log}
      dependsOn: [a]
    - task:
        id: c
        {log}
      dependsOn: [a]
    - task:
        id: d
        {log}
      dependsOn: [b, c]
""".replace("{log}", "type: io.kestra.plugin.core.log.Log\n        message: hi")


def test_dag_runs_each_task_once_its_dependencies_succeeded() -> None:
    h = started(DAG.replace("{concurrent}", "0"))
    assert dispatched_ids(h) == ["a"]
    h.finish("a")
    assert dispatched_ids(h) == ["b", "c"]
    h.finish("b")
    assert dispatched_ids(h) == ["c"]
    h.finish("c")
    assert dispatched_ids(h) == ["d"]
    h.finish("d")
    assert h.state == S.SUCCESS


def test_dag_concurrency_and_failure() -> None:
    h = started(DAG.replace("{concurrent}", "1"))
    h.finish("a")
    assert dispatched_ids(h) == ["b"]
    h.finish("b", S.FAILED)
    assert "c" not in h.task_ids()
    assert h.state_of("dag") == S.FAILED


# -- Pause ----------------------------------------------------------------------------------

PAUSE = (
    "- id: wait\n  type: io.kestra.plugin.core.flow.Pause\n{extra}"
    + "\n"
    + children("after", indent="")
)


def test_pause_pauses_the_execution_until_resumed_with_on_resume_inputs() -> None:
    h = started(PAUSE.replace("{extra}", ""))
    assert h.state_of("wait") == S.PAUSED
    assert h.state == S.PAUSED
    assert h.timers == []
    h.resume({"ok": True})
    run = h.run_of("wait")
    assert run.state.current == S.SUCCESS
    assert run.outputs == {"onResume": {"ok": True}}
    assert [e.state for e in h.execution.state.histories][-3:] == [
        S.PAUSED,
        S.RESTARTED,
        S.RUNNING,
    ]
    assert dispatched_ids(h) == ["after"]


@pytest.mark.parametrize(
    ("behavior", "expected"),
    [("RESUME", S.SUCCESS), ("WARN", S.WARNING), ("FAIL", S.FAILED), ("CANCEL", S.CANCELLED)],
)
def test_pause_duration_then_behavior(behavior: str, expected: S) -> None:
    h = started(PAUSE.replace("{extra}", f"  pauseDuration: PT1M\n  behavior: {behavior}"))
    assert len(h.timers) == 1
    h.advance(60)
    h.fire_timers()
    assert h.state_of("wait") == expected
    if expected in (S.SUCCESS, S.WARNING):
        assert dispatched_ids(h) == ["after"]
    else:
        assert h.state == expected


def test_pause_legacy_delay_resumes_and_timeout_fails() -> None:
    h = started(PAUSE.replace("{extra}", "  delay: PT5S"))
    h.advance(5)
    h.fire_timers()
    assert h.state_of("wait") == S.SUCCESS
    h = started(PAUSE.replace("{extra}", "  timeout: PT5S"))
    h.advance(5)
    h.fire_timers()
    assert h.state_of("wait") == S.FAILED


def test_resume_of_a_running_execution_is_ignored() -> None:
    h = started(children("a", indent=""))
    before = h.execution
    h.resume()
    assert h.execution == before


# -- LoopUntil ------------------------------------------------------------------------------

LOOP = """- id: loop
  type: io.kestra.plugin.core.flow.LoopUntil
  condition: "{{ outputs.probe.done ?? false }}"
  failOnMaxReached: {fail}
  checkFrequency:
    interval: PT10S
    maxIterations: 3
  tasks:
""" + children("probe")


@pytest.mark.parametrize(("fail", "expected"), [("false", S.SUCCESS), ("true", S.FAILED)])
def test_loop_until_stops_at_max_iterations(fail: str, expected: S) -> None:
    h = started(LOOP.replace("{fail}", fail))
    h.run_to_end(lambda d: (S.SUCCESS, {"done": False}))
    assert [r.iteration for r in h.runs("probe")] == [1, 2, 3]
    assert h.state_of("loop") == expected
    assert h.run_of("loop").outputs == {"iterationCount": 3}


def test_loop_until_waits_the_interval_and_stops_when_the_condition_holds() -> None:
    h = started(LOOP.replace("{fail}", "false"))
    h.finish("probe", S.SUCCESS, {"done": False})
    assert h.state_of("loop") == S.RUNNING
    assert len(h.timers) == 1
    h.advance(9)
    assert h.fire_timers() == 0
    h.advance(1)
    h.fire_timers()
    assert [r.iteration for r in h.runs("probe")] == [1, 2]
    h.finish("probe", S.SUCCESS, {"done": True})
    assert h.state_of("loop") == S.SUCCESS
    assert h.run_of("loop").outputs == {"iterationCount": 2}


def test_loop_until_fails_when_an_iteration_fails() -> None:
    h = started(LOOP.replace("{fail}", "false"))
    h.finish("probe", S.FAILED)
    assert h.state_of("loop") == S.FAILED


# -- Subflow --------------------------------------------------------------------------------

SUBFLOW = """- id: sub
  type: io.kestra.plugin.core.flow.Subflow
  namespace: other
  flowId: child
  inputs:
    n: "{{ inputs.n }}"
  labels:
    team: data
  wait: {wait}
  transmitFailed: {transmit}
"""


@pytest.mark.parametrize(
    ("transmit", "child", "expected"),
    [
        ("true", S.SUCCESS, S.SUCCESS),
        ("true", S.FAILED, S.FAILED),
        ("false", S.FAILED, S.SUCCESS),
        ("true", S.WARNING, S.WARNING),
        ("false", S.WARNING, S.SUCCESS),
        ("true", S.KILLED, S.KILLED),
        ("true", S.CANCELLED, S.SUCCESS),
    ],
)
def test_subflow_waits_for_the_child_and_transmits_its_failure(
    transmit: str, child: S, expected: S
) -> None:
    from legato.runtime.commands import StartSubflow

    h = started(SUBFLOW.replace("{wait}", "true").replace("{transmit}", transmit), inputs={"n": 5})
    (start,) = h.commands_of(StartSubflow)
    assert (start.namespace, start.flow_id, start.inputs, start.labels) == (
        "other",
        "child",
        {"n": 5},
        (("team", "data"),),
    )
    assert h.state_of("sub") == S.RUNNING
    h.subflow_ended("sub", child, {"o": 1})
    run = h.run_of("sub")
    assert run.state.current == expected
    assert run.outputs == {"executionId": "child0001", "state": child.value, "outputs": {"o": 1}}


def test_subflow_without_wait_succeeds_once_the_child_exists() -> None:
    h = started(SUBFLOW.replace("{wait}", "false").replace("{transmit}", "true"), inputs={"n": 1})
    h.subflow_ended("sub", S.CREATED)
    assert h.state_of("sub") == S.SUCCESS
    assert h.run_of("sub").outputs == {"executionId": "child0001"}
    assert h.state == S.SUCCESS


def test_subflow_that_waits_records_the_child_id_while_it_runs() -> None:
    h = started(SUBFLOW.replace("{wait}", "true").replace("{transmit}", "true"), inputs={"n": 1})
    h.subflow_ended("sub", S.RUNNING)
    assert h.state_of("sub") == S.RUNNING
    assert h.run_of("sub").outputs == {"executionId": "child0001"}


def test_subflow_inherits_labels_when_asked() -> None:
    from legato.runtime.commands import StartSubflow

    h = started(
        "- id: sub\n  type: io.kestra.plugin.core.flow.Subflow\n  namespace: o\n  flowId: c\n"
        "  inheritLabels: true\n  labels:\n    - key: k\n      value: v",
        labels={"team": "x", "system.correlationId": "c1"},
    )
    (start,) = h.commands_of(StartSubflow)
    assert start.labels == (("team", "x"), ("k", "v"))


# -- WorkingDirectory, Labels, Exit ---------------------------------------------------------


def test_working_directory_is_dispatched_whole_and_reports_its_children() -> None:
    h = started(
        "- id: wd\n  type: io.kestra.plugin.core.flow.WorkingDirectory\n  tasks:\n"
        + children("a", "b")
    )
    (command,) = h.pending.values()
    assert isinstance(command, DispatchTask)
    assert [t["id"] for t in command.task["tasks"]] == ["a", "b"]
    parent = h.run_of("wd")
    child = parent.model_copy(
        update={"id": "child1", "taskId": "a", "parentTaskRunId": parent.id}
    ).model_dump(mode="json", by_alias=True, exclude_none=True)
    h.finish("wd", S.SUCCESS, children=(child,))
    assert h.task_ids() == ["wd", "a"]
    assert h.state == S.SUCCESS


def test_labels_task_updates_execution_labels_in_the_executor() -> None:
    h = started(
        "- id: lab\n  type: io.kestra.plugin.core.execution.Labels\n  labels:\n"
        '    env: "{{ inputs.env }}"\n    team: new\n' + children("after", indent=""),
        labels={"team": "old"},
        inputs={"env": "prod"},
    )
    assert h.state_of("lab") == S.SUCCESS
    assert {(label.key, label.value) for label in h.execution.labels} == {
        ("team", "new"),
        ("env", "prod"),
    }
    assert dispatched_ids(h) == ["after"]
    assert h.dispatch_of("after").variables["labels"] == {"team": "new", "env": "prod"}


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("SUCCESS", S.SUCCESS),
        ("WARNING", S.WARNING),
        ("FAILED", S.FAILED),
        ("CANCELED", S.CANCELLED),
        ("KILLED", S.KILLED),
    ],
)
def test_exit_ends_the_execution_in_its_state(state: str, expected: S) -> None:
    from legato.runtime.commands import ExecutionEnded, KillTaskRuns

    h = started(
        "- id: par\n  type: io.kestra.plugin.core.flow.Parallel\n  tasks:\n"
        + children("slow")
        + "\n    - id: stop\n      type: io.kestra.plugin.core.execution.Exit\n"
        + f"      state: {state}"
    )
    assert h.state == expected
    assert h.commands_of(ExecutionEnded) == [ExecutionEnded(expected)]
    assert h.state_of("stop") == expected
    assert h.state_of("par") == expected
    # running tasks are interrupted only for KILLED (Kestra's Exit documentation)
    killed = expected == S.KILLED
    kills = [KillTaskRuns((h.run_of("slow").id,))] if killed else []
    assert h.commands_of(KillTaskRuns) == kills
    assert h.state_of("slow") == (S.KILLED if killed else S.CREATED)


# -- ForEachItem ----------------------------------------------------------------------------

FOREACH_ITEM = """- id: fe
  type: io.kestra.plugin.core.flow.ForEachItem
  items: kestra:///data/items.csv
  batch:
    rows: 2
  namespace: other
  flowId: child
  inputs:
    file: "{{ taskrun.items }}"
    index: "{{ taskrun.iteration }}"
  transmitFailed: {transmit}
"""


def test_for_each_item_splits_starts_one_subflow_per_batch_then_merges() -> None:
    from legato.runtime.commands import StartSubflow
    from legato.runtime.events import SubflowFinished

    h = started(FOREACH_ITEM.replace("{transmit}", "true"))
    split = h.dispatch_of("fe_split")
    assert split.task["type"] == "io.kestra.plugin.core.flow.ForEachItem$ForEachItemSplit"
    assert (split.task["items"], split.task["rows"]) == ("kestra:///data/items.csv", 2)
    h.finish("fe_split", S.SUCCESS, {"splits": ["kestra:///b0", "kestra:///b1"]})
    starts = h.commands_of(StartSubflow)
    assert [(s.flow_id, s.inputs) for s in starts] == [
        ("child", {"file": "kestra:///b0", "index": 0}),
        ("child", {"file": "kestra:///b1", "index": 1}),
    ]
    items = h.run_of("fe_items")
    assert items.outputs == {"numberOfBatches": 2, "iterations": {"CREATED": 2}}
    h.send(SubflowFinished(items.id, "c1", S.SUCCESS, {"n": 1}))
    assert h.state_of("fe_items") == S.RUNNING
    h.send(SubflowFinished(items.id, "c2", S.SUCCESS, {"n": 2}))
    assert h.state_of("fe_items") == S.SUCCESS
    merge = h.dispatch_of("fe_merge")
    assert merge.variables["outputs"]["fe_items"]["subflowOutputs"] == [{"n": 1}, {"n": 2}]
    h.finish("fe_merge", S.SUCCESS, {"subflowOutputs": "kestra:///merged"})
    assert h.state_of("fe") == S.SUCCESS
    assert h.run_of("fe").outputs == {
        "numberOfBatches": 2,
        "iterations": {"CREATED": 0, "SUCCESS": 2},
        "uri": "kestra:///merged",
    }
    assert h.state == S.SUCCESS


def test_for_each_item_merges_outputs_in_iteration_order_not_completion_order() -> None:
    from legato.runtime.events import SubflowFinished

    h = started(FOREACH_ITEM.replace("{transmit}", "true"))
    h.finish("fe_split", S.SUCCESS, {"splits": ["kestra:///b0", "kestra:///b1", "kestra:///b2"]})
    items = h.run_of("fe_items")
    for child in ("c0", "c1", "c2"):  # the executor reports each child once created
        h.send(SubflowFinished(items.id, child, S.CREATED))
    assert h.run_of("fe_items").outputs["executionIds"] == ["c0", "c1", "c2"]
    h.send(SubflowFinished(items.id, "c2", S.SUCCESS, {"n": 2}))
    h.send(SubflowFinished(items.id, "c1", S.SUCCESS))  # a child without outputs
    assert h.state_of("fe_items") == S.RUNNING
    h.send(SubflowFinished(items.id, "c0", S.SUCCESS, {"n": 0}))
    assert h.state_of("fe_items") == S.SUCCESS
    assert h.run_of("fe_items").outputs["subflowOutputs"] == [{"n": 0}, {"n": 2}]
    assert h.run_of("fe_items").outputs["iterations"] == {"CREATED": 0, "SUCCESS": 3}


@pytest.mark.parametrize(("transmit", "expected"), [("true", S.FAILED), ("false", S.SUCCESS)])
def test_for_each_item_transmits_a_failed_batch(transmit: str, expected: S) -> None:
    from legato.runtime.events import SubflowFinished

    h = started(FOREACH_ITEM.replace("{transmit}", transmit))
    h.finish("fe_split", S.SUCCESS, {"splits": ["kestra:///b0", "kestra:///b1"]})
    items = h.run_of("fe_items")
    h.send(SubflowFinished(items.id, "c1", S.FAILED))
    h.send(SubflowFinished(items.id, "c2", S.SUCCESS))
    assert h.state_of("fe_items") == expected


def test_for_each_item_over_no_batch_succeeds() -> None:
    h = started(FOREACH_ITEM.replace("{transmit}", "true"))
    h.finish("fe_split", S.SUCCESS, {"splits": []})
    assert h.state_of("fe_items") == S.SUCCESS
    assert h.run_of("fe_items").outputs == {"numberOfBatches": 0, "iterations": {"CREATED": 0}}


def test_for_each_item_without_wait_ends_once_every_batch_started_and_skips_the_merge() -> None:
    from legato.runtime.events import SubflowFinished

    h = started(FOREACH_ITEM.replace("{transmit}", "true") + "  wait: false\n")
    h.finish("fe_split", S.SUCCESS, {"splits": ["kestra:///b0"]})
    items = h.run_of("fe_items")
    h.send(SubflowFinished(items.id, "c1", S.RUNNING))
    assert h.state_of("fe_items") == S.SUCCESS
    assert "fe_merge" not in h.task_ids()
    assert h.state == S.SUCCESS


def test_for_each_item_that_waits_ignores_batches_that_only_started() -> None:
    from legato.runtime.events import SubflowFinished

    h = started(FOREACH_ITEM.replace("{transmit}", "true"))
    h.finish("fe_split", S.SUCCESS, {"splits": ["kestra:///b0"]})
    items = h.run_of("fe_items")
    h.send(SubflowFinished(items.id, "c1", S.CREATED))
    h.send(SubflowFinished(items.id, "c1", S.RUNNING))
    assert h.state_of("fe_items") == S.RUNNING
    assert h.run_of("fe_items").outputs == {
        "numberOfBatches": 1,
        "iterations": {"CREATED": 1},
        "executionIds": ["c1"],
    }


SET_VARS = """- id: set
  type: io.kestra.plugin.core.execution.SetVariables
  variables:
    name: "{{ inputs.who }}"
    env: {overwrite_value}
  overwrite: {overwrite}
- id: show
  type: io.kestra.plugin.core.log.Log
  message: "{{ vars.name }}"
- id: unset
  type: io.kestra.plugin.core.execution.UnsetVariables
  variables: [name{extra}]
  ignoreMissing: {ignore}
- id: after
  type: io.kestra.plugin.core.log.Log
  message: hi
"""


def set_vars(overwrite: str = "true", extra: str = "", ignore: str = "false") -> str:
    return (
        SET_VARS.replace("{overwrite_value}", "new")
        .replace("{overwrite}", overwrite)
        .replace("{extra}", extra)
        .replace("{ignore}", ignore)
    )


def test_set_and_unset_variables_change_vars_in_the_executor() -> None:
    h = started(set_vars(), "variables:\n  env: old", inputs={"who": "ann"})
    assert h.state_of("set") == S.SUCCESS
    assert h.execution.variables == {"name": "ann", "env": "new"}
    assert h.dispatch_of("show").variables["vars"] == {"env": "new", "name": "ann"}
    h.finish("show")
    assert h.state_of("unset") == S.SUCCESS
    assert h.execution.variables == {"env": "new"}
    assert h.dispatch_of("after").variables["vars"] == {"env": "new"}


@pytest.mark.parametrize(
    ("options", "failed"),
    [
        ({"overwrite": "false"}, "set"),
        ({"extra": ", missing"}, "unset"),
        ({"extra": ", missing", "ignore": "true"}, None),
    ],
)
def test_set_and_unset_variables_refuse_conflicts(
    options: dict[str, str], failed: str | None
) -> None:
    h = started(set_vars(**options), "variables:\n  env: old", inputs={"who": "ann"})
    if failed != "set":
        h.finish("show")
    if failed is None:
        assert h.state_of("unset") == S.SUCCESS
    else:
        assert h.state_of(failed) == S.FAILED
        assert h.state == S.FAILED


@pytest.mark.parametrize(("limit", "first_wave"), [(1, 1), (2, 2), (0, 3)])
def test_foreach_of_several_tasks_keeps_each_value_in_order_within_the_limit(
    limit: int, first_wave: int
) -> None:
    body = (
        "    - id: tag\n      type: io.kestra.plugin.core.execution.Labels\n"
        '      labels:\n        seen: "{{ taskrun.value }}"\n' + children("one", "two")
    )
    h = started(foreach('["x", "y", "z"]', limit, body))
    assert (
        sorted(h.execution.task_run(c.task_run_id).taskId for c in h.pending.values())
        == ["one"] * first_wave
    )
    assert len(h.runs("tag")) == first_wave
    h.finish("one", value="x")
    assert h.run_of("two", "x").iteration == 0
    h.run_to_end()
    assert h.state == S.SUCCESS
    for task_id in ("tag", "one", "two"):
        assert sorted(r.value or "" for r in h.runs(task_id)) == ["x", "y", "z"]
    h2 = started(foreach('["x", "y"]', limit, children("one", "two")))
    h2.finish("one", S.FAILED, value="x")
    h2.run_to_end()
    assert "two" not in h2.task_ids()
    assert h2.state_of("each") == S.FAILED


@pytest.mark.parametrize(
    ("task", "hint"),
    [
        (
            "- id: t\n  type: io.kestra.plugin.core.flow.Template\n  namespace: n\n"
            "  templateId: shared",
            "flow.Subflow",
        ),
    ],
)
def test_unsupported_flowables_fail_saying_what_to_use_instead(task: str, hint: str) -> None:
    h = started(task)
    assert h.state_of("t") == S.FAILED
    assert h.state == S.FAILED
    assert "inner" not in h.task_ids()
    assert any(hint in line.message and line.level == "ERROR" for line in h.logs)


def test_killing_a_for_each_item_kills_its_batches_children_with_cascade() -> None:
    from legato.runtime.commands import KillSubflows
    from legato.runtime.events import KillRequested, SubflowFinished

    h = started(FOREACH_ITEM.replace("{transmit}", "true"))
    h.finish("fe_split", S.SUCCESS, {"splits": ["kestra:///b0", "kestra:///b1"]})
    items = h.run_of("fe_items")
    for child in ("c0", "c1"):
        h.send(SubflowFinished(items.id, child, S.CREATED))
    h.send(SubflowFinished(items.id, "c0", S.SUCCESS))
    h.send(KillRequested(cascade=True))
    assert h.commands_of(KillSubflows) == [KillSubflows(("c0", "c1"))]
    assert h.state_of("fe_items") == S.KILLED
    assert h.state == S.KILLED


def test_a_job_carries_the_task_states_only_when_its_task_can_read_them() -> None:
    # `tasks` grows with every task run; a job leaves it out when nothing can reach it
    flow = (
        "id: f\nnamespace: n\ntasks:\n"
        "  - id: plain\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n"
        "  - id: named\n    type: io.kestra.plugin.core.log.Log\n"
        '    message: "{{ tasks.plain.state }}"\n'
        "  - id: rendered\n    type: io.kestra.plugin.core.log.Log\n"
        "    message: \"{{ render('x') }}\"\n"
    )
    h = Harness(flow)
    h.start()
    assert "tasks" not in h.dispatch_of("plain").variables
    h.finish("plain", S.SUCCESS)
    assert h.dispatch_of("named").variables["tasks"]["plain"] == {"state": "SUCCESS"}
    h.finish("named", S.SUCCESS)
    assert "tasks" in h.dispatch_of("rendered").variables


def test_flow_variables_naming_tasks_keep_the_task_states_in_every_job() -> None:
    flow = (
        'id: f\nnamespace: n\nvariables:\n  s: "{{ tasks }}"\ntasks:\n'
        "  - id: plain\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n"
    )
    h = Harness(flow)
    h.start()
    assert "tasks" in h.dispatch_of("plain").variables

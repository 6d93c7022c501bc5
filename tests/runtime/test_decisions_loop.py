"""Decision tables for ``flow.Loop``: iterations side by side, each seeing its own ``item`` and
outputs; ``concurrencyLimit``, ``transmitFailed`` and the Loop's outputs (Kestra's Loop task)."""

from __future__ import annotations

from typing import Any

import pytest
from runtime_flows import started

from legato.model.execution import StateType as S
from legato.runtime.commands import DispatchTask
from legato.testing import Harness


def loop(values: str, body: str, **options: Any) -> str:
    """A Loop ``loop`` over ``values`` (YAML) running ``body`` (YAML list at 4 spaces)."""
    extra = "".join(f"  {key}: {value}\n" for key, value in options.items())
    return (
        f"- id: loop\n  type: io.kestra.plugin.core.flow.Loop\n  values: {values}\n{extra}"
        f"  tasks:\n{body}"
    )


def logs(*ids: str, message: str = "hi") -> str:
    return "".join(
        f"    - id: {i}\n      type: io.kestra.plugin.core.log.Log\n      message: '{message}'\n"
        for i in ids
    )


def returns(task_id: str, fmt: str) -> str:
    return (
        f"    - id: {task_id}\n      type: io.kestra.plugin.core.debug.Return\n"
        f"      format: {fmt}\n"
    )


AFTER = "- id: after\n  type: io.kestra.plugin.core.log.Log\n  message: done\n"


def pending(h: Harness, task_id: str) -> list[DispatchTask]:
    return [c for c in h.pending.values() if h.execution.task_run(c.task_run_id).taskId == task_id]


def items(h: Harness, task_id: str) -> list[Any]:
    return sorted(
        (c.variables["item"] for c in pending(h, task_id)), key=lambda item: item["index"]
    )


def test_each_iteration_sees_its_value_and_index_as_item() -> None:
    h = started(loop('["a", "b", "c"]', logs("log")))
    assert items(h, "log") == [
        {"value": "a", "index": 0},
        {"value": "b", "index": 1},
        {"value": "c", "index": 2},
    ]
    assert h.run_of("log", "b").value == "b"
    h.run_to_end()
    assert h.state == S.SUCCESS


def test_item_reaches_tasks_nested_in_flowables_of_the_iteration() -> None:
    body = (
        "    - id: check\n      type: io.kestra.plugin.core.flow.If\n"
        "      condition: \"{{ item.value == 'b' }}\"\n      then:\n"
        "        - id: inner\n          type: io.kestra.plugin.core.log.Log\n"
        "          message: hi\n"
    )
    h = started(loop('["a", "b"]', body))
    assert [c.variables["item"] for c in pending(h, "inner")] == [{"value": "b", "index": 1}]
    h.run_to_end()
    assert h.state == S.SUCCESS
    assert len(h.runs("inner")) == 1


def test_tasks_outside_a_loop_see_no_item() -> None:
    h = started(loop("[a]", logs("log")) + AFTER)
    h.finish("log")
    assert "item" not in h.dispatch_of("after").variables


def test_a_map_of_values_gives_each_iteration_its_key_and_value() -> None:
    h = started(loop("{north: 1, south: {x: 2}}", logs("log")))
    assert items(h, "log") == [
        {"value": "1", "index": 0, "key": "north"},
        {"value": '{"x":2}', "index": 1, "key": "south"},
    ]


def test_values_given_as_an_expression_and_duplicates_are_all_iterated() -> None:
    h = started(loop("\"{{ ['x', 'x', 'y'] }}\"", logs("log")))
    assert [item["value"] for item in items(h, "log")] == ["x", "x", "y"]
    h.run_to_end()
    assert h.run_of("loop").outputs == {
        "iterationCount": 3,
        "runningIterations": 0,
        "terminatedIterations": {"SUCCESS": 3},
    }


def test_nested_loops_give_the_enclosing_items_as_parent_and_parents() -> None:
    body = (
        "    - id: inner\n      type: io.kestra.plugin.core.flow.Loop\n      values: [1, 2]\n"
        "      tasks:\n        - id: log\n          type: io.kestra.plugin.core.log.Log\n"
        "          message: hi\n"
    )
    h = started(loop("[a, b]", body))
    seen = sorted(
        (c.variables["item"]["parent"]["value"], c.variables["item"]["value"])
        for c in pending(h, "log")
    )
    assert seen == [("a", "1"), ("a", "2"), ("b", "1"), ("b", "2")]
    first = pending(h, "log")[0].variables["item"]
    assert first["parents"] == [first["parent"]]
    assert "parent" not in first["parent"]
    h.run_to_end()
    assert h.state == S.SUCCESS


@pytest.mark.parametrize(("limit", "first_wave"), [(1, 1), (2, 2), (0, 3)])
def test_concurrency_limit_bounds_the_iterations_in_progress(limit: int, first_wave: int) -> None:
    h = started(loop("[a, b, c]", logs("one", "two"), concurrencyLimit=limit))
    assert len(pending(h, "one")) == first_wave
    first = min(pending(h, "one"), key=lambda c: c.variables["item"]["index"])
    run = h.execution.task_run(first.task_run_id)
    h.finish("one", value=run.value)
    assert h.run_of("two", run.value).iteration == run.iteration
    h.run_to_end()
    assert h.state == S.SUCCESS
    assert sorted(r.value or "" for r in h.runs("two")) == ["a", "b", "c"]


def test_an_iteration_sees_only_its_own_outputs_of_the_loop_tasks() -> None:
    body = returns("make", '"made {{ item.value }}"') + logs(
        "use", message="{{ outputs.make.value }} {{ tasks.make.state }}"
    )
    h = started(loop("[a, b]", body, concurrencyLimit=1) + AFTER)
    h.finish("make", outputs={"value": "made a"}, value="a")
    outputs = h.dispatch_of("use", "a").variables["outputs"]
    assert outputs["make"] == {"value": "made a"}
    h.finish("use", value="a")
    # the next iteration starts afresh: the first one's outputs are not its own
    assert "make" not in h.dispatch_of("make", "b").variables["outputs"]
    h.finish("make", outputs={"value": "made b"}, value="b")
    assert h.dispatch_of("use", "b").variables["outputs"]["make"] == {"value": "made b"}
    assert h.dispatch_of("use", "b").variables["tasks"]["make"] == {"state": "SUCCESS"}
    h.run_to_end()
    assert h.state == S.SUCCESS


def test_tasks_of_an_iteration_see_the_outputs_of_tasks_before_the_loop() -> None:
    first = "- id: first\n  type: io.kestra.plugin.core.debug.Return\n  format: x\n"
    h = started(first + loop("[a]", logs("log")))
    h.finish("first", outputs={"value": "x"})
    assert h.dispatch_of("log").variables["outputs"]["first"] == {"value": "x"}


def test_a_failed_iteration_fails_the_loop_and_starts_no_new_one_by_default() -> None:
    h = started(loop("[a, b, c]", logs("log"), concurrencyLimit=2) + AFTER)
    h.finish("log", S.FAILED, value="a")
    assert [c.variables["item"]["value"] for c in pending(h, "log")] == ["b"]
    h.finish("log", value="b")
    assert h.state_of("loop") == S.FAILED
    assert h.state == S.FAILED
    assert "after" not in h.task_ids()
    assert h.run_of("loop").outputs == {
        "iterationCount": 3,
        "runningIterations": 0,
        "terminatedIterations": {"FAILED": 1, "SUCCESS": 1},
    }


def test_without_transmit_failed_a_failed_iteration_ends_alone() -> None:
    h = started(
        loop("[a, b, c]", logs("one", "two"), concurrencyLimit=1, transmitFailed="false") + AFTER
    )
    h.finish("one", S.FAILED, value="a")
    assert h.dispatch_of("one", "b")  # the next iteration starts; "a" stops at its failure
    h.run_to_end()
    assert all(r.value != "a" for r in h.runs("two"))
    assert sorted(r.value or "" for r in h.runs("two")) == ["b", "c"]
    assert h.state_of("loop") == S.SUCCESS
    assert h.state_of("after") == S.SUCCESS
    assert h.state == S.SUCCESS
    assert h.run_of("loop").outputs["terminatedIterations"] == {"FAILED": 1, "SUCCESS": 2}


def test_a_warning_iteration_leaves_the_loop_successful() -> None:
    h = started(loop("[a, b]", logs("log")))
    h.finish("log", S.WARNING, value="a")
    h.finish("log", value="b")
    assert h.state_of("loop") == S.SUCCESS
    assert h.run_of("loop").outputs["terminatedIterations"] == {"WARNING": 1, "SUCCESS": 1}


def test_errors_run_once_when_an_iteration_failed() -> None:
    h = started(
        loop("[a, b]", logs("log"))
        + "  errors:\n    - id: handler\n      type: io.kestra.plugin.core.log.Log\n"
        "      message: oops\n"
    )
    h.finish("log", S.FAILED, value="a")
    h.finish("log", value="b")
    assert "item" not in h.dispatch_of("handler").variables
    h.finish("handler")
    assert h.state_of("loop") == S.FAILED
    assert len(h.runs("handler")) == 1


def test_iteration_count_is_known_from_the_start() -> None:
    h = started(loop("[a, b]", logs("log")))
    assert h.run_of("loop").outputs == {"iterationCount": 2}
    assert h.dispatch_of("log", "a").variables["outputs"]["loop"] == {"iterationCount": 2}


def test_an_empty_list_of_values_ends_the_loop_at_once() -> None:
    h = started(loop("[]", logs("log")) + AFTER)
    assert h.state_of("loop") == S.SUCCESS
    assert h.run_of("loop").outputs == {
        "iterationCount": 0,
        "runningIterations": 0,
        "terminatedIterations": {},
    }
    h.run_to_end()
    assert h.state == S.SUCCESS
    assert "log" not in h.task_ids()


DECLARED = (
    "\n  outputs:\n    - id: label\n      type: STRING\n"
    '      value: "{{ outputs.make.value }}"\n'
    '    - id: size\n      type: INT\n      value: "{{ item.index + 10 }}"\n'
)


def test_declared_outputs_are_rendered_in_each_iteration_and_listed() -> None:
    h = started(
        loop("[a, b, c]", returns("make", '"made {{ item.value }}"'), transmitFailed="false")
        + DECLARED
    )
    h.finish("make", outputs={"value": "made a"}, value="a")
    h.finish("make", S.FAILED, value="b")
    h.finish("make", outputs={"value": "made c"}, value="c")
    assert h.state_of("loop") == S.SUCCESS
    assert h.run_of("loop").outputs["outputs"] == [
        {"item": {"value": "a", "iteration": 0}, "outputs": {"label": "made a", "size": 10}},
        {"item": {"value": "c", "iteration": 2}, "outputs": {"label": "made c", "size": 12}},
    ]


def test_a_declared_output_of_the_wrong_type_fails_the_loop_naming_it() -> None:
    bad = DECLARED.replace("item.index + 10", "'ten'")
    h = started(loop("[a]", returns("make", "x")) + bad)
    h.finish("make", outputs={"value": "x"})
    assert h.state_of("loop") == S.FAILED
    assert any("output 'size' of loop iteration 0" in line.message for line in h.logs)


@pytest.mark.parametrize(
    ("option", "hint"),
    [('breakWhen: "{{ true }}"', "breakWhen"), ("fetchType: STORE", "fetchType: STORE")],
)
def test_unsupported_options_fail_the_loop_saying_so(option: str, hint: str) -> None:
    h = started(loop("[a]", logs("log")).replace("  tasks:", f"  {option}\n  tasks:"))
    assert h.state_of("loop") == S.FAILED
    assert "log" not in h.task_ids()
    assert any(hint in line.message and line.level == "ERROR" for line in h.logs)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ('"not json"', "values must be a list or a JSON array, got 'not json'"),
        ("[a, null]", "found 1 null value(s) in the loop values"),
    ],
)
def test_bad_values_fail_the_loop_naming_them(values: str, message: str) -> None:
    h = started(loop(values, logs("log")))
    assert h.state_of("loop") == S.FAILED
    assert h.state == S.FAILED
    assert any(message in line.message and line.level == "ERROR" for line in h.logs)

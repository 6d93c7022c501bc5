"""Core flowables: their rules (Switch, Dag, WorkingDirectory, If, Parallel…), keyword aliases
(``else``, ``finally``), defaults and nested error paths."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from core_support import context, log, task, task_errors, validate
from pydantic import ValidationError

from legato.model.plugin import PluginKind
from legato.plugins.core.flow.dag import find_cycle

F = "io.kestra.plugin.core.flow."


def _f(name: str, **props: Any) -> dict[str, Any]:
    return {"id": name.lower(), "type": F + name, **props}


def test_nested_flowables_report_the_full_path() -> None:
    raw = _f(
        "Parallel",
        tasks=[
            _f(
                "ForEach",
                values=["a", "b"],
                tasks=[
                    _f(
                        "If",
                        condition="true",
                        then=[{"id": "l", "type": "io.kestra.plugin.core.log.Log"}],
                    )
                ],
            )
        ],
    )
    assert task_errors(raw) == [(("tasks", 0, "tasks", 0, "then", 0, "message"), "Field required")]


def test_nested_flowables_validate_to_their_classes() -> None:
    raw = _f(
        "Parallel",
        tasks=[_f("ForEach", values=[1], tasks=[_f("If", condition="x", then=[log("l")])])],
    )
    parallel = task(raw)
    foreach = parallel.tasks[0]
    assert type(foreach).__name__ == "ForEach"
    assert type(foreach.tasks[0].then[0]).__name__ == "Log"


@pytest.mark.parametrize("name", ["Sequential", "Parallel", "AllowFailure", "ForEach", "LoopUntil"])
def test_tasks_cannot_be_empty(name: str) -> None:
    extra: dict[str, Any] = {"values": ["a"]} if name == "ForEach" else {}
    if name == "LoopUntil":
        extra = {"condition": "true"}
    [(loc, message)] = task_errors(_f(name, tasks=[], **extra))
    assert loc == ("tasks",)
    assert "cannot be empty" in message


@pytest.mark.parametrize("name", ["Sequential", "Parallel", "ForEach", "Dag", "WorkingDirectory"])
def test_tasks_are_required(name: str) -> None:
    extra: dict[str, Any] = {"values": ["a"]} if name == "ForEach" else {}
    assert task_errors(_f(name, **extra)) == [(("tasks",), "Field required")]


def test_if_needs_then_and_reads_else_and_finally() -> None:
    assert task_errors(_f("If", condition="true")) == [(("then",), "Field required")]
    branch = task(
        _f("If", condition="true", then=[log("a")], **{"else": [log("b")], "finally": [log("c")]})
    )
    assert [t.id for t in branch.else_] == ["b"]
    assert [t.id for t in branch.finally_] == ["c"]
    dumped = branch.model_dump(by_alias=True, exclude_unset=True)
    assert set(dumped) >= {"then", "else", "finally"}
    assert dumped["else"] == [log("b")]


def test_if_then_cannot_be_empty() -> None:
    assert [loc for loc, _ in task_errors(_f("If", condition="true", then=[]))] == [("then",)]


def test_errors_branch_is_validated_with_its_path() -> None:
    raw = _f(
        "Sequential",
        tasks=[log("a")],
        errors=[{"id": "e", "type": "io.kestra.plugin.core.log.Log"}],
    )
    assert task_errors(raw) == [(("errors", 0, "message"), "Field required")]


def test_switch_needs_cases_or_defaults() -> None:
    [(loc, message)] = task_errors(_f("Switch", value="x"))
    assert loc == ()
    assert "'cases' or 'defaults'" in message


def test_switch_with_only_defaults_is_valid() -> None:
    assert task(_f("Switch", value="x", defaults=[log("d")])).cases is None


def test_switch_empty_case_is_refused() -> None:
    errors = task_errors(_f("Switch", value="x", cases={"A": []}, defaults=[log("d")]))
    assert [loc for loc, _ in errors] == [("cases", "A")]


def test_switch_case_tasks_report_their_path() -> None:
    raw = _f(
        "Switch", value="x", cases={"A": [{"id": "a", "type": "io.kestra.plugin.core.log.Log"}]}
    )
    assert task_errors(raw) == [(("cases", "A", 0, "message"), "Field required")]


def test_parallel_concurrent_defaults_to_unlimited_and_is_not_negative() -> None:
    assert task(_f("Parallel", tasks=[log("a")])).concurrent == 0
    assert {loc[0] for loc, _ in task_errors(_f("Parallel", tasks=[log("a")], concurrent=-1))} == {
        "concurrent"
    }


def test_foreach_defaults_and_values_forms() -> None:
    assert task(_f("ForEach", values=["a"], tasks=[log("a")])).concurrencyLimit == 1
    dynamic = task(
        _f("ForEach", values="{{ inputs.v }}", concurrencyLimit="{{ inputs.n }}", tasks=[log("a")])
    )
    assert dynamic.concurrencyLimit == "{{ inputs.n }}"
    assert task(_f("ForEach", values='["a", "b"]', tasks=[log("a")])).values == '["a", "b"]'
    assert task_errors(_f("ForEach", tasks=[log("a")])) == [(("values",), "Field required")]


def test_loop_defaults() -> None:
    loop = task(_f("Loop", values=[1], tasks=[log("a")]))
    assert (loop.concurrencyLimit, loop.transmitFailed, loop.fetchType) == (0, True, "AUTO")


def test_loop_until_defaults_and_wait_for_alias() -> None:
    loop = task({"id": "w", "type": F + "WaitFor", "condition": "true", "tasks": [log("a")]})
    assert type(loop).__name__ == "LoopUntil"
    assert loop.failOnMaxReached is False
    frequency = loop.checkFrequency
    assert (frequency.interval, frequency.maxIterations, frequency.maxDuration) == (
        timedelta(minutes=1),
        None,
        None,
    )


def test_loop_until_interval_must_be_positive() -> None:
    raw = _f("LoopUntil", condition="true", tasks=[log("a")], checkFrequency={"interval": "PT0S"})
    errors = task_errors(raw)
    assert {loc[:2] for loc, _ in errors} == {("checkFrequency", "interval")}
    assert any("positive duration" in message for _, message in errors)


def test_subflow_defaults_and_required_fields() -> None:
    sub = task(_f("Subflow", namespace="company.team", flowId="child"))
    assert (sub.wait, sub.transmitFailed, sub.inheritLabels, sub.restartBehavior) == (
        True,
        True,
        False,
        "RETRY_FAILED",
    )
    assert (sub.namespace, sub.flowId) == ("company.team", "child")
    missing = {loc for loc, _ in task_errors(_f("Subflow"))}
    assert missing == {("namespace",), ("flowId",)}


def test_subflow_revision_must_be_positive() -> None:
    errors = task_errors(_f("Subflow", namespace="n", flowId="f", revision=0))
    assert errors == [(("revision",), "Input should be greater than 0")]


def test_subflow_deprecated_outputs_are_accepted() -> None:
    assert task(_f("Subflow", namespace="n", flowId="f", outputs={"x": "y"})).outputs == {"x": "y"}


def test_for_each_item_defaults() -> None:
    item = task(_f("ForEachItem", items="kestra:///a.ion", namespace="n", flowId="f"))
    assert (item.batch.rows, item.batch.separator) == (1, "\n")
    assert (item.wait, item.transmitFailed, item.inheritLabels) == (True, True, False)
    assert {loc for loc, _ in task_errors(_f("ForEachItem", namespace="n", flowId="f"))} == {
        ("items",)
    }


def test_dag_accepts_dependencies_on_its_own_tasks() -> None:
    dag = task(
        _f(
            "Dag",
            tasks=[
                {"task": log("a")},
                {"task": log("b"), "dependsOn": ["a"]},
                {"task": log("c"), "dependsOn": ["a", "b"]},
            ],
        )
    )
    assert [node.task.id for node in dag.tasks] == ["a", "b", "c"]
    assert dag.concurrent == 0


def test_dag_dependency_on_an_unknown_task_is_named() -> None:
    raw = _f("Dag", tasks=[{"task": log("a")}, {"task": log("b"), "dependsOn": ["a", "ghost"]}])
    [(loc, message)] = task_errors(raw)
    assert loc == ("tasks", 1, "dependsOn", 1)
    assert "task 'b' depends on 'ghost', which is not a task of this Dag" in message


def test_dag_cycle_is_named() -> None:
    raw = _f(
        "Dag",
        tasks=[
            {"task": log("a"), "dependsOn": ["c"]},
            {"task": log("b"), "dependsOn": ["a"]},
            {"task": log("c"), "dependsOn": ["b"]},
        ],
    )
    [(loc, message)] = task_errors(raw)
    assert loc == ()
    assert "dependency cycle detected: a -> c -> b -> a" in message


def test_dag_self_dependency_is_a_cycle() -> None:
    [(_, message)] = task_errors(_f("Dag", tasks=[{"task": log("a"), "dependsOn": ["a"]}]))
    assert "a -> a" in message


def test_dag_empty_is_refused() -> None:
    [(loc, message)] = task_errors(_f("Dag", tasks=[]))
    assert loc == ("tasks",)
    assert "no task defined" in message


def test_dag_node_task_errors_have_their_path() -> None:
    raw = _f("Dag", tasks=[{"task": {"id": "a", "type": "io.kestra.plugin.core.log.Log"}}])
    assert task_errors(raw) == [(("tasks", 0, "task", "message"), "Field required")]


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": [], "b": ["a"]}, None),
        ({"a": ["b"], "b": ["a"]}, ["a", "b", "a"]),
        ({"a": ["b"], "b": ["c"], "c": ["b"]}, ["b", "c", "b"]),
        ({"a": ["b", "c"], "b": ["c"], "c": []}, None),
    ],
)
def test_find_cycle(graph: dict[str, list[str]], cycle: list[str] | None) -> None:
    assert find_cycle(graph) == cycle


def test_working_directory_refuses_a_flowable_child_and_names_it() -> None:
    raw = _f("WorkingDirectory", tasks=[log("a"), _f("Parallel", tasks=[log("b")])])
    [(loc, message)] = task_errors(raw)
    assert loc == ("tasks", 1)
    assert "only runnable tasks" in message and "'parallel'" in message


@pytest.mark.parametrize(
    "child",
    [
        {"id": "sub", "type": F + "Subflow", "namespace": "n", "flowId": "f"},
        {"id": "labels", "type": "io.kestra.plugin.core.execution.Labels", "labels": {"a": "b"}},
        {"id": "pause", "type": F + "Pause"},
    ],
)
def test_working_directory_refuses_executor_run_children(child: dict[str, Any]) -> None:
    [(loc, message)] = task_errors(_f("WorkingDirectory", tasks=[log("a"), child]))
    assert loc == ("tasks", 1)
    assert f"'{child['id']}'" in message and "runs in the executor" in message


def test_working_directory_child_may_not_set_a_worker_group() -> None:
    child = {**log("a"), "workerGroup": {"key": "gpu"}}
    [(loc, message)] = task_errors(_f("WorkingDirectory", tasks=[child]))
    assert loc == ("tasks", 0, "workerGroup")
    assert "workerGroup" in message or "worker group" in message


def test_working_directory_refuses_an_empty_task_list() -> None:
    [(loc, message)] = task_errors(_f("WorkingDirectory", tasks=[]))
    assert loc == ("tasks",)
    assert "cannot be empty" in message


def test_working_directory_properties() -> None:
    wd = task(
        _f(
            "WorkingDirectory",
            tasks=[log("a")],
            cache={"patterns": ["node_modules/**"], "ttl": "PT1H"},
            inputFiles={"query.sql": "SELECT 1"},
            outputFiles=["out.json"],
            namespaceFiles={"enabled": True, "include": ["scripts/**"]},
        )
    )
    assert wd.cache.ttl == timedelta(hours=1)
    assert wd.outputFiles == ["out.json"]
    assert task_errors(_f("WorkingDirectory", tasks=[log("a")], cache={"ttl": "PT1H"})) == [
        (("cache", "patterns"), "Field required")
    ]


def test_pause_delay_is_the_deprecated_pause_duration() -> None:
    ctx = context()
    pause = validate(PluginKind.TASK, _f("Pause", delay="PT5M"), ctx)
    assert pause.pauseDuration == timedelta(minutes=5)  # type: ignore[attr-defined]
    assert ctx.warnings == [("delay", "'delay' is deprecated on Pause; use 'pauseDuration'")]


def test_pause_delay_and_a_different_pause_duration_conflict() -> None:
    with pytest.raises(ValidationError, match="deprecated name of 'pauseDuration'"):
        task(_f("Pause", delay="PT5M", pauseDuration="PT1M"))


def test_pause_defaults_and_behaviors() -> None:
    pause = task(_f("Pause"))
    assert (pause.pauseDuration, pause.behavior) == (None, "RESUME")
    assert {loc[0] for loc, _ in task_errors(_f("Pause", behavior="STOP"))} == {"behavior"}


def test_pause_on_resume_holds_input_definitions() -> None:
    pause = task(
        _f(
            "Pause",
            onResume=[
                {"id": "approved", "type": "BOOLEAN", "defaults": True},
                {"id": "reason", "type": "STRING", "defaults": "ok"},
            ],
        )
    )
    assert [i.id for i in pause.onResume] == ["approved", "reason"]
    errors = task_errors(_f("Pause", onResume=[{"id": "x", "type": "NOPE"}]))
    assert {loc[:2] for loc, _ in errors} == {("onResume", 0)}


def test_sleep_duration_must_be_iso() -> None:
    errors = task_errors(_f("Sleep", duration="5 minutes"))
    assert any("expected a form like PT5M" in message for _, message in errors)


def test_template_needs_namespace_and_template_id() -> None:
    assert {loc for loc, _ in task_errors(_f("Template"))} == {("namespace",), ("templateId",)}


def test_switch_case_keys_are_text() -> None:
    switch = task(_f("Switch", value="x", cases={200: [log("ok")], True: [log("yes")]}))
    assert list(switch.cases) == ["200", "true"]

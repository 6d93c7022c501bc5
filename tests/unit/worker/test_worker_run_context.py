from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from worker_support import EXECUTION_ID, NOW, TASK_RUN_ID, harness

from legato.model.registry import PluginRegistry
from legato.sdk.run_context import TaskError


def test_a_lone_expression_keeps_its_type_and_text_is_rendered(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        assert h.ctx.render("{{ 1 + 2 }}") == 3
        assert h.ctx.render("n={{ 1 + 2 }}") == "n=3"
        assert h.ctx.render("plain") == "plain"
        assert h.ctx.render(5) == 5


def test_lists_and_maps_are_rendered_recursively_keys_too(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        value = {"{{ flow.id }}": ["{{ flow.namespace }}", 1, {"x": "{{ true }}"}]}
        assert h.ctx.render(value) == {"my_flow": ["company.team", 1, {"x": True}]}


def test_render_never_mutates_its_argument(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        value = {"a": ["{{ flow.id }}"]}
        h.ctx.render(value)
        assert value == {"a": ["{{ flow.id }}"]}


def test_extra_variables_add_to_the_task_run_variables(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        assert h.ctx.render_string("{{ flow.id }}-{{ item }}", {"item": 4}) == "my_flow-4"
        assert "item" not in h.ctx.variables


def test_render_string_gives_text_for_any_value(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        assert h.ctx.render_string("{{ 2 > 1 }}") == "true"
        assert h.ctx.render_string(None) == ""
        assert h.ctx.render_string(True) == "true"
        assert h.ctx.render_string({"a": "{{ 1 }}"}) == '{"a":1}'


def test_render_as_coerces_or_fails_without_retry(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        assert h.ctx.render_as("{{ '12' }}", int) == 12
        assert h.ctx.render_as("PT5M", timedelta) == timedelta(minutes=5)
        with pytest.raises(TaskError, match="'abc' is not a valid int") as caught:
            h.ctx.render_as("abc", int)
        assert caught.value.retryable is False


def test_variables_are_read_only(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(TypeError):
        h.ctx.variables["flow"] = {}  # type: ignore[index]


def test_task_run_and_flow_information(tmp_path: Path) -> None:
    extra = {"taskrun": {"id": TASK_RUN_ID, "value": "v", "parentId": "p", "iteration": 2}}
    with harness(tmp_path, task_id="step", extra_variables=extra) as h:
        info = h.ctx.task_run
        assert (info.id, info.task_id, info.attempt, info.value) == (TASK_RUN_ID, "step", 1, "v")
        assert (info.parent_task_run_id, info.iteration) == ("p", 2)
        assert (h.ctx.flow_info.namespace, h.ctx.flow_info.id) == ("company.team", "my_flow")
        assert h.ctx.flow_info.revision == 1
        assert h.ctx.execution_id == EXECUTION_ID


def test_working_dir_is_created_lazily_and_removed_on_close(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        work = h.ctx.working_dir()
        assert work.is_dir() and work.parent == tmp_path
        assert h.ctx.working_dir() == work
        (work / "f").write_text("x")
        h.ctx.close()
        assert not work.exists()


def test_metrics_are_recorded_with_their_task_run(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        h.ctx.metric("rows", 10, tags={"table": "t"})
        h.ctx.metric("took", 1.5, "timer")
        first, second = h.ctx.metrics
        assert (first.name, first.type, first.value, first.tags) == (
            "rows",
            "counter",
            10.0,
            {"table": "t"},
        )
        assert (second.type, second.timestamp, second.task_run_id) == ("timer", NOW, TASK_RUN_ID)


def test_secret_registers_the_value_for_masking(tmp_path: Path) -> None:
    with harness(tmp_path, env={"SECRET_PW": "cGFzc3dvcmQ="}) as h:
        assert h.ctx.secret("pw") == "password"
        h.ctx.logger.info("the password is password")
        assert h.log_lines() == [("INFO", "the ****** is ******")]
        with pytest.raises(TaskError, match="Cannot find secret for key 'other'"):
            h.ctx.secret("other")


def test_kill_event_is_seen_by_is_killed_and_wait_killed(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        assert not h.ctx.is_killed()
        assert h.ctx.wait_killed(0.01) is False
        h.ctx.kill_event.set()
        assert h.ctx.is_killed()
        assert h.ctx.wait_killed(10) is True


def test_load_task_validates_with_the_registry(tmp_path: Path) -> None:
    registry = PluginRegistry.from_entry_points()
    with harness(tmp_path, registry=registry) as h:
        task = h.ctx.load_task({"id": "r", "type": "io.kestra.plugin.core.debug.Return"})
        assert type(task).__name__ == "Return"
        with pytest.raises(TaskError, match="Invalid task 'r'"):
            h.ctx.load_task({"id": "r", "type": "io.kestra.plugin.core.log.Log"})


def test_load_task_without_a_registry_says_so(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(TaskError, match="no plugin registry"):
        h.ctx.load_task({"id": "r", "type": "io.kestra.plugin.core.debug.Return"})

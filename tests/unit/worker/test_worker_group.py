"""A WorkingDirectory job: children run in one directory and are reported as task runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from worker_support import TASK_RUN_ID, harness

from legato._kernel.ids import sequential_ids
from legato.model.execution import StateType, TaskRun
from legato.model.registry import PluginRegistry
from legato.plugins.core.debug import Return
from legato.plugins.core.execution import Fail
from legato.plugins.core.flow.working_directory import WorkingDirectory
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext
from legato.worker.execute import run_attempt


@plugin("test.ReadWrite")
class ReadWrite(RunnableTask):
    """Reads ``read`` (if any) and writes ``write`` in the working directory."""

    read: str | None = None
    write: str | None = None

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        folder = ctx.working_dir()
        if self.write:
            (folder / self.write).write_text("written")
        text = (folder / self.read).read_text() if self.read else None
        return {"text": text, "dir": str(folder)}


REGISTRY = PluginRegistry([WorkingDirectory, Return, Fail, ReadWrite])
WD = "io.kestra.plugin.core.flow.WorkingDirectory"


def run_group(tmp_path: Path, definition: dict[str, Any]) -> tuple[Any, list[Any], Any]:
    with harness(tmp_path, task_id="wd", registry=REGISTRY, extra_variables={"outputs": {}}) as h:
        outcome = run_attempt(
            {"id": "wd", "type": WD, **definition}, h.ctx, REGISTRY, sequential_ids("child")
        )
        children = [TaskRun.model_validate(c) for c in outcome.children]
        return outcome, children, h


def test_children_share_the_directory_and_see_earlier_outputs(tmp_path: Path) -> None:
    tasks = [
        {"id": "first", "type": "test.ReadWrite", "write": "a.txt"},
        {"id": "second", "type": "test.ReadWrite", "read": "a.txt"},
        {
            "id": "third",
            "type": "io.kestra.plugin.core.debug.Return",
            "format": "{{ outputs.second.text }}",
        },
    ]
    outcome, children, _ = run_group(tmp_path, {"tasks": tasks})
    assert outcome.state is StateType.SUCCESS
    assert [c.taskId for c in children] == ["first", "second", "third"]
    assert children[0].outputs["dir"] == children[1].outputs["dir"]
    assert children[1].outputs["text"] == "written"
    assert children[2].outputs == {"value": "written"}
    assert {c.parentTaskRunId for c in children} == {TASK_RUN_ID}
    assert all(c.state.current is StateType.SUCCESS for c in children)
    assert [item.state for item in children[0].state.histories] == [
        StateType.CREATED,
        StateType.RUNNING,
        StateType.SUCCESS,
    ]
    assert not Path(children[0].outputs["dir"]).exists()


def test_a_failed_child_stops_the_group(tmp_path: Path) -> None:
    tasks = [
        {"id": "boom", "type": "io.kestra.plugin.core.execution.Fail", "errorMessage": "no"},
        {"id": "never", "type": "io.kestra.plugin.core.debug.Return"},
    ]
    outcome, children, h = run_group(tmp_path, {"tasks": tasks})
    assert (outcome.state, outcome.error) == (StateType.FAILED, "no")
    assert [(c.taskId, c.state.current) for c in children] == [("boom", StateType.FAILED)]
    child_lines = [(e.task_id, e.level, e.message) for e in h.ctx.child_logs]
    assert child_lines == [("boom", "ERROR", "no")]


def test_allow_failure_child_makes_the_group_warning(tmp_path: Path) -> None:
    tasks = [
        {"id": "boom", "type": "io.kestra.plugin.core.execution.Fail", "allowFailure": True},
        {"id": "after", "type": "io.kestra.plugin.core.debug.Return", "format": "x"},
    ]
    outcome, children, _ = run_group(tmp_path, {"tasks": tasks})
    assert outcome.state is StateType.WARNING
    assert [c.state.current for c in children] == [StateType.WARNING, StateType.SUCCESS]


def test_input_files_are_written_and_output_files_uploaded(tmp_path: Path) -> None:
    definition = {
        "inputFiles": {"in.txt": "hello {{ flow.id }}"},
        "outputFiles": ["*.out"],
        "tasks": [{"id": "copy", "type": "test.ReadWrite", "read": "in.txt", "write": "r.out"}],
    }
    outcome, children, h = run_group(tmp_path, definition)
    assert children[0].outputs["text"] == "hello my_flow"
    uri = outcome.outputs["outputFiles"]["r.out"]
    assert uri.endswith("/tasks/wd/run1/r.out")
    assert h.files.data[uri] == b"written"


def test_disabled_children_get_no_task_run(tmp_path: Path) -> None:
    tasks = [
        {"id": "off", "type": "io.kestra.plugin.core.debug.Return", "disabled": True},
        {"id": "on", "type": "io.kestra.plugin.core.debug.Return"},
    ]
    _, children, _ = run_group(tmp_path, {"tasks": tasks})
    assert [c.taskId for c in children] == ["on"]


def _returns(*ids: str) -> list[dict[str, Any]]:
    return [
        {"id": i, "type": "io.kestra.plugin.core.debug.Return", "format": "{{ task.id }}"}
        for i in ids
    ]


def test_errors_run_after_a_failed_task_and_finally_always_runs(tmp_path: Path) -> None:
    fail = {"id": "boom", "type": "io.kestra.plugin.core.execution.Fail", "errorMessage": "no"}
    definition = {
        "tasks": [fail, *_returns("never")],
        "errors": [*_returns("e1"), fail | {"id": "e_boom"}, *_returns("e_never")],
        "finally": _returns("a1"),
    }
    outcome, children, _ = run_group(tmp_path, definition)
    assert outcome.state is StateType.FAILED
    assert outcome.error == "no"
    assert [c.taskId for c in children] == ["boom", "e1", "e_boom", "a1"]
    assert children[1].outputs == {"value": "e1"}
    assert children[3].state.current is StateType.SUCCESS


def test_errors_do_not_run_when_no_task_failed(tmp_path: Path) -> None:
    definition = {"tasks": _returns("ok"), "errors": _returns("e1"), "finally": _returns("a1")}
    outcome, children, _ = run_group(tmp_path, definition)
    assert outcome.state is StateType.SUCCESS
    assert [c.taskId for c in children] == ["ok", "a1"]

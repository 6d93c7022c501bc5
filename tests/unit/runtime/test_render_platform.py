"""RenderPlatform: variable-only functions answered from the render variables; the others go
to the step's platform, or fail as outside a flow when there is none."""

from __future__ import annotations

from typing import Any

import pytest

from legato.errors import ExpressionEvaluationError
from legato.expressions import render_typed
from legato.runtime.render_platform import RenderPlatform

LOOP = {
    "taskrun": {"value": "b"},
    "parents": [{"taskrun": {"value": "outer"}}],
    "outputs": {"t": {"outer": {"a": {"n": 1}, "b": {"n": 2}}}},
    "tasks": {"t": {"outer": {"state": "SUCCESS"}}, "f": {"state": "FAILED"}},
}


class Recorder:
    """A platform recording which function was called."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> Any:
            self.calls.append(name)
            return {"is_file_empty": True, "file_exists": True, "file_size": 3}.get(name, "x")

        return call


def rendered(source: str, variables: dict[str, Any], inner: Any = None) -> Any:
    return render_typed(source, variables, platform=RenderPlatform(inner, variables))


def test_current_each_output_follows_parents_then_the_task_run_value() -> None:
    assert rendered("{{ currentEachOutput(outputs.t).n }}", LOOP) == 2


def test_current_each_output_without_a_path_fails_clearly() -> None:
    variables = {**LOOP, "parents": [{"taskrun": {"value": "missing"}}]}
    with pytest.raises(ExpressionEvaluationError, match="current task runs path"):
        rendered("{{ currentEachOutput(outputs.t) }}", variables)
    with pytest.raises(ExpressionEvaluationError, match="type map"):
        rendered("{{ currentEachOutput('text') }}", LOOP)


def test_tasks_with_state_lists_task_runs_with_their_value() -> None:
    assert rendered("{{ tasksWithState('success') }}", LOOP) == [
        {"taskId": "t", "state": "SUCCESS", "value": "outer"}
    ]
    assert rendered("{{ tasksWithState('FAILED') }}", LOOP) == [{"taskId": "f", "state": "FAILED"}]


@pytest.mark.parametrize(
    ("source", "method"),
    [
        ("{{ kv('k') }}", "kv"),
        ("{{ secret('s') }}", "secret"),
        ("{{ read('a.txt') }}", "read"),
        ("{{ fileURI('a.txt') }}", "file_uri"),
        ("{{ fileSize('a.txt') }}", "file_size"),
        ("{{ fileExists('a.txt') }}", "file_exists"),
        ("{{ isFileEmpty('a.txt') }}", "is_file_empty"),
        ("{{ errorLogs() }}", "error_logs"),
    ],
)
def test_other_functions_go_to_the_step_platform_or_fail_without_one(
    source: str, method: str
) -> None:
    recorder = Recorder()
    rendered(source, LOOP, recorder)
    assert recorder.calls == [method]
    with pytest.raises(ExpressionEvaluationError, match="only available while a flow runs"):
        rendered(source, LOOP)

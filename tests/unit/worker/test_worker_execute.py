from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from worker_support import harness

from legato.model.execution import StateType
from legato.model.registry import PluginRegistry
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext, TaskError, TaskWarning
from legato.worker.execute import run_attempt


@plugin("test.Boom")
class Boom(RunnableTask):
    """Raises what ``mode`` says."""

    mode: str = "value"

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        ctx.working_dir()
        if self.mode == "final":
            raise TaskError("no retry please", retryable=False)
        if self.mode == "empty":
            raise RuntimeError()
        if self.mode == "ok":
            return {"n": 1}
        if self.mode == "warn":
            raise TaskWarning("stderr was written", outputs={"n": 2})
        if self.mode == "partial":
            raise TaskError("exit code 3", outputs={"vars": {"done": 1}})
        if self.mode == "unstorable":
            raise TaskError("exit code 4", outputs={"x": object()})
        raise ValueError("bad value")


@plugin("test.NoRunner")
class NoRunner(RunnableTask):
    """A declared task type without ``run``."""


@plugin("test.InExecutor")
class InExecutor(RunnableTask):
    """A task the executor decides."""

    runs_in_executor: ClassVar[bool] = True


REGISTRY = PluginRegistry([Boom, NoRunner, InExecutor])


def attempt(tmp_path: Path, definition: dict[str, Any]) -> tuple[Any, list[tuple[str, str]]]:
    with harness(tmp_path) as h:
        outcome = run_attempt(definition, h.ctx, REGISTRY)
        assert not any(p.name.startswith("legato-") for p in tmp_path.iterdir())
        return outcome, h.log_lines()


def test_success_returns_outputs(tmp_path: Path) -> None:
    outcome, _ = attempt(tmp_path, {"id": "t", "type": "test.Boom", "mode": "ok"})
    assert (outcome.state, outcome.outputs, outcome.error) == (StateType.SUCCESS, {"n": 1}, None)


def test_an_exception_fails_the_attempt_with_its_message_logged(tmp_path: Path) -> None:
    outcome, logs = attempt(tmp_path, {"id": "t", "type": "test.Boom"})
    assert (outcome.state, outcome.error, outcome.retryable) == (
        StateType.FAILED,
        "bad value",
        True,
    )
    assert logs == [("ERROR", "bad value")]


def test_an_exception_without_message_is_named_by_its_class(tmp_path: Path) -> None:
    outcome, _ = attempt(tmp_path, {"id": "t", "type": "test.Boom", "mode": "empty"})
    assert outcome.error == "RuntimeError"


def test_non_retryable_task_error(tmp_path: Path) -> None:
    outcome, _ = attempt(tmp_path, {"id": "t", "type": "test.Boom", "mode": "final"})
    assert (outcome.state, outcome.retryable) == (StateType.FAILED, False)


def test_invalid_definition_fails_without_retry(tmp_path: Path) -> None:
    outcome, _ = attempt(tmp_path, {"id": "t", "type": "test.Boom", "nope": 1})
    assert outcome.state is StateType.FAILED and not outcome.retryable
    assert outcome.error is not None and outcome.error.startswith("Invalid task 't': nope")


def test_a_type_without_runner_says_it_cannot_run_yet(tmp_path: Path) -> None:
    outcome, _ = attempt(tmp_path, {"id": "t", "type": "test.NoRunner"})
    assert outcome.error == (
        "task type 'test.NoRunner' cannot run in Legato yet: it validates, but its runner is "
        "not implemented"
    )


def test_an_executor_task_is_refused(tmp_path: Path) -> None:
    outcome, _ = attempt(tmp_path, {"id": "t", "type": "test.InExecutor"})
    assert outcome.error is not None and "decided by the executor" in outcome.error


def test_a_task_warning_ends_the_attempt_warning_with_its_outputs(tmp_path: Path) -> None:
    outcome, logs = attempt(tmp_path, {"id": "t", "type": "test.Boom", "mode": "warn"})
    assert (outcome.state, outcome.outputs, outcome.error) == (StateType.WARNING, {"n": 2}, None)
    assert ("WARN", "stderr was written") in logs


def test_a_failure_keeps_the_outputs_it_carries(tmp_path: Path) -> None:
    outcome, _ = attempt(tmp_path, {"id": "t", "type": "test.Boom", "mode": "partial"})
    assert (outcome.state, outcome.outputs) == (StateType.FAILED, {"vars": {"done": 1}})
    assert outcome.error == "exit code 3"


def test_unstorable_outputs_of_a_failure_are_dropped_with_a_log_line(tmp_path: Path) -> None:
    outcome, logs = attempt(tmp_path, {"id": "t", "type": "test.Boom", "mode": "unstorable"})
    assert (outcome.state, outcome.outputs) == (StateType.FAILED, None)
    assert any(level == "ERROR" and "outputs dropped" in text for level, text in logs)

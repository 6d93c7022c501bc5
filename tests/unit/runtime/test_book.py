"""``runtime.book``: the books kept between steps are those of executions still going.

Given an execution stepped by the runtime, When it is still running (or only its
``afterExecution`` tasks are), Then the next step forks its book; When it ended with all its
task runs, Then its book is dropped (finished executions must not stay in the heap)."""

from __future__ import annotations

from legato.model.execution import StateType as S
from legato.runtime import book
from legato.runtime.events import TaskRunFinished
from legato.testing import Harness

LOG = "io.kestra.plugin.core.log.Log"


def flow(tasks: list[str], extra: str = "") -> str:
    lines = "".join(f"  - id: {t}\n    type: {LOG}\n    message: hi\n" for t in tasks)
    return f"id: f\nnamespace: t\ntasks:\n{lines}{extra}"


def test_a_running_execution_keeps_its_book_for_the_next_step() -> None:
    h = Harness(flow(["a", "b"]))
    h.start()
    h.finish("a")
    assert h.state == S.RUNNING
    assert book._BOOKS[h.execution.id].execution is h.execution


def test_an_execution_that_ended_drops_its_book() -> None:
    h = Harness(flow(["a", "b"]))
    h.start()
    h.finish("a")
    h.finish("b")
    assert h.state == S.SUCCESS
    assert h.execution.id not in book._BOOKS


def test_an_ended_execution_with_after_execution_tasks_running_keeps_its_book() -> None:
    after = f"afterExecution:\n  - id: z\n    type: {LOG}\n    message: bye\n"
    h = Harness(flow(["a"], after))
    h.start()
    h.finish("a")
    assert h.state == S.SUCCESS
    assert h.state_of("z") == S.CREATED
    assert book._BOOKS[h.execution.id].execution is h.execution
    h.finish("z")
    assert h.execution.id not in book._BOOKS


def test_a_step_after_the_end_indexes_the_execution_again() -> None:
    h = Harness(flow(["a"]))
    h.start()
    h.finish("a")
    run = h.run_of("a")
    stale = h.send(TaskRunFinished(run.id, 1, S.FAILED, worker_id="worker-1"))
    assert stale.execution.task_run(run.id).state.current == S.SUCCESS
    assert h.state == S.SUCCESS
    assert h.execution.id not in book._BOOKS

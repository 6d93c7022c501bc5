"""``runtime.step_all``: a batch of events decides what stepping them one by one decides.

Given a flow and an execution, When a batch of worker reports (or other events) arrives, Then
the task runs, their states and the dispatched tasks equal those of single steps."""

from __future__ import annotations

from runtime_flows import started

from legato.model.execution import StateType as S
from legato.runtime.events import Event, KillRequested
from legato.testing import Harness

RET = "io.kestra.plugin.core.debug.Return"


def foreach(values: str, limit: int, errors: str = "") -> str:
    return (
        "- id: each\n  type: io.kestra.plugin.core.flow.ForEach\n"
        f"  values: {values}\n  concurrencyLimit: {limit}\n  tasks:\n"
        f"    - id: ret\n      type: {RET}\n      format: x\n"
        f"- id: after\n  type: {RET}\n  format: y\n{errors}"
    )


def shape(h: Harness) -> list[tuple[str, str | None, str]]:
    return sorted((r.taskId, r.value, r.state.current.value) for r in h.execution.taskRunList)


def pending(h: Harness) -> list[tuple[str, str | None]]:
    runs = (h.execution.task_run(c.task_run_id) for c in h.pending.values())
    return sorted((r.taskId, r.value) for r in runs)


def both(tasks: str) -> tuple[Harness, Harness]:
    return started(tasks), started(tasks)


def one_by_one(h: Harness, events: list[Event]) -> None:
    for event in events:
        h.send(event)


def test_a_batch_of_loop_reports_ends_the_loop_and_starts_the_next_task() -> None:
    single, batched = both(foreach("[1, 2, 3, 4, 5]", 0))
    values = ["1", "2", "3", "4", "5"]
    one_by_one(single, [e for v in values for e in single.reports("ret", value=v)])
    batched.send_all([e for v in values for e in batched.reports("ret", value=v)])
    assert shape(batched) == shape(single)
    assert pending(batched) == pending(single) == [("after", None)]
    assert batched.run_of("each").state.current == S.SUCCESS


def test_a_batch_under_a_concurrency_limit_starts_as_many_new_values_as_ended() -> None:
    single, batched = both(foreach("[1, 2, 3, 4, 5]", 2))
    assert pending(batched) == [("ret", "1"), ("ret", "2")]
    one_by_one(single, single.reports("ret", value="1") + single.reports("ret", value="2"))
    batched.send_all(batched.reports("ret", value="1") + batched.reports("ret", value="2"))
    assert pending(batched) == pending(single) == [("ret", "3"), ("ret", "4")]
    assert shape(batched) == shape(single)


def test_a_failure_inside_a_batch_fails_the_loop_and_runs_the_errors_branch() -> None:
    errors = f"errors:\n  - id: handler\n    type: {RET}\n    format: z\n"
    tasks = foreach("[1, 2, 3]", 0)
    single = started(tasks, errors)
    batched = started(tasks, errors)
    for h, send in ((single, lambda evs: one_by_one(single, evs)), (batched, batched.send_all)):
        send(
            h.reports("ret", value="1")
            + h.reports("ret", S.FAILED, value="2")
            + h.reports("ret", value="3")
        )
    assert shape(batched) == shape(single)
    assert pending(batched) == pending(single) == [("handler", None)]
    assert batched.run_of("each").state.current == S.FAILED


def test_events_other_than_reports_are_settled_on_their_own() -> None:
    single, batched = both(foreach("[1, 2]", 0))
    one_by_one(single, [*single.reports("ret", value="1"), KillRequested()])
    batched.send_all([*batched.reports("ret", value="1"), KillRequested()])
    assert shape(batched) == shape(single)
    assert batched.execution.state.current == single.execution.state.current


def test_an_empty_batch_changes_nothing() -> None:
    h = started(foreach("[1]", 0))
    before = h.execution
    transition = h.send_all([])
    assert transition.execution.taskRunList == before.taskRunList
    assert transition.commands == ()

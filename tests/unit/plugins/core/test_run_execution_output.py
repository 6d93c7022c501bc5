"""execution.Fail, execution.Assert and output.OutputValues, run as a worker runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from worker_harness import run, worker

from legato.model.execution import StateType

FAIL = "io.kestra.plugin.core.execution.Fail"
ASSERT = "io.kestra.plugin.core.execution.Assert"
VALUES = "io.kestra.plugin.core.output.OutputValues"


def test_fail_without_condition_always_fails_with_the_default_message(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": FAIL})
        assert (outcome.state, outcome.error) == (StateType.FAILED, "Task failure")
        assert h.log_lines() == [("ERROR", "Task failure")]


@pytest.mark.parametrize(
    ("condition", "fails"),
    [
        ("{{ 1 == 1 }}", True),
        ("{{ 1 == 2 }}", False),
        ("{{ 0 }}", False),
        ("{{ '' }}", False),
        ("False", True),
        ("anything", True),
    ],
)
def test_fail_only_when_the_condition_is_truthy(
    tmp_path: Path, condition: str, fails: bool
) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": FAIL, "condition": condition, "errorMessage": "{{ flow.id }}!"})
        expected = (StateType.FAILED, "my_flow!") if fails else (StateType.SUCCESS, None)
        assert (outcome.state, outcome.error) == expected


def test_assert_passes_and_counts_successes(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": ASSERT, "conditions": ["{{ 1 < 2 }}", "{{ 'a' == 'a' }}"]})
        assert outcome.state is StateType.SUCCESS
        assert [(m.name, m.value) for m in h.ctx.metrics] == [("success", 2.0), ("failed", 0.0)]


def test_assert_fails_naming_the_number_of_failed_assertions(tmp_path: Path) -> None:
    conditions = ["{{ 1 + 1 == 3 }}", "{{ true }}", "{{ 0 }}"]
    with worker(tmp_path) as h:
        outcome = run(h, {"type": ASSERT, "conditions": conditions, "errorMessage": "see logs"})
        assert (outcome.state, outcome.error) == (
            StateType.FAILED,
            "2 assertions failed!\nsee logs",
        )
        assert h.log_lines()[:2] == [
            ("ERROR", "Assertion `{{ 1 + 1 == 3 }}` failed!"),
            ("ERROR", "Assertion `{{ 0 }}` failed!"),
        ]
        assert [(m.name, m.value) for m in h.ctx.metrics] == [("success", 1.0), ("failed", 2.0)]


def test_assert_counts_a_condition_that_cannot_render_as_failed(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": ASSERT, "conditions": ["{{ nope.value }}"]})
        assert outcome.error == "1 assertion failed!"
        assert h.log_lines()[0][1].startswith(
            "Assertion `{{ nope.value }}` failed, failed to render"
        )


def test_output_values_renders_each_value_as_text(tmp_path: Path) -> None:
    values = {"who": "{{ flow.namespace }}", "n": "{{ 2 * 3 }}", "raw": 5, "nested": ["{{ 1 }}"]}
    with worker(tmp_path) as h:
        outcome = run(h, {"type": VALUES, "values": values})
        assert outcome.outputs == {
            "values": {"who": "company.team", "n": "6", "raw": 5, "nested": ["1"]}
        }


def test_output_values_from_one_expression_must_render_to_a_map(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": VALUES, "values": "{{ {'a': 1} }}"})
        assert outcome.outputs == {"values": {"a": 1}}
        failed = run(h, {"type": VALUES, "values": "{{ [1] }}"})
        assert failed.error == "'values' must render to a map, got list"


def test_output_values_mask_secrets(tmp_path: Path) -> None:
    with worker(tmp_path, env={"SECRET_TOKEN": "dG9r"}) as h:
        outcome = run(h, {"type": VALUES, "values": {"t": "{{ secret('token') }}"}})
        assert outcome.outputs == {"values": {"t": "******"}}

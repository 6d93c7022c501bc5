"""Loop helpers: loopOutputs."""

from __future__ import annotations

import pytest
from conftest_callables import typed

from legato.errors import ExpressionEvaluationError

LOOP = [
    {"item": {"value": "a", "iteration": 0}, "outputs": {"uri": "s3://a", "n": 1}},
    {"item": {"value": "b", "iteration": 1}, "outputs": {"n": 2}},
    "not an entry",
    {"item": {"value": "c", "iteration": 2}},
]


def test_loop_outputs_lists_one_declared_output_of_every_iteration_in_order() -> None:
    assert typed(
        "{{ loopOutputs(outputs.loop.outputs, 'n') }}", outputs={"loop": {"outputs": LOOP}}
    ) == [
        1,
        2,
        None,
        None,
    ]
    assert typed("{{ loopOutputs(o, 'uri') }}", o=LOOP) == ["s3://a", None, None, None]
    assert typed("{{ loopOutputs([], 'uri') }}") == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ loopOutputs() }}", "loopOutputs: argument 'outputs' is required"),
        ("{{ loopOutputs(null, 'n') }}", "loopOutputs: argument 'outputs' is required"),
        ("{{ loopOutputs({'a': 1}, 'n') }}", "loopOutputs: argument 'outputs' must be a list, got"),
        ("{{ loopOutputs([]) }}", "loopOutputs: argument 'name' is required"),
        ("{{ loopOutputs([], 3) }}", "loopOutputs: argument 'name' must be a string, got integer"),
    ],
)
def test_loop_outputs_refuses_missing_or_mistyped_arguments(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        typed(source)

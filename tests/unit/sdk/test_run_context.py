from __future__ import annotations

from typing import Any

import pytest

from legato import expressions
from legato.errors import LegatoError
from legato.sdk.run_context import TaskError, is_truthy, outputs_of, render_leaves


@pytest.mark.parametrize("text", ["false", "0", "-0", "", "  ", " false "])
def test_kestra_falsy_values(text: str) -> None:
    assert is_truthy(text) is False


@pytest.mark.parametrize("text", ["true", "False", "FALSE", "1", "no", "null", "0.0"])
def test_every_other_text_is_truthy(text: str) -> None:
    assert is_truthy(text) is True


def test_none_and_booleans() -> None:
    assert is_truthy(None) is False
    assert is_truthy(True) is True
    assert is_truthy(False) is False


def test_task_error_is_a_legato_error_and_retryable_by_default() -> None:
    error = TaskError("boom")
    assert isinstance(error, LegatoError)
    assert (error.message, error.retryable) == ("boom", True)
    assert TaskError("x", retryable=False).retryable is False
    assert TaskError().message == "The task failed."


class TextOnly:
    """Just enough of a RunContext for ``render_leaves``."""

    def render_string(self, value: Any, extra: Any = None) -> str:
        return expressions.render(str(value), {"name": "kestra"})


def test_render_leaves_renders_every_string_as_text() -> None:
    ctx: Any = TextOnly()
    value = {"{{ name }}": ["{{ 1 + 1 }}", 3, {"b": "{{ true }}"}], "n": None}
    assert render_leaves(ctx, value) == {"kestra": ["2", 3, {"b": "true"}], "n": None}


def test_outputs_of() -> None:
    assert outputs_of(None) == {}
    assert outputs_of({"a": 1}) == {"a": 1}

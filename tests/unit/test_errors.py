"""The error tree: default messages, located expression errors, collected violations."""

from __future__ import annotations

from legato.errors import (
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    FlowValidationError,
    InputError,
    LegatoError,
    PluginError,
)


class Documented(LegatoError):
    """The thing broke.

    Longer explanation that is not part of the message.
    """


def test_the_first_docstring_paragraph_is_the_default_message() -> None:
    assert Documented().message == "The thing broke."
    assert str(Documented("explicit")) == "explicit"
    assert PluginError().message == "A plugin could not be found or registered."


def test_syntax_errors_show_the_line_and_a_caret() -> None:
    error = ExpressionSyntaxError("unexpected '}'", line=2, column=4, source="a\nb }}\n")
    assert (error.reason, error.line, error.column) == ("unexpected '}'", 2, 4)
    assert str(error) == "unexpected '}' (line 2, column 4)\n  b }}\n     ^"


def test_a_position_outside_the_source_shows_no_excerpt() -> None:
    assert (
        str(ExpressionSyntaxError("bad", line=9, column=1, source="x")) == "bad (line 9, column 1)"
    )


def test_evaluation_errors_are_located_only_when_a_line_is_known() -> None:
    assert str(ExpressionEvaluationError("undefined x")) == "undefined x"
    located = ExpressionEvaluationError("undefined x", line=1, column=4, source="{{ x }}")
    assert str(located).startswith("undefined x (line 1, column 4)")


def test_flow_validation_errors_list_every_violation() -> None:
    error = FlowValidationError(["a: one", "b: two"])
    assert error.message == "Invalid Flow: a: one; b: two"
    assert FlowValidationError().message == "Invalid Flow: unknown reason"
    assert FlowValidationError(["x"], message="custom").message == "custom"


def test_input_errors_name_their_input() -> None:
    error = InputError("input 'age': expected an integer", input_id="age")
    assert (error.input_id, error.message) == ("age", "input 'age': expected an integer")

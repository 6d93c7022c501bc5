"""Violation rendering and property paths."""

from __future__ import annotations

import pytest

from legato.model.violations import PropertyError, Violation, format_path


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        ((), ""),
        (("id",), "id"),
        (("tasks", 1, "message"), "tasks[1].message"),
        (("tasks", 0, "then", 2, "retry", "interval"), "tasks[0].then[2].retry.interval"),
        (("labels", "system.foo"), "labels.system.foo"),
    ],
)
def test_format_path_uses_dots_and_bracketed_indexes(loc: tuple[str | int, ...], path: str) -> None:
    assert format_path(loc) == path


def test_str_is_file_line_column_path_message() -> None:
    violation = Violation(
        "tasks[0].message", "required property 'message' is missing", 4, 5, "f.yml"
    )
    assert str(violation) == "f.yml:4:5: tasks[0].message: required property 'message' is missing"


def test_str_leaves_out_unknown_parts_and_names_the_flow_for_the_empty_path() -> None:
    assert str(Violation("", "bad", None, None, None)) == "<flow>: bad"
    assert str(Violation("id", "bad", 3, None, None)) == "3: id: bad"


def test_violations_are_frozen_and_comparable() -> None:
    one = Violation("id", "bad", 1, 1, None)
    assert one == Violation("id", "bad", 1, 1, None)
    with pytest.raises(AttributeError):
        one.message = "other"  # type: ignore[misc]


def test_property_error_keeps_the_relative_location() -> None:
    error = PropertyError("unknown dependency 'x'", "tasks", 1, "dependsOn")
    assert error.at == ("tasks", 1, "dependsOn")
    assert str(error) == "unknown dependency 'x'"
    assert isinstance(error, ValueError)

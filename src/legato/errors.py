"""The root of every error Legato raises on purpose.

The tree::

    LegatoError
    ├── ExpressionError                  a Pebble template could not be parsed or rendered
    │   ├── ExpressionSyntaxError        bad syntax; carries line, column and the source line
    │   └── ExpressionEvaluationError    an undefined variable, a bad filter argument, a limit hit
    ├── FlowValidationError              a flow broke one or more rules; carries every Violation
    ├── InputError                       an execution input could not be resolved or coerced
    └── PluginError                      a plugin type or registry problem (unknown type, clash)

Each class's docstring (its first paragraph) is its default message, so
``raise FlowValidationError()`` still says something useful. Messages name what was asked
for and say what to do.
"""

from __future__ import annotations


class LegatoError(Exception):
    """Legato failed."""

    def __init__(self, message: str | None = None) -> None:
        default = (self.__doc__ or "").strip().split("\n\n")[0]
        self.message = message if message is not None else " ".join(default.split())
        super().__init__(self.message)


class ExpressionError(LegatoError):
    """An expression could not be rendered."""


class ExpressionSyntaxError(ExpressionError):
    """An expression has a syntax error."""

    def __init__(self, message: str, *, line: int = 1, column: int = 1, source: str = "") -> None:
        self.reason = message
        self.line = line
        self.column = column
        self.source = source
        super().__init__(_located(message, line, column, source))


class ExpressionEvaluationError(ExpressionError):
    """An expression failed while it was being evaluated."""

    def __init__(
        self, message: str, *, line: int | None = None, column: int | None = None, source: str = ""
    ) -> None:
        self.reason = message
        self.line = line
        self.column = column
        self.source = source
        if line is None:
            super().__init__(message)
        else:
            super().__init__(_located(message, line, column or 1, source))


class FlowValidationError(LegatoError):
    """The flow is invalid."""

    def __init__(self, violations: list[object] | None = None, message: str | None = None) -> None:
        self.violations = list(violations or [])
        if message is None:
            lines = [str(v) for v in self.violations]
            message = "Invalid Flow: " + ("; ".join(lines) if lines else "unknown reason")
        super().__init__(message)


class InputError(LegatoError):
    """An execution input is invalid."""

    def __init__(self, message: str, *, input_id: str | None = None) -> None:
        self.input_id = input_id
        super().__init__(message)


class PluginError(LegatoError):
    """A plugin could not be found or registered."""


def _located(message: str, line: int, column: int, source: str) -> str:
    """Format ``message`` with its position and, when known, the offending line and a caret."""
    text = f"{message} (line {line}, column {column})"
    lines = source.splitlines()
    if 1 <= line <= len(lines):
        text += f"\n  {lines[line - 1]}\n  {' ' * (column - 1)}^"
    return text

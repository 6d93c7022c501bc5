"""One rule broken by a flow, located in its YAML source.

Invariants:

* A ``Violation`` is immutable and self-describing: ``str(v)`` is ``file:line:col: path: message``
  with the unknown parts left out, so editors and terminals can jump to it.
* ``path`` uses Kestra's property-path form: dotted names with list indexes in brackets,
  ``tasks[1].then[0].message``; the flow itself is the empty path (shown as ``<flow>``).
* ``line`` and ``column`` are 1-based, or ``None`` when the position is unknown.
* A model validator that finds a rule broken by one of its sub-properties raises
  ``PropertyError(message, *relative_location)``; the parser then reports the violation at that
  sub-property (``PropertyError("unknown dependency 'x'", "tasks", 1, "dependsOn", 0)``) instead of
  at the whole object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: a location inside the YAML data: mapping keys and list indexes from the document root
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Violation:
    """A broken rule: where (property path and source position) and why."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    file: str | None = None

    def __str__(self) -> str:
        place = [str(p) for p in (self.file, self.line, self.column) if p is not None]
        prefix = ":".join(place) + ": " if place else ""
        return f"{prefix}{self.path or '<flow>'}: {self.message}"


class PropertyError(ValueError):
    """A rule broken by a sub-property: raise it from a pydantic validator to locate it there."""

    def __init__(self, message: str, *at: str | int) -> None:
        super().__init__(message)
        self.message = message
        #: the location of the offending sub-property, relative to the validated object
        self.at: Loc = tuple(at)


def format_path(loc: Iterable[str | int]) -> str:
    """Write ``loc`` as a property path: ``("tasks", 1, "message")`` → ``tasks[1].message``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text

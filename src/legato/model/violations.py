"""One rule broken by a flow, located in its YAML source.

Invariants:

* A ``Violation`` is immutable and self-describing: ``str(v)`` is ``file:line:col: path: message``
  with the unknown parts left out, so editors and terminals can jump to it.
* ``path`` uses Kestra's property-path form: dotted names with list indexes in brackets,
  ``tasks[1].then[0].message``; the flow itself is the empty path (shown as ``<flow>``).
* ``line`` and ``column`` are 1-based, or ``None`` when the position is unknown.
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


def format_path(loc: Iterable[str | int]) -> str:
    """Write ``loc`` as a property path: ``("tasks", 1, "message")`` → ``tasks[1].message``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text

"""Core ``state.*`` tasks (deprecated: use the KV store): ``Set``, ``Get`` and ``Delete`` a named
JSON state file.

Invariants: ``name`` defaults to ``default``; ``namespace`` (scope) defaults to false, i.e. the
state belongs to the flow; Get/Delete ``errorOnMissing`` defaults to false.
"""

from __future__ import annotations

from typing import Any

from legato.model.property import Dyn
from legato.sdk import RunnableTask, plugin

_LEGACY = "io.kestra.core.tasks.states."


class _State(RunnableTask):
    name: str = "default"
    namespace: Dyn[bool] = False
    taskrunValue: Dyn[bool] = True


@plugin(
    "io.kestra.plugin.core.state.Set",
    aliases=(_LEGACY + "Set",),
    title="Merge values into a state file (deprecated: use kv.Set).",
    deprecated=True,
)
class Set(_State):
    """Merge ``data`` into the state file ``name`` (deprecated)."""

    data: Dyn[dict[str, Any]] | None = None


@plugin(
    "io.kestra.plugin.core.state.Get",
    aliases=(_LEGACY + "Get",),
    title="Read a state file (deprecated: use kv.Get).",
    deprecated=True,
)
class Get(_State):
    """Read the state file ``name`` (deprecated)."""

    errorOnMissing: Dyn[bool] = False


@plugin(
    "io.kestra.plugin.core.state.Delete",
    aliases=(_LEGACY + "Delete",),
    title="Delete a state file (deprecated: use kv.Delete).",
    deprecated=True,
)
class Delete(_State):
    """Delete the state file ``name`` (deprecated)."""

    errorOnMissing: Dyn[bool] = False

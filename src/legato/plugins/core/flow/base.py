"""Shared shape of the core flowable tasks: the ``errors`` and ``finally`` branches.

``finally`` is a Python keyword, so the field is ``finally_`` with the alias ``finally`` (the
name flows use and the name written back). Classes here are bases, never registered.
The executor-side protocol (``legato.sdk.flowable``) is implemented here once: subclasses give
``decide``.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from legato.model.execution import StateType
from legato.sdk import FlowableTask, Tasks
from legato.sdk.flowable import FlowableContext, NextRun


class BranchingTask(FlowableTask):
    """A flowable with ``errors`` (run when a child fails) and ``finally`` (run at the end).

    Subclasses implement ``decide`` of the ``sdk.flowable.Flowable`` protocol.
    """

    errors: Tasks | None = None
    finally_: Tasks | None = Field(None, alias="finally")

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        """The child runs to create now and, when done, the state (Kestra's resolveState)."""
        raise NotImplementedError(f"{type(self).__name__} does not decide its children")

    def flowable_outputs(self, ctx: FlowableContext) -> dict[str, Any] | None:
        return None


def render_labels(ctx: FlowableContext, labels: Any) -> tuple[tuple[str, str], ...]:
    """Labels written as a map, a ``{key, value}`` list or an expression, rendered to pairs."""
    if isinstance(labels, str):
        labels = ctx.render(labels)
    pairs: list[list[Any]] = []
    if isinstance(labels, dict):
        pairs = [[k, v] for k, v in labels.items()]
    elif isinstance(labels, list):
        for item in labels:
            if isinstance(item, dict):
                pairs.append([item.get("key"), item.get("value")])
            else:
                pairs.append([getattr(item, "key", None), getattr(item, "value", None)])
    rendered = ctx.render(pairs)
    return tuple((_text(k), _text(v)) for k, v in rendered)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

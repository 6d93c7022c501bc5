"""Shared shape of the core flowable tasks: the ``errors`` and ``finally`` branches.

``finally`` is a Python keyword, so the field is ``finally_`` with the alias ``finally`` (the
name flows use and the name written back). Classes here are bases, never registered.
"""

from __future__ import annotations

from pydantic import Field

from legato.sdk import FlowableTask, Tasks


class BranchingTask(FlowableTask):
    """A flowable with ``errors`` (run when a child fails) and ``finally`` (run at the end)."""

    errors: Tasks | None = None
    finally_: Tasks | None = Field(None, alias="finally")

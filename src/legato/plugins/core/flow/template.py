"""Core ``Template`` flowable (deprecated): include the tasks of a stored template.

Kept so that old flows still validate; ``namespace`` and ``templateId`` are required. Legato has
no template store (Kestra deprecated templates and disables them by default), so running one
fails with a message saying how to replace it.
"""

from __future__ import annotations

from typing import Any

from legato.model.execution import StateType
from legato.plugins.core.flow.base import BranchingTask
from legato.sdk import plugin
from legato.sdk.flowable import FlowableContext, NextRun


@plugin(
    "io.kestra.plugin.core.flow.Template",
    aliases=("io.kestra.core.tasks.flows.Template",),
    title="Include the tasks of a template (deprecated: use subflows).",
    deprecated=True,
)
class Template(BranchingTask):
    """Include the tasks of template ``namespace``/``templateId`` (deprecated)."""

    namespace: str
    templateId: str
    tenantId: str | None = None
    args: dict[str, Any] | None = None

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        """Always refused: there is no template to include."""
        raise NotImplementedError(
            f"flow.Template '{self.namespace}.{self.templateId}' cannot run: templates are "
            "deprecated in Kestra and Legato has no template store; move the template's tasks "
            "into a flow and call it with flow.Subflow (or paste them in place)"
        )

"""Core ``Template`` flowable (deprecated): include the tasks of a stored template.

Kept so that old flows still validate; ``namespace`` and ``templateId`` are required.
"""

from __future__ import annotations

from typing import Any

from legato.plugins.core.flow.base import BranchingTask
from legato.sdk import plugin


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

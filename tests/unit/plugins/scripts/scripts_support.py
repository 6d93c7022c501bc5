"""Running script tasks in unit tests: the scripts plugins plus the core ``Process`` runner,
each task loaded as a flow loads it and run on the shared fake ``RunContext``
(``plugin_support``) with real processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plugin_support import fake_run_context, load_task

from legato.model.registry import PluginRegistry
from legato.plugins.core import runner
from legato.plugins.scripts import PLUGINS

REGISTRY = PluginRegistry([*PLUGINS, runner.Process])
PROCESS = {"type": "io.kestra.plugin.core.runner.Process"}


def load(definition: dict[str, Any]) -> Any:
    """The script task of ``definition`` (``id`` defaults to ``t``)."""
    return load_task(REGISTRY, definition)


def run(base: Path, definition: dict[str, Any], **ctx_args: Any) -> tuple[Any, Any]:
    """Run the task of ``definition`` on a fresh fake context over ``base`` (``ctx_args`` go
    to the context): (outputs, ctx)."""
    ctx = fake_run_context(base, **ctx_args)
    return load(definition).run(ctx), ctx

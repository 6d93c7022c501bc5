"""Shared helpers of the runtime decision tables: small flows written as YAML."""

from __future__ import annotations

import textwrap
from typing import Any

from legato.testing import Harness


def log(task_id: str, **extra: str) -> str:
    """A Log task as a YAML list item (extra properties as raw YAML scalars)."""
    lines = [f"- id: {task_id}", "  type: io.kestra.plugin.core.log.Log", "  message: hello"]
    lines += [f"  {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines)


def flow_yaml(tasks: str, extra: str = "") -> str:
    """A flow ``t.f`` with ``tasks`` (a YAML list) and extra top-level YAML."""
    body = textwrap.indent(textwrap.dedent(tasks).strip(), "  ")
    return f"id: f\nnamespace: t\ntasks:\n{body}\n{textwrap.dedent(extra).strip()}\n"


def started(tasks: str, extra: str = "", **options: Any) -> Harness:
    """A Harness of a flow with ``tasks`` (YAML list) after ``ExecutionCreated``."""
    harness = Harness(flow_yaml(tasks, extra), **options)
    harness.start()
    return harness

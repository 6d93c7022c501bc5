"""Runs core tasks the way a worker does: the definition validated through the real plugin
registry, then ``run`` with a real ``WorkerRunContext`` over in-memory store fakes.

The fakes live in ``tests/unit/worker/worker_support.py``; this module loads that file by path
(``plugin_support.support_module``) so these tests do not depend on collection order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from plugin_support import support_module

from legato.model.registry import PluginRegistry
from legato.worker.execute import AttemptOutcome, run_attempt

REGISTRY = PluginRegistry.from_entry_points()
_SUPPORT = Path(__file__).resolve().parents[2] / "worker" / "worker_support.py"
support = support_module("worker_support", _SUPPORT)


@contextmanager
def worker(tmp_path: Path, **options: Any) -> Iterator[Any]:
    """A harness (``.ctx``, ``.kv``, ``.files``, ``.log_lines()``) with the core registry."""
    with support.harness(tmp_path, registry=REGISTRY, **options) as h:
        yield h


def run(h: Any, definition: Mapping[str, Any]) -> AttemptOutcome:
    """Run ``definition`` (``id`` defaults to ``t``) in the harness ``h``."""
    return run_attempt({"id": "t", **definition}, h.ctx, REGISTRY)

"""Runs core tasks the way a worker does: the definition validated through the real plugin
registry, then ``run`` with a real ``WorkerRunContext`` over in-memory store fakes.

The fakes live in ``tests/unit/worker/worker_support.py``; this module loads that file by path
so these tests do not depend on collection order.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from legato.model.registry import PluginRegistry
from legato.worker.execute import AttemptOutcome, run_attempt

REGISTRY = PluginRegistry.from_entry_points()
_SUPPORT = Path(__file__).resolve().parents[2] / "worker" / "worker_support.py"


def _support() -> ModuleType:
    loaded = sys.modules.get("worker_support")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("worker_support", _SUPPORT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["worker_support"] = module
    spec.loader.exec_module(module)
    return module


support = _support()


@contextmanager
def worker(tmp_path: Path, **options: Any) -> Iterator[Any]:
    """A harness (``.ctx``, ``.kv``, ``.files``, ``.log_lines()``) with the core registry."""
    with support.harness(tmp_path, registry=REGISTRY, **options) as h:
        yield h


def run(h: Any, definition: Mapping[str, Any]) -> AttemptOutcome:
    """Run ``definition`` (``id`` defaults to ``t``) in the harness ``h``."""
    return run_attempt({"id": "t", **definition}, h.ctx, REGISTRY)

"""The data scripts of ``examples/data`` (not a package: users run them as files) as modules."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _load(name: str) -> ModuleType:
    key = f"examples_data_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, EXAMPLES / "data" / f"{name}.py")
    assert spec is not None and spec.loader is not None, f"examples/data/{name}.py is missing"
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module


generate = _load("generate")
serve = _load("serve")

"""Fixtures shared by every plugin group's tests.

Its presence also puts this folder on ``sys.path`` (pytest's default ``prepend`` import mode),
so a test of any group can ``from plugin_support import ...``. A group or a test module that
needs a differently equipped context (variables, ports, kill support) overrides ``ctx``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from plugin_support import fake_run_context


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    """A fresh fake ``RunContext`` over a temporary directory."""
    return fake_run_context(tmp_path)

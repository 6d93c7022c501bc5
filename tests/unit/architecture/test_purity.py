"""The pure core stays pure: no I/O, wall clock or randomness in expressions (and runtime later).

Time and randomness reach pure code only through injected sources (``legato._kernel.clock``,
the Environment's random source), so renders and decisions are repeatable in tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src" / "legato"
PURE_PACKAGES = ["expressions", "runtime"]
FORBIDDEN_MODULES = {"asyncio", "socket", "subprocess", "sqlite3", "random", "threading"}
FORBIDDEN_CALLS = {("time", "sleep"), ("datetime", "now"), ("datetime", "utcnow"), ("os", "system")}


def pure_files() -> list[Path]:
    return sorted(p for pkg in PURE_PACKAGES for p in (SRC / pkg).rglob("*.py"))


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FORBIDDEN_MODULES:
                found.append(node.module)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in FORBIDDEN_CALLS
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_there_are_pure_files_to_check() -> None:
    assert pure_files(), "expected source files under the pure packages"


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_pure_module_does_no_io_and_reads_no_clock(path: Path) -> None:
    assert offences(path) == []


def test_the_checker_catches_offences(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import random\nfrom asyncio import sleep\nimport datetime\ndatetime.now()\n")
    found = offences(bad)
    assert found == ["random", "asyncio", "datetime.now"]

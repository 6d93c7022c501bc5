"""Python ``dependencies``: installed with uv into a cached environment (offline: a local wheel)."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from plugin_support import fake_run_context
from scripts_support import load

from legato.plugins.scripts import python_env
from legato.sdk.run_context import TaskError


def make_wheel(
    folder: Path, name: str = "legato_demo_dep", version: str = "0.1.0", body: str = "VALUE = 42\n"
) -> Path:
    """A minimal pure-Python wheel of package ``name`` (by default ``legato_demo_dep``, VALUE =
    42)."""
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"{name}/__init__.py", body)
        archive.writestr(
            f"{info}/METADATA",
            f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: {version}\n",
        )
        archive.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        archive.writestr(f"{info}/RECORD", "")
    return wheel


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEGATO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("UV_OFFLINE", "1")
    return tmp_path / "home"


def test_the_key_ignores_order_and_duplicates() -> None:
    assert python_env.env_key(["b", "a", "a"]) == python_env.env_key(["a", "b"])
    assert python_env.env_key(["a"]) != python_env.env_key(["a", "b"])


def test_a_script_imports_its_dependency_from_a_cached_env(home: Path, tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path)
    definition = {
        "id": "t",
        "type": "io.kestra.plugin.scripts.python.Script",
        "taskRunner": {"type": "io.kestra.plugin.core.runner.Process"},
        "dependencies": [str(wheel)],
        "script": "import legato_demo_dep\nprint('value', legato_demo_dep.VALUE)",
    }
    task = load(definition)
    for attempt in ("first", "second"):
        ctx = fake_run_context(tmp_path / attempt)
        task.run(ctx)
        assert ("INFO", "value 42") in ctx.logger.lines
        installing = [m for _, m in ctx.logger.lines if m.startswith("Installing")]
        assert len(installing) == (1 if attempt == "first" else 0)
    [env] = [p for p in (home / "python-envs").iterdir() if p.is_dir()]
    assert (env / python_env.MARKER).exists()


def test_an_uninstallable_dependency_fails_with_uv_output(home: Path, tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    with pytest.raises(TaskError, match="Installing Python dependencies failed") as info:
        python_env.dependency_env(ctx, [str(tmp_path / "missing.whl")], sys.executable)
    assert info.value.retryable is False

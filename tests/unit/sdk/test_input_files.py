"""``inputFiles`` shared by scripts, DuckDB and WorkingDirectory: rendered once, names kept
inside the directory, ``kestra://`` contents fetched."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from legato.sdk.input_files import input_file_map, safe_relative, write_input_files
from legato.sdk.run_context import TaskError

_SUPPORT = Path(__file__).resolve().parents[1] / "plugins" / "plugin_support.py"


def _plugin_support() -> Any:
    """The plugin tests' support module (loaded by path: its folder may not be collected)."""
    if "plugin_support" not in sys.modules:
        spec = importlib.util.spec_from_file_location("plugin_support", _SUPPORT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["plugin_support"] = module
        spec.loader.exec_module(module)
    return sys.modules["plugin_support"]


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    return _plugin_support().fake_run_context(tmp_path)


def test_a_map_is_rendered_once_and_non_text_contents_become_json(ctx: Any) -> None:
    ctx.variables["name"] = "data.csv"
    files = input_file_map(ctx, {"{{ name }}": "a,b", "n.json": {"k": [1, 2]}})
    assert files == {"data.csv": "a,b", "n.json": '{"k": [1, 2]}'}


def test_a_json_string_gives_the_map_and_extra_variables_render(ctx: Any) -> None:
    files = input_file_map(ctx, '{"x.txt": "{{ dir }}/x"}', {"dir": "/w"})
    assert files == {"x.txt": "/w/x"}
    # a rendered content is not rendered a second time
    literal = {"m": {"y.txt": "{{ not_a_variable }}"}}
    assert input_file_map(ctx, "{{ m }}", literal) == {"y.txt": "{{ not_a_variable }}"}


def test_anything_but_a_map_is_refused(ctx: Any) -> None:
    with pytest.raises(TaskError, match="inputFiles must render to a map"):
        input_file_map(ctx, "not json")
    assert input_file_map(ctx, None) == {}


@pytest.mark.parametrize("name", ["/etc/passwd", "../x", "a/../../x", "C:\\x", ""])
def test_names_outside_the_directory_are_refused(name: str) -> None:
    with pytest.raises(TaskError, match="inputFiles name"):
        safe_relative(name)


def test_files_are_written_and_kestra_uris_fetched(ctx: Any, tmp_path: Path) -> None:
    uri = ctx.storage.put_bytes(b"stored", "s.txt")
    target = tmp_path / "work"
    write_input_files(ctx, {"sub/a.txt": "text", "b.bin": uri}, target)
    assert (target / "sub" / "a.txt").read_text() == "text"
    assert (target / "b.bin").read_bytes() == b"stored"

"""``config.layers``: stacking partial settings and deriving paths from the home."""

from __future__ import annotations

import os
from pathlib import Path

from legato.config.layers import EMBEDDED, Layer, resolve
from legato.config.settings import Settings, sqlite_url
from legato.model.plugin import PluginDefault


def test_no_layers_is_the_default_installation() -> None:
    assert resolve([]) == Settings.for_home(Path("~/.legato"))


def test_a_later_layer_wins_field_by_field(tmp_path: Path) -> None:
    low = Layer(home=tmp_path, worker_threads=2, docker_fallback="fail")
    high = Layer(worker_threads=6)
    settings = resolve([low, high])
    assert (settings.home, settings.worker_threads, settings.docker_fallback) == (
        tmp_path,
        6,
        "fail",
    )


def test_a_later_plugin_default_list_replaces_the_earlier_one() -> None:
    first = (PluginDefault("a", {"x": 1}),)
    second = (PluginDefault("b", {"y": 2}, forced=True),)
    assert resolve(
        [Layer(plugin_defaults=first), Layer(plugin_defaults=second)]
    ).plugin_defaults == (second)


def test_the_embedded_database_follows_the_home(tmp_path: Path) -> None:
    layers = [Layer(database="memory://"), Layer(database=EMBEDDED), Layer(home=tmp_path)]
    assert resolve(layers).database_url == sqlite_url(tmp_path / "legato.db")


def test_relative_paths_become_absolute(tmp_path: Path) -> None:
    settings = resolve([Layer(home=Path("h"), storage_path=Path("s"), tmp_dir=Path("~/t"))])
    cwd = Path(os.getcwd())
    assert settings.home == cwd / "h"
    assert settings.storage_path == cwd / "s"
    assert settings.work_root == Path.home() / "t"

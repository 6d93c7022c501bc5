"""Partial settings from one source (``Layer``) and their resolution into ``Settings``.

Every source (defaults, ``LEGATO_*`` variables, ``KESTRA_CONFIGURATION``, configuration files,
command-line options) yields a ``Layer`` holding only what it sets. ``resolve`` stacks them,
lowest precedence first: a field set by a later layer replaces the earlier value whole (a
``plugin_defaults`` list too).

Invariants: the paths derived from the home (the SQLite database, the storage, the task
working directories) fill only what no layer set, whichever layer set the home; every path in
the result is absolute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from legato.config.settings import DEFAULT_HOME, DEFAULT_WORKER_THREADS, Settings, absolute
from legato.model.plugin import PluginDefault
from legato.sdk.task_settings import DockerFallback


@dataclass(frozen=True)
class EmbeddedDatabase:
    """The SQLite database file inside the home (what Kestra's ``h2``/``memory`` become)."""


EMBEDDED = EmbeddedDatabase()


@dataclass(frozen=True)
class Layer:
    """What one source sets (None: not set by this source)."""

    home: Path | None = None
    database: str | EmbeddedDatabase | None = None
    storage_path: Path | None = None
    worker_threads: int | None = None
    tmp_dir: Path | None = None
    plugin_defaults: tuple[PluginDefault, ...] | None = None
    docker_fallback: DockerFallback | None = None

    def over(self, lower: Layer) -> Layer:
        """``lower`` with every field this layer sets replaced."""
        changes = {f.name: getattr(self, f.name) for f in fields(self)}
        return replace(lower, **{k: v for k, v in changes.items() if v is not None})


def resolve(layers: Iterable[Layer]) -> Settings:
    """The settings the ``layers`` (lowest precedence first) describe."""
    merged = Layer()
    for layer in layers:
        merged = layer.over(merged)
    settings = Settings.for_home(
        merged.home or DEFAULT_HOME,
        worker_threads=merged.worker_threads or DEFAULT_WORKER_THREADS,
    )
    if isinstance(merged.database, str):
        settings = replace(settings, database_url=merged.database)
    if merged.storage_path is not None:
        settings = replace(settings, storage_path=absolute(merged.storage_path))
    if merged.tmp_dir is not None:
        settings = replace(settings, tmp_dir=absolute(merged.tmp_dir))
    if merged.plugin_defaults is not None:
        settings = replace(settings, plugin_defaults=merged.plugin_defaults)
    if merged.docker_fallback is not None:
        settings = replace(settings, docker_fallback=merged.docker_fallback)
    return settings

"""Plugin group scripts."""

from __future__ import annotations

from legato.model.plugin import Plugin

PLUGINS: list[type[Plugin]] = []

"""Built-in plugins, one independent package per group; each publishes ``PLUGINS``."""

from __future__ import annotations

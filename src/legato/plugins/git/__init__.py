"""Plugin group git: Kestra's plugin-git tasks (Clone, Sync*, Push*).

Declarations only (validation); running them comes later.
"""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.git import tasks

PLUGINS: list[type[Plugin]] = list(tasks.PLUGINS)

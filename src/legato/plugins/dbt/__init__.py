"""Plugin group dbt: ``io.kestra.plugin.dbt.cli.DbtCLI`` and the older per-command tasks.

Declarations only (validation); running them comes later. DbtCLI builds on the script-task
properties shared through ``legato.sdk.scripts``.
"""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.dbt import cli, legacy

PLUGINS: list[type[Plugin]] = [cli.DbtCLI, *legacy.COMMANDS, legacy.Setup]

"""Legacy type strings of the core conditions.

Kestra registers each condition ``X`` under ``io.kestra.plugin.core.condition.X`` with two
aliases: ``io.kestra.core.models.conditions.types.XCondition`` (before 0.17) and
``io.kestra.plugin.core.condition.XCondition`` (0.17 to 0.19).
"""

from __future__ import annotations

PREFIX = "io.kestra.plugin.core.condition."
_OLD = "io.kestra.core.models.conditions.types."


def type_of(name: str) -> str:
    """The current type string of condition ``name``."""
    return PREFIX + name


def aliases_of(name: str) -> tuple[str, ...]:
    """Both legacy type strings of condition ``name``."""
    return (_OLD + name + "Condition", PREFIX + name + "Condition")

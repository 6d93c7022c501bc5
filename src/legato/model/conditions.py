"""The base of every condition (on triggers, listeners and SLA-like checks)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from legato.model.plugin import Child, Plugin, PluginKind


class Condition(Plugin):
    """A condition; concrete ones are plugins in ``legato.plugins.core``."""

    kind: ClassVar[PluginKind] = PluginKind.CONDITION


AnyCondition = Annotated[Condition, Child(PluginKind.CONDITION)]
Conditions = list[AnyCondition]

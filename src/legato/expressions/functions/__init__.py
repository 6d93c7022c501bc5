"""Pebble and Kestra functions, one module per family; ``FUNCTIONS`` gathers them all.

Each family module declares its own ``TABLE`` (a ``Callables``); this package merges them, and a
name declared twice is a programming error caught at import.
"""

from __future__ import annotations

from legato.expressions.callables import Callables
from legato.expressions.functions import builtins, calendar, data, execution, ids, loops


def _merge(*tables: Callables) -> Callables:
    merged = Callables()
    for table in tables:
        clash = merged.functions.keys() & table.functions.keys()
        if clash:  # pragma: no cover - guards future edits
            raise RuntimeError(f"functions declared twice: {sorted(clash)}")
        merged.functions.update(table.functions)
    return merged


FUNCTIONS = _merge(
    builtins.TABLE, calendar.TABLE, data.TABLE, ids.TABLE, execution.TABLE, loops.TABLE
)

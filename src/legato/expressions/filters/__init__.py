"""Pebble and Kestra filters, one module per family; ``FILTERS`` gathers them all.

Each family module declares its own ``TABLE`` (a ``Callables``); this package merges the tables
in a fixed order, and a name declared twice is a programming error caught at import.
"""

from __future__ import annotations

from legato.expressions.callables import Callables
from legato.expressions.filters import (
    collections,
    dates,
    encoding,
    numbers,
    regex,
    serialization,
    strings,
)


def _merge(*tables: Callables) -> Callables:
    merged = Callables()
    for table in tables:
        clash = merged.filters.keys() & table.filters.keys()
        if clash:  # pragma: no cover - guards future edits
            raise RuntimeError(f"filters declared twice: {sorted(clash)}")
        merged.filters.update(table.filters)
    return merged


FILTERS = _merge(
    dates.TABLE,
    numbers.TABLE,
    serialization.TABLE,
    strings.TABLE,
    encoding.TABLE,
    regex.TABLE,
    collections.TABLE,
)

"""Row-by-row processing of ION files (one value per line) for ``FilterItems`` and
``DeduplicateItems``, as Kestra's tasks do it.

Each line is read as an Ion map whose fields become variables of the task's expression (so
``{{ product_id }}`` reads a column). ``FilterItems`` keeps or drops a line by the truthiness of
its rendered condition; an error (or a row that is not a map) follows ``errorOrNullBehavior``.
``DeduplicateItems`` keeps, for each key the expression renders, the *last* line having it, in
file order. Invariants: kept lines are written unchanged, each followed by a newline, to a new
``.ion`` file; blank lines are ignored; the source is streamed, and Deduplicate keeps only a key
→ last line-number index in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from legato.errors import LegatoError
from legato.expressions.filters.ion import from_ion
from legato.plugins.core import storage_files
from legato.sdk.run_context import RunContext, TaskError, is_truthy


def filter_items(
    ctx: RunContext, source: str, condition: str, keep_matches: bool, on_error: str
) -> dict[str, Any]:
    """Write the lines of ``source`` that pass ``condition``; output Kestra's counters."""
    processed = dropped = 0
    path = storage_files.temp_file(ctx, ".ion")
    with path.open("w", encoding="utf-8") as out:
        for line in _lines(ctx, source):
            keep = _keep(ctx, line, condition, keep_matches, on_error)
            if keep:
                out.write(line + "\n")
            else:
                dropped += 1
            processed += 1
    return {
        "uri": ctx.storage.put_file(path),
        "processedItemsTotal": processed,
        "droppedItemsTotal": dropped,
    }


def deduplicate_items(ctx: RunContext, source: str, expr: str) -> dict[str, Any]:
    """Keep the last line of ``source`` for each key ``expr`` renders; output the counters."""
    last: dict[str, int] = {}
    for offset, line in enumerate(_lines(ctx, source)):
        last[_render(ctx, expr, line)] = offset
    kept = set(last.values())
    processed = dropped = 0
    path = storage_files.temp_file(ctx, ".ion")
    with path.open("w", encoding="utf-8") as out:
        for offset, line in enumerate(_lines(ctx, source)):
            if offset in kept:
                out.write(line + "\n")
            else:
                dropped += 1
            processed += 1
    return {
        "uri": ctx.storage.put_file(path),
        "numKeys": len(last),
        "processedItemsTotal": processed,
        "droppedItemsTotal": dropped,
    }


def _keep(ctx: RunContext, line: str, condition: str, keep_matches: bool, on_error: str) -> bool:
    try:
        matched = is_truthy(_render(ctx, condition, line).strip())
    except (LegatoError, ValueError) as error:
        if on_error == "FAIL":
            raise TaskError(
                f"Expression `{condition}` failed on item `{line}`: {error}; set "
                "errorOrNullBehavior to INCLUDE or EXCLUDE to pass such items",
                retryable=False,
            ) from None
        return on_error == "INCLUDE"
    return matched == keep_matches


def _render(ctx: RunContext, expression: str, line: str) -> str:
    return ctx.render_string(expression, extra=_row(line))


def _row(line: str) -> Mapping[str, Any]:
    values = from_ion(line)
    if len(values) != 1 or not isinstance(values[0], Mapping):
        raise ValueError(f"the item is not one Ion struct: {line[:200]}")
    row: Mapping[str, Any] = values[0]
    return row


def _lines(ctx: RunContext, source: str) -> Iterator[str]:
    path = Path(ctx.storage.open_local(source))
    with path.open(encoding="utf-8", newline=None) as reader:
        for raw in reader:
            line = raw.rstrip("\n")
            if line.strip():
                yield line

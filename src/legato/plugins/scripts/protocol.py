"""Kestra's stdout protocol of script tasks: ``::{json}::`` lines carry outputs, metrics, logs.

A line (stdout or stderr) that is exactly ``::`` + a JSON object + ``::`` is a message:
``{"outputs": {...}, "metrics": [{"name", "type": "counter"|"timer", "value", "tags"}],
"logs": [{"level", "message"}]}``. Outputs merge (later keys win) into the task's ``vars``;
metrics go to ``ctx.metric`` (timer values are seconds); logs go to the task logger at their
level. A line that looks like a message but does not parse is an ordinary line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from legato.sdk.run_context import MetricType, RunContext

__all__ = ["apply_message", "parse_message"]

_MESSAGE = re.compile(r"^::(\{.*\})::$")
_LEVELS = frozenset({"TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR"})


def parse_message(line: str) -> dict[str, Any] | None:
    """The JSON object of a protocol line, or None when ``line`` is an ordinary line."""
    match = _MESSAGE.match(line.strip())
    if match is None:
        return None
    try:
        parsed = json.loads(match.group(1))
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def apply_message(message: Mapping[str, Any], ctx: RunContext, variables: dict[str, Any]) -> None:
    """Apply a parsed message: merge its outputs into ``variables``, record metrics, log logs."""
    outputs = message.get("outputs")
    if isinstance(outputs, Mapping):
        variables.update(outputs)
    for metric in _items(message.get("metrics")):
        _record_metric(ctx, metric)
    for entry in _items(message.get("logs")):
        level = str(entry.get("level", "INFO")).upper()
        ctx.logger.log(level if level in _LEVELS else "INFO", str(entry.get("message", "")))


def _items(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def _record_metric(ctx: RunContext, metric: Mapping[str, Any]) -> None:
    name, value = metric.get("name"), metric.get("value")
    if not isinstance(name, str) or isinstance(value, bool) or not isinstance(value, int | float):
        ctx.logger.warn(f"Ignored a metric message without a name and a numeric value: {metric}")
        return
    kind: MetricType = (
        "timer" if str(metric.get("type", "counter")).lower() == "timer" else "counter"
    )
    tags = metric.get("tags")
    tag_map = {str(k): str(v) for k, v in tags.items()} if isinstance(tags, Mapping) else None
    ctx.metric(name, float(value), kind, tag_map)

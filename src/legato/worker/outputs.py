"""Task outputs as the execution stores them: JSON-like values with secrets masked.

Invariants: outputs larger than ``MAX_OUTPUT_BYTES`` once written as JSON fail the task (not
retried) with a message saying to write the data to internal storage and output its URI: the
execution document carries every output, and an oversized one would slow or wedge the engine.
The result holds only dicts with string keys, lists, str, int, float, bool and None;
datetimes and dates become ISO-8601 text, durations Java-style ISO text (``PT1M``), paths text,
tuples and sets lists; a value of another type raises ``TaskError`` naming the output, because
an output the executor cannot store would be lost.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from legato.model.property import format_duration
from legato.sdk.run_context import TaskError
from legato.worker.masking import Masker


def to_json_value(value: Any, where: str) -> Any:
    """``value`` as JSON-like data (see the module invariants)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_value(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return _scalar(value, where)


def _scalar(value: Any, where: str) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, PurePath):
        return str(value)
    raise TaskError(
        f"Output '{where}' has a value of type {type(value).__name__} that cannot be stored; "
        "return text, numbers, booleans, lists or maps",
        retryable=False,
    )


#: the largest outputs one task run may produce, as JSON text
MAX_OUTPUT_BYTES = 1024 * 1024


def task_outputs(
    returned: Any, masker: Masker, *, limit: int = MAX_OUTPUT_BYTES
) -> dict[str, Any] | None:
    """The outputs a task's ``run`` returned, ready to store (None when it returned none)."""
    if returned is None:
        return None
    if not isinstance(returned, Mapping):
        raise TaskError(
            f"run() returned a {type(returned).__name__}; it must return a mapping of outputs "
            "or None",
            retryable=False,
        )
    converted: dict[str, Any] = to_json_value(returned, "outputs")
    masked: dict[str, Any] = masker.mask_value(converted)
    size = len(json.dumps(masked, ensure_ascii=False, separators=(",", ":")).encode())
    if size > limit:
        raise TaskError(
            f"the outputs are {size:,} bytes, over the limit of {limit:,} bytes: write large "
            "data to a file in internal storage and output its kestra:// URI instead",
            retryable=False,
        )
    return masked

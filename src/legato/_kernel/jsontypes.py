"""The JSON-like value types that flow through expressions, inputs and outputs."""

from __future__ import annotations

from typing import Any, TypeAlias

#: A JSON-like value. Kept as ``Any`` at the edges: values also include dates and times.
JsonValue: TypeAlias = Any
JsonMap: TypeAlias = dict[str, Any]

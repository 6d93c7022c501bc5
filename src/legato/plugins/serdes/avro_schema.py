"""Avro schemas for IonToParquet and IonToAvro: read from the ``schema`` property, or inferred
from the first ``numberOfRowsToScan`` Ion rows as Kestra's ``InferAvroSchema`` does.

Inference maps Ion types to Avro types: int → ``long``, float → ``double``, decimal →
``bytes``/``decimal`` (precision 38, the largest scale scanned), string →
``string``, bytes → ``bytes``, bool → ``boolean``, date → ``int``/``date``, an instant or offset
date-time → ``long``/``timestamp-micros``, a local date-time → ``local-timestamp-micros``, a
time → ``time-micros``, lists → ``array``, structs → nested ``record``. Mixed types widen
(int + decimal → decimal, numbers + double → double, anything else → string); a field only ever
null is a string. Every inferred field is nullable (``["null", T]``, default null).

Invariants: a schema is plain JSON data (dicts, lists, strings); ``named_types`` resolves
references to named records, enums and fixed types; a bad schema is a ``TaskError`` saying how
to fix it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from legato.sdk.run_context import TaskError

Schema = Any  # Avro schema JSON: a type name, a union list or a dict
MAX_PRECISION = 38
_NAME = re.compile(r"[^A-Za-z0-9_]")


def parse_schema(text: str) -> dict[str, Any]:
    """The record schema held by the JSON ``text``."""
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as error:
        raise TaskError(
            f"Invalid 'schema': not JSON ({error.msg} at line {error.lineno}); give an Avro "
            'schema such as {"type": "record", "name": "Row", "fields": [...]}',
            retryable=False,
        ) from None
    if not isinstance(schema, dict) or schema.get("type") != "record":
        raise TaskError(
            "Invalid 'schema': the top level must be an Avro record "
            '({"type": "record", "name": ..., "fields": [...]})',
            retryable=False,
        )
    named_types(schema)
    return schema


def named_types(schema: Schema, found: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Named types (records, enums, fixed) of ``schema`` by full and short name."""
    found = {} if found is None else found
    if isinstance(schema, list):
        for branch in schema:
            named_types(branch, found)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in ("record", "enum", "fixed", "error"):
            name = schema.get("name")
            if not isinstance(name, str):
                raise TaskError(f"Invalid 'schema': a {kind} needs a 'name'", retryable=False)
            namespace = schema.get("namespace")
            found[name] = schema
            if namespace:
                found[f"{namespace}.{name}"] = schema
        if kind in ("record", "error"):
            fields = schema.get("fields")
            if not isinstance(fields, list):
                raise TaskError(
                    f"Invalid 'schema': record '{schema.get('name')}' needs a 'fields' list",
                    retryable=False,
                )
            for field in fields:
                if not isinstance(field, dict) or "name" not in field or "type" not in field:
                    raise TaskError(
                        f"Invalid 'schema': every field of '{schema['name']}' needs a 'name' and "
                        "a 'type'",
                        retryable=False,
                    )
                named_types(field["type"], found)
        elif kind == "array":
            named_types(schema.get("items"), found)
        elif kind == "map":
            named_types(schema.get("values"), found)
        elif isinstance(kind, dict | list):
            named_types(kind, found)
    return found


# ---------------------------------------------------------------------------------------------
# Inference


def infer_schema(rows: Iterable[Any], name: str = "Row") -> dict[str, Any]:
    """The record schema fitting every struct of ``rows``."""
    shape: dict[str, Any] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise TaskError(
                f"Cannot infer a schema: row {number} is not a struct; give the 'schema' property",
                retryable=False,
            )
        shape = _merge_record(shape, row)
    return _record(shape, name)


def _shape(value: Any) -> Any:
    """A value's type, in an internal form merged across rows."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return ("decimal", len(str(abs(value))), 0)
    if isinstance(value, float):
        return "double"
    if isinstance(value, Decimal):
        _, digits, exponent = value.as_tuple()
        scale = max(0, -int(exponent)) if isinstance(exponent, int) else 0
        return ("decimal", max(1, len(digits) - scale), scale) if value.is_finite() else "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, datetime):
        return "timestamp" if value.tzinfo is not None else "local-timestamp"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    if isinstance(value, Mapping):
        return _merge_record({}, value)
    if isinstance(value, list | tuple):
        items: Any = None
        for item in value:
            items = _merge(items, _shape(item))
        return ["array", items]
    return "string"


def _merge_record(shape: dict[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(shape)
    for key, value in row.items():
        merged[str(key)] = _merge(merged.get(str(key)), _shape(value))
    return merged


def _merge(left: Any, right: Any) -> Any:
    if left is None:
        return right
    if right is None or left == right:
        return left
    if isinstance(left, tuple) and isinstance(right, tuple):  # two decimals (ints are decimals)
        return ("decimal", max(left[1], right[1]), max(left[2], right[2]))
    numbers = {"double"}
    if {_kind(left), _kind(right)} <= numbers | {"decimal"}:
        return "double"
    if isinstance(left, dict) and isinstance(right, dict):
        merged = dict(left)
        for key, shape in right.items():
            merged[key] = _merge(merged.get(key), shape)
        return merged
    if isinstance(left, list) and isinstance(right, list):
        return ["array", _merge(left[1], right[1])]
    return "string"


def _kind(shape: Any) -> str:
    return "decimal" if isinstance(shape, tuple) else str(shape)


def _record(shape: Mapping[str, Any], name: str) -> dict[str, Any]:
    fields = []
    for key, value in shape.items():
        nested = f"{name}_{_NAME.sub('_', key)}"
        fields.append({"name": key, "type": ["null", _avro(value, nested)], "default": None})
    return {"type": "record", "name": name, "fields": fields}


_LOGICAL = {
    "date": {"type": "int", "logicalType": "date"},
    "time": {"type": "long", "logicalType": "time-micros"},
    "timestamp": {"type": "long", "logicalType": "timestamp-micros"},
    "local-timestamp": {"type": "long", "logicalType": "local-timestamp-micros"},
}


def _avro(shape: Any, name: str) -> Schema:
    if shape is None:
        return "string"
    if isinstance(shape, tuple):
        integer, scale = shape[1], shape[2]
        if scale == 0 and integer <= 18:
            return "long"
        scale = min(scale, MAX_PRECISION - 1)  # later rows may hold more integer digits
        return {
            "type": "bytes",
            "logicalType": "decimal",
            "precision": MAX_PRECISION,
            "scale": scale,
        }
    if isinstance(shape, dict):
        return _record(shape, name)
    if isinstance(shape, list):
        return {"type": "array", "items": ["null", _avro(shape[1], name + "_item")]}
    return dict(_LOGICAL[shape]) if shape in _LOGICAL else shape

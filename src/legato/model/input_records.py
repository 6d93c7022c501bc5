"""Coercion of record inputs: the entries of an OBJECT by its ``properties``, each row of a
TABLE by its ``columns``.

Invariants:

* A field (property or column) is resolved as a top-level input is: a missing or null entry is
  an error when the field is ``required``, else null (the key is kept, with a null value); a
  given entry is coerced and its constraints checked through the ``coerce_field`` callable
  (``legato.model.input_values``), so fields follow exactly the rules of top-level inputs.
* Entries whose key no field declares are dropped, as given values for unknown input ids are.
* A TABLE row may be a map or a string holding a JSON object; anything else is an error.
* The first broken field stops the record; its ``InputError`` names the input, the row index
  (TABLE), the field and the expected type, and carries the input's id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from legato.errors import InputError
from legato.model import inputs
from legato.model.input_coercion import Mismatch, as_object, show

__all__ = ["CoerceField", "coerce_record"]

#: Coerces one non-null field value: ``(field definition, value, label) -> typed value``, where
#: ``label`` names the field in messages (``input 'disks': row 0, column 'size_gb'``).
CoerceField = Callable[[inputs.Input, Any, str], Any]


def coerce_record(definition: inputs.Input, typed: Any, coerce_field: CoerceField) -> Any:
    """``typed`` (the dict of an OBJECT, the list of a TABLE) with every field coerced; other
    inputs' values are returned as they are."""
    label = f"input '{definition.id}'"
    if isinstance(definition, inputs.ObjectInput):
        return _fields(definition, definition.properties, typed, label, coerce_field)
    if isinstance(definition, inputs.TableInput):
        rows = []
        for index, row in enumerate(typed):
            where = f"{label}: row {index}"
            try:
                entries = as_object(row)
            except Mismatch:
                message = f"{where}: expected a JSON object, got {show(row)}"
                raise InputError(message, input_id=definition.id) from None
            rows.append(_fields(definition, definition.columns, entries, where, coerce_field))
        return rows
    return typed


def _fields(
    record: inputs.Input,
    fields: Sequence[inputs.Input],
    entries: Mapping[str, Any],
    where: str,
    coerce_field: CoerceField,
) -> dict[str, Any]:
    kind = "property" if isinstance(record, inputs.ObjectInput) else "column"
    result: dict[str, Any] = {}
    for field in fields:
        value = entries.get(field.id)
        if value is None:
            if field.required:
                message = (
                    f"{where}: missing required {kind} '{field.id}' ({field.type}); give a value"
                )
                raise InputError(message, input_id=record.id)
            result[field.id] = None
            continue
        separator = ", " if isinstance(record, inputs.TableInput) else ": "
        result[field.id] = coerce_field(field, value, f"{where}{separator}{kind} '{field.id}'")
    return result

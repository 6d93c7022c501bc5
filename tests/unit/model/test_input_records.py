"""OBJECT and TABLE input values: fields coerced and checked like inputs, rows bounded, and
errors naming the input, the row, the field and the expected type."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter

from legato.errors import InputError
from legato.model import inputs
from legato.model.input_values import coerce_input_value, input_to_json, resolve_inputs

ADAPTER: TypeAdapter[Any] = TypeAdapter(inputs.AnyInput)

DISK = [
    {"id": "size_gb", "type": "INT", "min": 10},
    {"id": "mountpoint", "type": "STRING", "validator": "^/.*", "required": False},
]


def object_input(*fields: dict[str, Any], **props: Any) -> inputs.Input:
    result = ADAPTER.validate_python(
        {"id": "disk", "type": "OBJECT", "properties": list(fields or DISK), **props}
    )
    assert isinstance(result, inputs.ObjectInput)
    return result


def table_input(*fields: dict[str, Any], **props: Any) -> inputs.Input:
    result = ADAPTER.validate_python(
        {"id": "disks", "type": "TABLE", "columns": list(fields or DISK), **props}
    )
    assert isinstance(result, inputs.TableInput)
    return result


def failure(definition: inputs.Input, value: Any) -> str:
    with pytest.raises(InputError) as info:
        coerce_input_value(definition, value)
    assert info.value.input_id == definition.id
    return info.value.message


def test_object_fields_are_coerced() -> None:
    given = {"size_gb": "20", "mountpoint": "/data"}
    assert coerce_input_value(object_input(), given) == {"size_gb": 20, "mountpoint": "/data"}


def test_object_given_as_json_text() -> None:
    value = coerce_input_value(object_input(), '{"size_gb": 20, "mountpoint": "/data"}')
    assert value == {"size_gb": 20, "mountpoint": "/data"}


def test_every_field_type_is_coerced() -> None:
    definition = object_input(
        {"id": "on", "type": "BOOL"},
        {"id": "day", "type": "DATE"},
        {"id": "wait", "type": "DURATION", "max": "PT1H"},
        {"id": "size", "type": "SELECT", "values": ["S", "M"]},
        {"id": "tags", "type": "MULTISELECT", "values": ["a", "b"]},
        {"id": "ratio", "type": "FLOAT"},
    )
    given = {
        "on": "true",
        "day": "2024-01-31",
        "wait": "PT5M",
        "size": "M",
        "tags": '["a"]',
        "ratio": 1,
    }
    value = coerce_input_value(definition, given)
    assert value == {
        "on": True,
        "day": date(2024, 1, 31),
        "wait": timedelta(minutes=5),
        "size": "M",
        "tags": ["a"],
        "ratio": 1.0,
    }
    assert input_to_json(value)["wait"] == "PT5M"


def test_optional_missing_field_is_null_and_unknown_keys_are_dropped() -> None:
    value = coerce_input_value(object_input(), {"size_gb": 10, "other": "x"})
    assert value == {"size_gb": 10, "mountpoint": None}


@pytest.mark.parametrize("given", [{}, {"size_gb": None}, {"mountpoint": "/a"}])
def test_missing_required_property(given: dict[str, Any]) -> None:
    assert failure(object_input(), given) == (
        "input 'disk': missing required property 'size_gb' (INT); give a value"
    )


def test_property_type_mismatch_names_input_property_and_type() -> None:
    assert failure(object_input(), {"size_gb": "big"}) == (
        "input 'disk': property 'size_gb': expected an integer (INT), got 'big'"
    )


def test_property_min_and_max() -> None:
    assert failure(object_input(), {"size_gb": 5}) == (
        "input 'disk': property 'size_gb': invalid value 5, it must be at least 10"
    )
    bounded = object_input({"id": "n", "type": "FLOAT", "max": 1.5})
    assert failure(bounded, {"n": "2"}) == (
        "input 'disk': property 'n': invalid value '2', it must be at most 1.5"
    )


def test_property_validator() -> None:
    assert failure(object_input(), {"size_gb": 10, "mountpoint": "data"}) == (
        "input 'disk': property 'mountpoint': invalid value 'data', "
        "it must match the validator '^/.*'"
    )


def test_property_select_choices() -> None:
    definition = object_input({"id": "size", "type": "SELECT", "values": ["S", "M"]})
    assert 'it must be one of ["S", "M"]' in failure(definition, {"size": "XL"})


@pytest.mark.parametrize("value", [[1], "[1]", "not json", 5])
def test_object_must_be_a_json_object(value: Any) -> None:
    message = failure(object_input(), value)
    assert message.startswith("input 'disk': expected a JSON object or a map (OBJECT), got ")


def test_table_rows_are_coerced() -> None:
    given = '[{"size_gb": 10, "mountpoint": "/a"}, {"size_gb": "30"}]'
    assert coerce_input_value(table_input(), given) == [
        {"size_gb": 10, "mountpoint": "/a"},
        {"size_gb": 30, "mountpoint": None},
    ]
    assert coerce_input_value(table_input(), [{"size_gb": 11}]) == [
        {"size_gb": 11, "mountpoint": None}
    ]
    assert coerce_input_value(table_input(), []) == []


def test_table_rows_may_be_json_text() -> None:
    assert coerce_input_value(table_input(), ['{"size_gb": 12}']) == [
        {"size_gb": 12, "mountpoint": None}
    ]


def test_table_errors_name_the_row_and_column() -> None:
    rows = [{"size_gb": 10}, {"size_gb": "x"}]
    assert failure(table_input(), rows) == (
        "input 'disks': row 1, column 'size_gb': expected an integer (INT), got 'x'"
    )
    assert failure(table_input(), [{"size_gb": 10}, {"size_gb": 3}]) == (
        "input 'disks': row 1, column 'size_gb': invalid value 3, it must be at least 10"
    )
    assert failure(table_input(), [{"size_gb": 10, "mountpoint": "x"}]) == (
        "input 'disks': row 0, column 'mountpoint': invalid value 'x', "
        "it must match the validator '^/.*'"
    )
    assert failure(table_input(), [{"mountpoint": "/a"}]) == (
        "input 'disks': row 0: missing required column 'size_gb' (INT); give a value"
    )


def test_table_row_must_be_an_object() -> None:
    assert failure(table_input(), [{"size_gb": 10}, 7]) == (
        "input 'disks': row 1: expected a JSON object, got 7"
    )


def test_table_must_be_a_list() -> None:
    assert failure(table_input(), '{"size_gb": 10}') == (
        "input 'disks': expected a JSON array of objects or a list of maps (TABLE), "
        "got '{\"size_gb\": 10}'"
    )


def test_table_rows_max_and_min() -> None:
    bounded = table_input(rows={"min": 1, "max": 2})
    rows = [{"size_gb": 10}] * 3
    assert failure(bounded, rows) == (
        f"input 'disks': invalid value {json.dumps(rows)}, it must have at most 2 rows, got 3"
    )
    assert failure(bounded, []) == (
        "input 'disks': invalid value [], it must have at least 1 rows, got 0"
    )
    assert len(coerce_input_value(bounded, rows[:2])) == 2


def test_resolution_keeps_records_nested_and_reports_every_input() -> None:
    definitions = [object_input(required=False), table_input(rows={"max": 2})]
    assert resolve_inputs(definitions, {"disks": [{"size_gb": 10}]}) == {
        "disk": None,
        "disks": [{"size_gb": 10, "mountpoint": None}],
    }
    with pytest.raises(InputError) as info:
        resolve_inputs(definitions, {"disk": {"size_gb": 1}, "disks": [{}, {}, {}]})
    assert info.value.message.splitlines() == [
        "2 invalid inputs:",
        "- input 'disk': property 'size_gb': invalid value 1, it must be at least 10",
        "- input 'disks': invalid value [{}, {}, {}], it must have at most 2 rows, got 3",
    ]


def test_object_defaults_are_coerced() -> None:
    definition = object_input(defaults={"size_gb": "15"})
    assert resolve_inputs([definition], {}) == {"disk": {"size_gb": 15, "mountpoint": None}}

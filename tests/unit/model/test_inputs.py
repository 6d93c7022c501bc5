"""Input definition models: every type, the deprecated ``name``, and the definition rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from legato.model import inputs
from legato.model.plugin import ParseContext
from legato.model.property import Expression
from legato.model.registry import PluginRegistry

ADAPTER: TypeAdapter[Any] = TypeAdapter(inputs.AnyInput)


def parse(data: dict[str, Any], context: Any = None) -> inputs.Input:
    result = ADAPTER.validate_python(data, context=context)
    assert isinstance(result, inputs.Input)
    return result


def error_of(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        parse(data)
    return str(info.value)


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ({"type": "STRING"}, inputs.StringInput),
        ({"type": "INT"}, inputs.IntInput),
        ({"type": "FLOAT"}, inputs.FloatInput),
        ({"type": "BOOLEAN"}, inputs.BooleanInput),
        ({"type": "BOOL"}, inputs.BoolInput),
        ({"type": "DATETIME"}, inputs.DateTimeInput),
        ({"type": "DATE"}, inputs.DateInput),
        ({"type": "TIME"}, inputs.TimeInput),
        ({"type": "DURATION"}, inputs.DurationInput),
        ({"type": "FILE"}, inputs.FileInput),
        ({"type": "JSON"}, inputs.JsonInput),
        ({"type": "YAML"}, inputs.YamlInput),
        ({"type": "URI"}, inputs.UriInput),
        ({"type": "SECRET"}, inputs.SecretInput),
        ({"type": "EMAIL"}, inputs.EmailInput),
        ({"type": "ENUM", "values": ["a"]}, inputs.EnumInput),
        ({"type": "SELECT", "values": ["a"]}, inputs.SelectInput),
        ({"type": "MULTISELECT", "values": ["a"]}, inputs.MultiselectInput),
        ({"type": "ARRAY", "itemType": "INT"}, inputs.ArrayInput),
        ({"type": "FORM", "inputs": [{"id": "a", "type": "INT"}]}, inputs.FormInput),
        ({"type": "OBJECT", "properties": [{"id": "a", "type": "INT"}]}, inputs.ObjectInput),
        ({"type": "TABLE", "columns": [{"id": "a", "type": "INT"}]}, inputs.TableInput),
    ],
)
def test_each_type_selects_its_model(data: dict[str, Any], cls: type[inputs.Input]) -> None:
    result = parse({"id": "x", **data})
    assert type(result) is cls
    assert result.input_type == inputs.InputType(data["type"])
    assert result.required is True


EXTRA: dict[str, dict[str, Any]] = {
    "ENUM": {"values": ["a"]},
    "SELECT": {"values": ["a"]},
    "ARRAY": {"itemType": "STRING"},
    "FORM": {"inputs": [{"id": "a", "type": "INT"}]},
    "OBJECT": {"properties": [{"id": "a", "type": "INT"}]},
    "TABLE": {"columns": [{"id": "a", "type": "INT"}]},
}
ALL_TYPES = ", ".join(t.value for t in inputs.InputType)


@pytest.mark.parametrize("kind", list(inputs.InputType))
def test_every_input_type_has_a_model(kind: inputs.InputType) -> None:
    result = parse({"id": "x", "type": kind.value, **EXTRA.get(kind.value, {})})
    assert result.input_type is kind
    assert result.type == kind.value


def error_list(data: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as info:
        parse(data)
    return list(info.value.errors())


def test_unknown_type_is_reported_on_type_with_the_valid_types() -> None:
    [error] = error_list({"id": "x", "type": "TEXT"})
    assert error["loc"] == ("type",)
    assert error["msg"] == f"unknown input type 'TEXT'; use one of {ALL_TYPES}"


def test_unknown_type_suggests_a_near_miss() -> None:
    [error] = error_list({"id": "x", "type": "STRNG"})
    assert error["msg"] == f"unknown input type 'STRNG'; did you mean 'STRING'? ({ALL_TYPES})"


def test_missing_type() -> None:
    [error] = error_list({"id": "x"})
    assert error["loc"] == ("type",)
    assert error["msg"] == f"every input needs a 'type': one of {ALL_TYPES}"


def test_type_is_case_sensitive() -> None:
    assert "unknown input type 'string'; did you mean 'STRING'?" in error_of(
        {"id": "x", "type": "string"}
    )


def test_common_properties() -> None:
    result = parse(
        {
            "id": "region",
            "type": "STRING",
            "description": "where",
            "displayName": "Region",
            "required": False,
            "defaults": "eu",
            "dependsOn": {"inputs": ["cloud"]},
        }
    )
    assert result.description == "where"
    assert result.displayName == "Region"
    assert result.required is False
    assert result.defaults == "eu"
    assert result.dependsOn is not None
    assert result.dependsOn.inputs == ["cloud"]
    assert result.dependsOn.condition is None


def test_depends_on_literal_condition() -> None:
    result = parse({"id": "a", "type": "STRING", "dependsOn": {"condition": True}})
    assert result.dependsOn is not None and result.dependsOn.condition is True


def test_defaults_may_be_any_value() -> None:
    assert parse({"id": "a", "type": "JSON", "defaults": {"k": [1, 2]}}).defaults == {"k": [1, 2]}


def test_deprecated_name_is_read_as_id_and_warned() -> None:
    ctx = ParseContext(registry=PluginRegistry())
    result = parse({"name": "legacy", "type": "STRING"}, context=ctx)
    assert result.id == "legacy"
    assert len(ctx.warnings) == 1
    assert "'name' is deprecated" in ctx.warnings[0][1]


def test_deprecated_name_without_context() -> None:
    assert parse({"name": "legacy", "type": "INT"}).id == "legacy"


def test_id_is_required() -> None:
    assert "id" in error_of({"type": "STRING"})


@pytest.mark.parametrize("good", ["a", "A1", "my-input", "my_input", "a.b.c", "0x"])
def test_id_pattern_accepts(good: str) -> None:
    assert parse({"id": good, "type": "STRING"}).id == good


@pytest.mark.parametrize("bad", ["", ".a", "-a", "_a", "a b", "a/b", "é"])
def test_id_pattern_rejects(bad: str) -> None:
    assert "pattern" in error_of({"id": bad, "type": "STRING"})


def test_display_name_at_most_64() -> None:
    assert parse({"id": "a", "type": "STRING", "displayName": "x" * 64}).displayName == "x" * 64
    assert "64" in error_of({"id": "a", "type": "STRING", "displayName": "x" * 65})


def test_unknown_property_is_an_error() -> None:
    assert "validatr" in error_of({"id": "a", "type": "STRING", "validatr": "x"})


def test_defaults_and_prefill_are_exclusive() -> None:
    assert parse({"id": "a", "type": "STRING", "prefill": "p"}).prefill == "p"
    message = error_of({"id": "a", "type": "STRING", "defaults": "d", "prefill": "p"})
    assert "'defaults' and 'prefill' cannot be used together" in message
    [error] = error_list({"id": "a", "type": "STRING", "defaults": "d", "prefill": "p"})
    assert error["loc"][-1] == "prefill"  # pydantic puts the union tag first


def test_file_cannot_have_defaults() -> None:
    [error] = error_list({"id": "f", "type": "FILE", "defaults": "kestra:///a.txt"})
    assert error["loc"][-1] == "defaults"
    assert "a FILE input cannot have 'defaults'" in error_of(
        {"id": "f", "type": "FILE", "defaults": "kestra:///a.txt"}
    )
    assert parse({"id": "f", "type": "FILE", "extension": ".csv"}).extension == ".csv"  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["STRING", "SECRET"])
def test_validator_must_compile(kind: str) -> None:
    assert parse({"id": "a", "type": kind, "validator": "^[a-z]+$"}).validator == "^[a-z]+$"  # type: ignore[attr-defined]
    assert "not a valid regular expression" in error_of({"id": "a", "type": kind, "validator": "("})


def test_int_and_float_ranges() -> None:
    result = parse({"id": "n", "type": "INT", "min": 1, "max": 10})
    assert isinstance(result, inputs.IntInput)
    assert (result.min, result.max) == (1, 10)
    assert "'min' must not be greater than 'max'" in error_of(
        {"id": "n", "type": "FLOAT", "min": 2.5, "max": 1.5}
    )


def test_duration_range_is_parsed() -> None:
    result = parse({"id": "d", "type": "DURATION", "min": "PT1M", "max": "PT1H"})
    assert isinstance(result, inputs.DurationInput)
    assert (result.min, result.max) == (timedelta(minutes=1), timedelta(hours=1))
    assert "'min' must not be greater" in error_of(
        {"id": "d", "type": "DURATION", "min": "PT2H", "max": "PT1H"}
    )


def test_temporal_bounds_are_parsed() -> None:
    dt = parse({"id": "t", "type": "DATETIME", "after": "2024-01-01T00:00:00Z"})
    assert isinstance(dt, inputs.DateTimeInput)
    assert dt.after == datetime(2024, 1, 1, tzinfo=UTC)
    d = parse({"id": "t", "type": "DATE", "before": "2024-02-03"})
    assert isinstance(d, inputs.DateInput) and d.before == date(2024, 2, 3)
    t = parse({"id": "t", "type": "TIME", "after": "08:30"})
    assert isinstance(t, inputs.TimeInput) and t.after == time(8, 30)
    assert "'after' must not be greater than 'before'" in error_of(
        {"id": "t", "type": "DATE", "after": "2024-02-03", "before": "2024-01-01"}
    )


def test_datetime_bounds_need_a_zone() -> None:
    assert "timezone" in error_of({"id": "t", "type": "DATETIME", "after": "2024-01-01T00:00:00"})


def test_enum_needs_values() -> None:
    assert "values" in error_of({"id": "e", "type": "ENUM"})
    assert "values" in error_of({"id": "e", "type": "ENUM", "values": []})


def test_select_properties_and_choices_rule() -> None:
    result = parse(
        {
            "id": "s",
            "type": "SELECT",
            "values": ["a", "b"],
            "allowCustomValue": True,
            "isRadio": True,
        }
    )
    assert isinstance(result, inputs.SelectInput)
    assert result.values == ["a", "b"]
    assert result.allowCustomValue and result.isRadio
    assert "a SELECT input needs 'values' or 'expression'" in error_of(
        {"id": "s", "type": "SELECT"}
    )


def test_multiselect_options_is_read_as_choices() -> None:
    result = parse({"id": "m", "type": "MULTISELECT", "options": ["x", "y"]})
    assert isinstance(result, inputs.MultiselectInput)
    assert result.choices == ["x", "y"]
    assert result.itemType is inputs.InputType.STRING
    assert result.allowCustomValue is False


def test_multiselect_values_and_options_are_exclusive() -> None:
    message = error_of({"id": "m", "type": "MULTISELECT", "values": ["a"], "options": ["a"]})
    assert "both 'values' and 'options'" in message


NOT_AN_ITEM = "'itemType' cannot be ARRAY, MULTISELECT, FORM, OBJECT nor TABLE"


@pytest.mark.parametrize("kind", ["ARRAY", "MULTISELECT", "FORM", "OBJECT", "TABLE"])
def test_list_item_type_cannot_be_a_list(kind: str) -> None:
    assert NOT_AN_ITEM in error_of({"id": "a", "type": "ARRAY", "itemType": kind})
    assert NOT_AN_ITEM in error_of(
        {"id": "a", "type": "MULTISELECT", "values": ["x"], "itemType": kind}
    )


def test_array_needs_item_type() -> None:
    assert "itemType" in error_of({"id": "a", "type": "ARRAY"})
    assert "itemType" in error_of({"id": "a", "type": "ARRAY", "itemType": "NUMBER"})


def test_dump_round_trips() -> None:
    data = {"id": "a", "type": "INT", "min": 1, "description": "n"}
    dumped = parse(data).model_dump(exclude_unset=True)
    assert dumped == data
    assert parse(dumped) == parse(data)


def test_form_groups_inputs() -> None:
    form = parse(
        {
            "id": "environment",
            "type": "FORM",
            "displayName": "Environment",
            "inputs": [{"id": "region", "type": "STRING"}, {"id": "size", "type": "INT"}],
        }
    )
    assert isinstance(form, inputs.FormInput)
    assert [type(c) for c in form.inputs] == [inputs.StringInput, inputs.IntInput]


def test_forms_cannot_be_nested_or_empty() -> None:
    nested = {"id": "inner", "type": "FORM", "inputs": [{"id": "a", "type": "INT"}]}
    [error] = error_list({"id": "outer", "type": "FORM", "inputs": [nested]})
    assert error["loc"][-3:] == ("inputs", 0, "type")
    assert error["msg"].startswith("unknown input type 'FORM'; use one of STRING")
    assert error["msg"].endswith("ARRAY, OBJECT, TABLE")
    assert "at least 1" in error_of({"id": "f", "type": "FORM", "inputs": []})


def test_flatten_inputs_gives_dotted_children() -> None:
    definitions = [
        parse({"id": "name", "type": "STRING"}),
        parse(
            {
                "id": "env",
                "type": "FORM",
                "dependsOn": {"inputs": ["name"]},
                "inputs": [
                    {"id": "region", "type": "STRING"},
                    {"id": "dc", "type": "STRING", "dependsOn": {"inputs": ["env.region"]}},
                ],
            }
        ),
    ]
    flat = inputs.flatten_inputs(definitions)
    assert [d.id for d in flat] == ["name", "env.region", "env.dc"]
    assert [d.dependsOn.inputs if d.dependsOn else None for d in flat] == [
        None,
        ["name"],
        ["env.region"],
    ]
    assert definitions[1].inputs[0].id == "region"  # type: ignore[attr-defined]


def test_expression_defaults_are_kept_as_expressions() -> None:
    result = parse({"id": "a", "type": "STRING", "defaults": "{{ inputs.x ~ 'y' }}"})
    assert isinstance(result.defaults, Expression)
    assert result.defaults == "{{ inputs.x ~ 'y' }}"
    assert not isinstance(
        parse({"id": "a", "type": "STRING", "defaults": "x"}).defaults, Expression
    )


def test_expression_defaults_are_syntax_checked() -> None:
    [error] = error_list({"id": "a", "type": "STRING", "defaults": "{{ 1 + }}"})
    assert error["loc"][-1] == "defaults"
    assert "invalid expression" in error["msg"]


def test_deprecation_is_noted_in_a_context_mapping() -> None:
    ctx = ParseContext(registry=PluginRegistry())
    parse({"name": "legacy", "type": "STRING"}, context={"parse": ctx})
    assert ctx.warnings == [("name", "input 'legacy': 'name' is deprecated; use 'id' instead")]


DISK = [
    {"id": "size_gb", "type": "INT", "min": 10},
    {"id": "mountpoint", "type": "STRING", "validator": "^/.*", "required": False},
]
RECORD_TYPES = "STRING, INT, FLOAT, BOOL, DATE, DATETIME, TIME, DURATION, EMAIL, URI, SELECT, "
RECORD_TYPES += "MULTISELECT"


def test_object_properties_are_input_definitions() -> None:
    disk = parse({"id": "disk", "type": "OBJECT", "required": False, "properties": DISK})
    assert isinstance(disk, inputs.ObjectInput)
    assert [type(p) for p in disk.properties] == [inputs.IntInput, inputs.StringInput]
    size, mountpoint = disk.properties
    assert isinstance(size, inputs.IntInput) and size.min == 10
    assert isinstance(mountpoint, inputs.StringInput) and mountpoint.required is False


def test_table_columns_and_rows() -> None:
    table = parse({"id": "disks", "type": "TABLE", "rows": {"min": 0, "max": 2}, "columns": DISK})
    assert isinstance(table, inputs.TableInput)
    assert [c.id for c in table.columns] == ["size_gb", "mountpoint"]
    assert table.rows == inputs.Rows(min=0, max=2)
    bare = parse({"id": "t", "type": "TABLE", "columns": DISK})
    assert isinstance(bare, inputs.TableInput) and bare.rows is None


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ({"min": 3, "max": 2}, "'min' must not be greater than 'max'"),
        ({"min": -1}, "greater than or equal to 0"),
        ({"max": 0}, "greater than or equal to 1"),
        ({"count": 1}, "Extra inputs are not permitted"),
    ],
)
def test_table_rows_bounds(rows: dict[str, Any], expected: str) -> None:
    assert expected in error_of({"id": "t", "type": "TABLE", "rows": rows, "columns": DISK})


@pytest.mark.parametrize(("kind", "key"), [("OBJECT", "properties"), ("TABLE", "columns")])
def test_records_need_at_least_one_field(kind: str, key: str) -> None:
    assert "at least 1 item" in error_of({"id": "r", "type": kind, key: []})
    [error] = error_list({"id": "r", "type": kind})
    assert error["loc"][-1] == key and error["type"] == "missing"


@pytest.mark.parametrize("kind", ["OBJECT", "TABLE", "ARRAY", "FILE", "SECRET", "JSON", "YAML"])
def test_a_field_cannot_be_a_nested_or_unsupported_type(kind: str) -> None:
    field = {"id": "f", "type": kind, "itemType": "INT", "properties": DISK}
    [error] = error_list({"id": "disk", "type": "OBJECT", "properties": [DISK[0], field]})
    assert error["loc"][-3:] == ("properties", 1, "type")
    assert error["msg"] == (
        f"a property or column cannot be of type {kind}; use one of {RECORD_TYPES}"
    )


def test_a_field_of_unknown_type_lists_the_field_types() -> None:
    [error] = error_list({"id": "t", "type": "TABLE", "columns": [{"id": "f", "type": "TEXT"}]})
    assert error["loc"][-3:] == ("columns", 0, "type")
    assert error["msg"] == f"unknown input type 'TEXT'; use one of {RECORD_TYPES}"


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({"defaults": 1}, "defaults"),
        ({"prefill": 1}, "prefill"),
        ({"dependsOn": {"inputs": ["x"]}}, "dependsOn"),
    ],
)
def test_a_field_cannot_declare_resolution_properties(extra: dict[str, Any], key: str) -> None:
    field = {"id": "f", "type": "INT", **extra}
    [error] = error_list({"id": "disk", "type": "OBJECT", "properties": [field]})
    assert error["loc"][-3:] == ("properties", 0, key)
    assert error["msg"] == f"a property or column cannot declare '{key}'; remove it"


def test_a_field_cannot_declare_an_expression_nor_a_dotted_id() -> None:
    select = {"id": "f", "type": "SELECT", "expression": "{{ [1] }}"}
    [error] = error_list({"id": "t", "type": "TABLE", "columns": [select]})
    assert error["loc"][-3:] == ("columns", 0, "expression")
    dotted = {"id": "a.b", "type": "INT"}
    [error] = error_list({"id": "t", "type": "TABLE", "columns": [dotted]})
    assert error["loc"][-3:] == ("columns", 0, "id")
    assert error["msg"] == "a property or column id cannot contain a dot: 'a.b'"


def test_a_field_follows_its_own_type_rules() -> None:
    field = {"id": "f", "type": "INT", "min": 5, "max": 1}
    assert "'min' must not be greater than 'max'" in error_of(
        {"id": "o", "type": "OBJECT", "properties": [field]}
    )


def test_a_form_may_hold_an_object() -> None:
    form = parse(
        {"id": "f", "type": "FORM", "inputs": [{"id": "o", "type": "OBJECT", "properties": DISK}]}
    )
    assert isinstance(form, inputs.FormInput)
    assert isinstance(form.inputs[0], inputs.ObjectInput)

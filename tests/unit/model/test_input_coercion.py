"""Coercion of one value per input type (string and native forms), constraints, JSON form.

Expected values follow Kestra's documented input semantics (reference §2): INT refuses "1.0",
BOOLEAN is true only for "true" in any case, DATETIME needs Z or an offset, bounds are inclusive.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from pydantic import TypeAdapter

from legato.errors import InputError
from legato.model import inputs
from legato.model.input_values import coerce_input_value, input_to_json

ADAPTER: TypeAdapter[Any] = TypeAdapter(inputs.AnyInput)


def define(kind: str, **props: Any) -> inputs.Input:
    result = ADAPTER.validate_python({"id": "x", "type": kind, **props})
    assert isinstance(result, inputs.Input)
    return result


def coerce(kind: str, value: Any, **props: Any) -> Any:
    return coerce_input_value(define(kind, **props), value)


def failure(kind: str, value: Any, **props: Any) -> str:
    with pytest.raises(InputError) as info:
        coerce(kind, value, **props)
    assert info.value.input_id == "x"
    return info.value.message


@pytest.mark.parametrize(
    ("value", "expected"), [("abc", "abc"), ("", ""), (5, "5"), (1.5, "1.5"), (True, "true")]
)
def test_string(value: Any, expected: str) -> None:
    assert coerce("STRING", value) == expected


def test_string_refuses_structures() -> None:
    assert failure("STRING", [1]) == "input 'x': expected a string (STRING), got [1]"


@pytest.mark.parametrize(
    ("value", "expected"), [("42", 42), ("-3", -3), ("+7", 7), ("0", 0), (42, 42)]
)
def test_int(value: Any, expected: int) -> None:
    result = coerce("INT", value)
    assert result == expected and type(result) is int


@pytest.mark.parametrize("value", ["1.0", "1.5", "abc", "", " 1", "1_000", True, 1.5])
def test_int_refuses(value: Any) -> None:
    assert "expected an integer (INT)" in failure("INT", value)


def test_int_message_names_input_value_and_form() -> None:
    assert failure("INT", "1.0") == "input 'x': expected an integer (INT), got '1.0'"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.5", 1.5), ("1e3", 1000.0), ("2", 2.0), ("-.5", -0.5), ("3.0f", 3.0), (2, 2.0), (1.5, 1.5)],
)
def test_float(value: Any, expected: float) -> None:
    result = coerce("FLOAT", value)
    assert result == expected and type(result) is float


@pytest.mark.parametrize("value", ["abc", "", "1.2.3", "nan", False, [1.0]])
def test_float_refuses(value: Any) -> None:
    assert "expected a number (FLOAT)" in failure("FLOAT", value)


@pytest.mark.parametrize("kind", ["BOOLEAN", "BOOL"])
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("True", True),
        ("false", False),
        ("yes", False),
        ("1", False),
        ("", False),
        (True, True),
        (False, False),
    ],
)
def test_boolean(kind: str, value: Any, expected: bool) -> None:
    assert coerce(kind, value) is expected


def test_boolean_refuses_numbers() -> None:
    assert failure("BOOLEAN", 1) == "input 'x': expected a boolean (BOOLEAN), got 1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-31T10:00:00Z", datetime(2024, 1, 31, 10, tzinfo=UTC)),
        ("2024-01-31T10:00:00+02:00", datetime(2024, 1, 31, 8, tzinfo=UTC)),
        ("2024-01-31T10:00:00.250Z", datetime(2024, 1, 31, 10, 0, 0, 250000, tzinfo=UTC)),
        (
            datetime(2024, 1, 31, 10, tzinfo=timezone(timedelta(hours=-1))),
            datetime(2024, 1, 31, 11, tzinfo=UTC),
        ),
        (datetime(2024, 1, 31, 10), datetime(2024, 1, 31, 10, tzinfo=UTC)),
    ],
)
def test_datetime(value: Any, expected: datetime) -> None:
    result = coerce("DATETIME", value)
    assert result == expected
    assert result.tzinfo is UTC


def test_datetime_needs_a_zone() -> None:
    message = failure("DATETIME", "2024-01-31T10:00:00")
    assert message.startswith("input 'x': expected an ISO-8601 date-time with Z or an offset")
    assert message.endswith(
        "got '2024-01-31T10:00:00': the zone is missing: add Z or an offset such as +02:00"
    )


@pytest.mark.parametrize("value", ["2024-01-31", "yesterday", "2024-13-01T00:00:00Z", 17])
def test_datetime_refuses(value: Any) -> None:
    assert "(DATETIME)" in failure("DATETIME", value)


@pytest.mark.parametrize(
    ("value", "expected"), [("2024-01-31", date(2024, 1, 31)), (date(2024, 2, 1), date(2024, 2, 1))]
)
def test_date(value: Any, expected: date) -> None:
    assert coerce("DATE", value) == expected


@pytest.mark.parametrize(
    "value", ["31/01/2024", "20240131", "2024-02-30", datetime(2024, 1, 1, tzinfo=UTC), 2024]
)
def test_date_refuses(value: Any) -> None:
    assert "expected an ISO-8601 date like 2024-01-31 (DATE)" in failure("DATE", value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10:15", time(10, 15)),
        ("10:15:30", time(10, 15, 30)),
        ("10:15:30.5", time(10, 15, 30, 500000)),
        ("10:15:30.123456789", time(10, 15, 30, 123456)),
        (time(8, 0), time(8, 0)),
    ],
)
def test_time(value: Any, expected: time) -> None:
    assert coerce("TIME", value) == expected


@pytest.mark.parametrize("value", ["25:00", "10", "10h15", "7:15", 1015])
def test_time_refuses(value: Any) -> None:
    assert "expected a time like 10:15 or 10:15:30 (TIME)" in failure("TIME", value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PT5M", timedelta(minutes=5)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("PT0.5S", timedelta(seconds=0.5)),
        (timedelta(hours=3), timedelta(hours=3)),
    ],
)
def test_duration(value: Any, expected: timedelta) -> None:
    assert coerce("DURATION", value) == expected


@pytest.mark.parametrize("value", ["5m", "PT", "", 300])
def test_duration_refuses(value: Any) -> None:
    assert "expected an ISO-8601 duration like PT5M (DURATION)" in failure("DURATION", value)


def test_file_keeps_internal_storage_uri() -> None:
    uri = "kestra:///company/team/flow/executions/abc/inputs/x/data.csv"
    assert coerce("FILE", uri) == uri


def test_file_other_forms_need_an_upload() -> None:
    assert failure("FILE", "/tmp/data.csv") == (
        "input 'x': expected a kestra:// URI of an uploaded file (FILE), got '/tmp/data.csv': "
        "upload the file through the API or the CLI, which store it and pass its URI"
    )


def test_file_store_hook_turns_other_forms_into_uris() -> None:
    seen: list[tuple[str, Any]] = []

    def store(definition: inputs.FileInput, value: Any) -> str:
        seen.append((definition.id, value))
        return "kestra:///ns/flow/executions/e/inputs/x/data.csv"

    definition = define("FILE")
    result = coerce_input_value(definition, "/tmp/data.csv", store_file=store)
    assert result == "kestra:///ns/flow/executions/e/inputs/x/data.csv"
    assert coerce_input_value(definition, "kestra:///a.txt", store_file=store) == "kestra:///a.txt"
    assert seen == [("x", "/tmp/data.csv")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('{"a": [1, 2]}', {"a": [1, 2]}),
        ("[1, 2]", [1, 2]),
        ('"text"', "text"),
        ("3", 3),
        ({"a": 1}, {"a": 1}),
        ([True], [True]),
        (7, 7),
    ],
)
def test_json(value: Any, expected: Any) -> None:
    assert coerce("JSON", value) == expected


def test_json_refuses_bad_documents() -> None:
    message = failure("JSON", "{bad")
    assert message.startswith("input 'x': expected a JSON document (JSON), got '{bad': ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a: 1\nb: [x, y]", {"a": 1, "b": ["x", "y"]}),
        ("- 1\n- 2", [1, 2]),
        ({"k": "v"}, {"k": "v"}),
    ],
)
def test_yaml(value: Any, expected: Any) -> None:
    assert coerce("YAML", value) == expected


def test_yaml_refuses_bad_documents() -> None:
    assert failure("YAML", "a: [1").startswith("input 'x': expected a YAML document (YAML)")


@pytest.mark.parametrize(
    "value",
    [
        "https://example.com",
        "https://www.example.com/path?q=1&r=2#top",
        "ftp://files.example.org/a",
    ],
)
def test_uri(value: str) -> None:
    assert coerce("URI", value) == value


@pytest.mark.parametrize("value", ["example.com", "HTTPS://example.com", "https://localhost", 5])
def test_uri_refuses(value: Any) -> None:
    assert "expected a URI like https://example.com/path (URI)" in failure("URI", value)


def test_secret_is_kept_and_never_shown() -> None:
    assert coerce("SECRET", "s3cr3t") == "s3cr3t"
    message = failure("SECRET", "s3cr3t", validator="^[a-z]+$")
    assert "s3cr3t" not in message
    assert message == "input 'x': invalid value '******', it must match the validator '^[a-z]+$'"


@pytest.mark.parametrize("value", ["me@example.com", "first.last+tag@mail.example.org", ""])
def test_email(value: str) -> None:
    assert coerce("EMAIL", value) == value


@pytest.mark.parametrize("value", ["no-at-sign", "a@b@c", "me@exa mple.com"])
def test_email_refuses(value: str) -> None:
    expected = f"input 'x': expected an e-mail address (EMAIL), got '{value}'"
    assert failure("EMAIL", value) == expected


def test_string_validator_matches_in_full() -> None:
    assert coerce("STRING", "abc", validator="[a-z]+") == "abc"
    assert failure("STRING", "abc1", validator="[a-z]+") == (
        "input 'x': invalid value 'abc1', it must match the validator '[a-z]+'"
    )


def test_enum_must_be_a_value() -> None:
    assert coerce("ENUM", "a", values=["a", "b"]) == "a"
    assert failure("ENUM", "c", values=["a", "b"]) == (
        """input 'x': invalid value 'c', it must be one of ["a", "b"]"""
    )


def test_select_must_be_a_value() -> None:
    assert coerce("SELECT", "b", values=["a", "b"]) == "b"
    assert coerce("SELECT", 5, values=["5"]) == "5"
    assert 'it must be one of ["a", "b"]' in failure("SELECT", "c", values=["a", "b"])


def test_select_custom_value_or_optional_is_not_checked() -> None:
    assert coerce("SELECT", "c", values=["a"], allowCustomValue=True) == "c"
    assert coerce("SELECT", "c", values=["a"], required=False) == "c"


@pytest.mark.parametrize("value", ['["a", "b"]', ["a", "b"], ("a", "b")])
def test_multiselect(value: Any) -> None:
    assert coerce("MULTISELECT", value, values=["a", "b", "c"]) == ["a", "b"]


def test_multiselect_items_must_be_values() -> None:
    assert failure("MULTISELECT", ["a", "z"], values=["a", "b"]) == (
        """input 'x': invalid value ["a", "z"], 'z' is not one of ["a", "b"]"""
    )
    assert coerce("MULTISELECT", ["z"], values=["a"], allowCustomValue=True) == ["z"]
    assert """'z' is not one of ["a"]""" in failure("MULTISELECT", ["z"], options=["a"])


def test_multiselect_item_type() -> None:
    assert coerce("MULTISELECT", '["1", 2]', values=["1", "2"], itemType="INT") == [1, 2]


def test_multiselect_refuses_non_lists() -> None:
    assert failure("MULTISELECT", "a", values=["a"]) == (
        "input 'x': expected a JSON array or a list of STRING (MULTISELECT), got 'a'"
    )


@pytest.mark.parametrize(
    ("item_type", "value", "expected"),
    [
        ("INT", '[1, "2"]', [1, 2]),
        ("INT", [3, "4"], [3, 4]),
        ("STRING", '["a", 1]', ["a", "1"]),
        ("BOOLEAN", '["true", false, "no"]', [True, False, False]),
        ("DATE", '["2024-01-31"]', [date(2024, 1, 31)]),
        ("DURATION", ["PT1M"], [timedelta(minutes=1)]),
        ("JSON", '[{"a": 1}]', [{"a": 1}]),
        ("FLOAT", "[]", []),
    ],
)
def test_array(item_type: str, value: Any, expected: list[Any]) -> None:
    assert coerce("ARRAY", value, itemType=item_type) == expected


def test_array_item_errors_name_the_item() -> None:
    assert failure("ARRAY", '[1, "x"]', itemType="INT") == (
        "input 'x': expected a JSON array or a list of INT (ARRAY), got '[1, \"x\"]': "
        "item 1 is 'x', expected an integer (INT)"
    )


@pytest.mark.parametrize("value", ["1,2", '{"a": 1}', 5])
def test_array_refuses_non_lists(value: Any) -> None:
    message = failure("ARRAY", value, itemType="INT")
    assert "expected a JSON array or a list of INT (ARRAY)" in message


@pytest.mark.parametrize(
    ("kind", "props", "value", "message"),
    [
        ("INT", {"min": 1, "max": 10}, "0", "it must be at least 1"),
        ("INT", {"min": 1, "max": 10}, 11, "it must be at most 10"),
        ("FLOAT", {"min": 0.5}, "0.4", "it must be at least 0.5"),
        ("FLOAT", {"max": 1}, 1.5, "it must be at most 1.0"),
        ("DURATION", {"min": "PT1M"}, "PT30S", "it must be at least PT1M"),
        ("DURATION", {"max": "PT1H"}, "PT2H", "it must be at most PT1H"),
        ("DATETIME", {"after": "2024-01-01T00:00:00Z"}, "2023-12-31T23:00:00Z",
         "it must be after 2024-01-01T00:00:00Z"),
        ("DATETIME", {"before": "2024-01-01T00:00:00Z"}, "2024-01-01T00:30:00+00:00",
         "it must be before 2024-01-01T00:00:00Z"),
        ("DATE", {"before": "2024-01-31"}, "2024-02-01", "it must be before 2024-01-31"),
        ("TIME", {"after": "08:00"}, "07:59", "it must be after 08:00"),
    ],
)  # fmt: skip
def test_bounds_are_enforced(kind: str, props: dict[str, Any], value: Any, message: str) -> None:
    assert message in failure(kind, value, **props)


@pytest.mark.parametrize(
    ("kind", "props", "value"),
    [
        ("INT", {"min": 1, "max": 10}, "1"),
        ("INT", {"min": 1, "max": 10}, 10),
        ("FLOAT", {"min": 0.5, "max": 0.5}, "0.5"),
        ("DURATION", {"min": "PT1M", "max": "PT1M"}, "PT60S"),
        ("DATETIME", {"after": "2024-01-01T00:00:00Z"}, "2024-01-01T01:00:00+01:00"),
        ("DATE", {"after": "2024-01-31", "before": "2024-01-31"}, "2024-01-31"),
        ("TIME", {"before": "08:00"}, "08:00:00"),
    ],
)
def test_bounds_are_inclusive(kind: str, props: dict[str, Any], value: Any) -> None:
    coerce(kind, value, **props)


def test_float_nan_fails_bounds() -> None:
    assert "it must be a number, not NaN" in failure("FLOAT", "NaN", min=0)
    assert coerce("FLOAT", "Infinity") == float("inf")


def test_bound_message_shows_the_value() -> None:
    assert failure("INT", "0", min=1) == "input 'x': invalid value '0', it must be at least 1"
    assert failure("INT", 0, min=1) == "input 'x': invalid value 0, it must be at least 1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 1, 31, 10, tzinfo=UTC), "2024-01-31T10:00:00Z"),
        (datetime(2024, 1, 31, 10, 0, 0, 250000, tzinfo=UTC), "2024-01-31T10:00:00.250Z"),
        (datetime(2024, 1, 31, 10, 0, 0, 123456, tzinfo=UTC), "2024-01-31T10:00:00.123456Z"),
        (datetime(2024, 1, 31, 12, tzinfo=timezone(timedelta(hours=2))), "2024-01-31T10:00:00Z"),
        (date(2024, 1, 31), "2024-01-31"),
        (time(10, 15), "10:15"),
        (time(10, 15, 30), "10:15:30"),
        (time(10, 15, 0, 500000), "10:15:00.500"),
        (timedelta(minutes=5), "PT5M"),
        (
            {"a": [date(2024, 1, 1), {"d": timedelta(hours=1)}]},
            {"a": ["2024-01-01", {"d": "PT1H"}]},
        ),
        ((1, "x", None, True), [1, "x", None, True]),
    ],
)
def test_input_to_json(value: Any, expected: Any) -> None:
    assert input_to_json(value) == expected


def test_a_form_holds_no_value_itself() -> None:
    form = define("FORM", inputs=[{"id": "a", "type": "INT"}])
    with pytest.raises(InputError) as info:
        coerce_input_value(form, {"a": 1})
    assert info.value.message == (
        "input 'x': expected values for the inputs of the form, not for the form itself (FORM), "
        'got {"a": 1}'
    )


def test_long_and_odd_values_are_shortened_in_messages() -> None:
    message = failure("INT", "9" * 200 + "x")
    assert message.endswith("got '" + "9" * 116 + "...")  # 120 characters shown
    loop: list[Any] = []
    loop.append(loop)
    assert failure("STRING", loop) == "input 'x': expected a string (STRING), got [[...]]"

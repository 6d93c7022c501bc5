"""Dynamic property types: Expression, Dyn[T], Duration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import BaseModel, ValidationError

from legato.model.property import (
    Duration,
    Dyn,
    Expression,
    format_duration,
    is_expression,
    parse_duration,
)


class Holder(BaseModel):
    count: Dyn[int] = 1
    wait: Dyn[Duration] | None = None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT5M", timedelta(minutes=5)),
        ("PT1H30M", timedelta(hours=1, minutes=30)),
        ("P1D", timedelta(days=1)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("PT0.5S", timedelta(seconds=0.5)),
        ("pt10s", timedelta(seconds=10)),
        ("-PT1M", timedelta(minutes=-1)),
        ("PT-1M", timedelta(minutes=-1)),
    ],
)
def test_parse_duration_reads_java_iso_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["5 minutes", "P", "PT", "P1W", "1h", "", "P1DT"])
def test_parse_duration_rejects_other_forms_and_names_the_expected_one(text: str) -> None:
    with pytest.raises(ValueError, match="expected a form like PT5M"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(minutes=90), "PT1H30M"),
        (timedelta(days=1), "PT24H"),
        (timedelta(seconds=0.5), "PT0.5S"),
        (timedelta(seconds=61), "PT1M1S"),
        (timedelta(minutes=-1), "PT-1M"),
    ],
)
def test_format_duration_writes_java_duration_tostring(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


def test_is_expression_sees_every_pebble_marker() -> None:
    assert is_expression("{{ x }}")
    assert is_expression("a {% if x %}b{% endif %}")
    assert is_expression("{# note #}")
    assert not is_expression("plain")
    assert not is_expression(3)


def test_dyn_accepts_literal_coercible_string_and_expression() -> None:
    assert Holder(count=3).count == 3
    assert Holder.model_validate({"count": "4"}).count == 4
    value = Holder.model_validate({"count": "{{ inputs.n }}"}).count
    assert isinstance(value, Expression)
    assert value == "{{ inputs.n }}"


def test_dyn_rejects_a_plain_string_that_is_not_the_type() -> None:
    with pytest.raises(ValidationError):
        Holder.model_validate({"count": "abc"})


def test_dyn_duration_parses_iso_and_serializes_back() -> None:
    holder = Holder.model_validate({"wait": "PT2M"})
    assert holder.wait == timedelta(minutes=2)
    assert holder.model_dump(mode="json")["wait"] == "PT2M"


def test_dyn_duration_reports_a_bad_duration() -> None:
    with pytest.raises(ValidationError, match="ISO-8601"):
        Holder.model_validate({"wait": "two minutes"})


def test_expression_syntax_is_checked() -> None:
    with pytest.raises(ValidationError, match="invalid expression"):
        Holder.model_validate({"count": "{{ inputs.n | }}"})


def test_expression_passes_through_existing_instances() -> None:
    already = Expression("{{ a }}")
    assert Holder(count=already).count is already

"""Labels: both written forms, values as Java writes them, the system prefix."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from legato.model.labels import Label, Labels, as_dict


class Holder(BaseModel):
    labels: Labels


def read(value: object) -> list[tuple[str, str]]:
    return [(label.key, label.value) for label in Holder(labels=value).labels]  # type: ignore[arg-type]


def test_map_form_keeps_order() -> None:
    assert read({"team": "data", "env": "prod"}) == [("team", "data"), ("env", "prod")]


def test_list_form() -> None:
    assert read([{"key": "team", "value": "data"}]) == [("team", "data")]


@pytest.mark.parametrize(
    ("value", "text"), [(True, "true"), (False, "false"), (1, "1"), (0.5, "0.5"), ("x", "x")]
)
def test_scalar_values_become_java_style_text(value: object, text: str) -> None:
    assert read({"k": value}) == [("k", text)]
    assert read([{"key": "k", "value": value}]) == [("k", text)]


@pytest.mark.parametrize("value", [{"a": 1}, [1], None])
def test_non_scalar_values_are_rejected(value: object) -> None:
    with pytest.raises(ValidationError):
        read({"k": value})


def test_list_entries_need_key_and_value_and_nothing_else() -> None:
    with pytest.raises(ValidationError):
        read([{"key": "k"}])
    with pytest.raises(ValidationError):
        read([{"key": "k", "value": "v", "other": 1}])


def test_a_label_is_frozen_and_knows_the_system_prefix() -> None:
    label = Label(key="system.readOnly", value="true")
    assert label.is_system
    assert not Label(key="systemic", value="x").is_system
    with pytest.raises(ValidationError):
        label.key = "other"  # type: ignore[misc]


def test_as_dict_lets_a_later_duplicate_win() -> None:
    labels = [Label(key="a", value="1"), Label(key="a", value="2"), Label(key="b", value="3")]
    assert as_dict(labels) == {"a": "2", "b": "3"}
    assert as_dict(None) == {}

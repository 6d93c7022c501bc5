"""CopyIn/CopyOut property checks at validation: single-character options."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from legato.model.plugin import ParseContext
from legato.model.registry import PluginRegistry
from legato.plugins.jdbc import postgres_copy

REGISTRY = PluginRegistry(postgres_copy.PLUGINS)
BASE = {
    "id": "c",
    "type": "io.kestra.plugin.jdbc.postgresql.CopyIn",
    "url": "jdbc:postgresql://127.0.0.1:5432/postgres",
    "from": "kestra:///a.csv",
}


def validate(**properties: Any) -> postgres_copy.CopyIn:
    return postgres_copy.CopyIn.model_validate(
        {**BASE, **properties}, context=ParseContext(registry=REGISTRY)
    )


def test_an_escaped_tab_is_refused_with_the_way_to_write_a_tab() -> None:
    with pytest.raises(ValidationError) as failure:
        validate(delimiter="\\t")
    message = str(failure.value)
    assert "must be exactly one character, got '\\\\t'" in message
    assert 'for a tab, write "\\t" in a double-quoted YAML string' in message


@pytest.mark.parametrize("name", ["delimiter", "quote", "escape"])
def test_single_character_options_refuse_other_lengths(name: str) -> None:
    with pytest.raises(ValidationError, match="must be exactly one character, got ';;'"):
        validate(**{name: ";;"})
    with pytest.raises(ValidationError, match=name):
        validate(**{name: ""})


def test_one_character_or_an_expression_is_accepted() -> None:
    assert validate(delimiter="\t").delimiter == "\t"
    assert validate(quote="{{ inputs.quote }}").quote == "{{ inputs.quote }}"

"""YamlToIon and IonToYaml: one row per document, YAML 1.2 scalars, decimals and dates kept."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from serdes_support import ion_of, put_ion, put_text, run, text_of

from legato.sdk.run_context import TaskError


def yaml_to_ion(ctx: Any, text: str) -> list[Any]:
    outputs = run(ctx, "yaml.YamlToIon", **{"from": put_text(ctx, text, "in.yaml")})
    return ion_of(ctx, outputs["uri"])


def ion_to_yaml(ctx: Any, rows: list[Any]) -> str:
    outputs = run(ctx, "yaml.IonToYaml", **{"from": put_ion(ctx, rows)})
    assert outputs["uri"].endswith(".yaml")
    return text_of(ctx, outputs["uri"])


def test_each_document_is_a_row_with_yaml_1_2_scalars(ctx: Any) -> None:
    text = "---\nid: 1\nname: Apple\nprice: 1.2\nok: yes\nday: 2024-01-02\n---\nid: 2\nflag: true\n"
    assert yaml_to_ion(ctx, text) == [
        {"id": 1, "name": "Apple", "price": 1.2, "ok": "yes", "day": "2024-01-02"},
        {"id": 2, "flag": True},
    ]
    assert ("records", 2, "counter") in ctx.metrics


def test_invalid_yaml_is_located(ctx: Any) -> None:
    with pytest.raises(TaskError, match=r"at line 2: .*documents are separated by '---'"):
        yaml_to_ion(ctx, "a: 1\n- b\n")


def test_one_row_is_one_document_and_several_are_separated(ctx: Any) -> None:
    assert ion_to_yaml(ctx, [{"name": "Zoé", "n": Decimal("1.50")}]) == "name: Zoé\nn: 1.50\n"
    rows = [{"a": [1, 2]}, {"at": datetime(2024, 1, 2, 3, 4, tzinfo=UTC), "d": date(2024, 1, 2)}]
    assert ion_to_yaml(ctx, rows) == (
        "---\na:\n- 1\n- 2\n---\nat: '2024-01-02T03:04:00Z'\nd: '2024-01-02'\n"
    )
    assert ion_to_yaml(ctx, []) == ""


def test_yaml_round_trip(ctx: Any) -> None:
    rows = [{"id": 1, "tags": ["x", "y"], "inner": {"k": None}}, {"id": 2, "s": "multi\nline"}]
    back = run(
        ctx,
        "yaml.YamlToIon",
        **{"from": run(ctx, "yaml.IonToYaml", **{"from": put_ion(ctx, rows)})["uri"]},
    )
    assert ion_of(ctx, back["uri"]) == rows


def test_json_to_yaml(ctx: Any) -> None:
    single = run(ctx, "yaml.JsonToYaml", **{"from": put_text(ctx, '{"name": "Apple", "p": 1.2}')})
    assert text_of(ctx, single["uri"]) == "name: Apple\np: 1.2\n"
    uri = put_text(ctx, '{"a": 1}\nnull\n{"a": 2}\n', "in.jsonl")
    lines = run(ctx, "yaml.JsonToYaml", **{"from": uri, "jsonl": True})
    assert text_of(ctx, lines["uri"]) == "---\na: 1\n---\na: 2\n"
    assert ("records", 2, "counter") in ctx.metrics


def test_yaml_to_json(ctx: Any) -> None:
    def convert(text: str, **props: Any) -> str:
        outputs = run(ctx, "yaml.YamlToJson", **{"from": put_text(ctx, text), **props})
        return text_of(ctx, outputs["uri"])

    assert convert("a: 1\nb: [x, yes]\n") == '{"a":1,"b":["x","yes"]}'
    assert convert("a: 1\n---\na: 2\n") == '[{"a":1},{"a":2}]'
    assert convert("- 1\n- 2\n") == "[[1,2]]"
    assert convert("") == "{}"
    assert convert("a: 1\n---\na: 2\n", jsonl=True) == '{"a":1}\n{"a":2}\n'

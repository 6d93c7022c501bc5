"""JsonToIon, IonToJson and JsonToJsonl: JSON types kept, Ion types written as Kestra does,
arrays streamed, errors located."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from serdes_support import ion_of, load, put_ion, put_text, run, text_of

from legato.plugins.serdes import json_tasks
from legato.sdk.run_context import TaskError


def json_to_ion(ctx: Any, text: str, **props: Any) -> list[Any]:
    outputs = run(ctx, "json.JsonToIon", **{"from": put_text(ctx, text, "in.json"), **props})
    return ion_of(ctx, outputs["uri"])


def ion_to_json(ctx: Any, rows: list[Any], **props: Any) -> tuple[str, str]:
    outputs = run(ctx, "json.IonToJson", **{"from": put_ion(ctx, rows), **props})
    return outputs["uri"], text_of(ctx, outputs["uri"])


def test_json_lines_keep_json_types(ctx: Any) -> None:
    text = (
        '{"i":1,"f":1.5,"s":"é","b":true,"n":null,"l":[1,{"x":2}]}\n'
        '\n{"big":123456789012345678901}\n'
    )
    rows = json_to_ion(ctx, text)
    assert rows == [
        {"i": 1, "f": 1.5, "s": "é", "b": True, "n": None, "l": [1, {"x": 2}]},
        {"big": 123456789012345678901},
    ]
    assert isinstance(rows[0]["f"], float)
    assert ("records", 2, "counter") in ctx.metrics


def test_a_json_array_document_gives_one_row_per_item(ctx: Any) -> None:
    text = '[\n  {"a": 1},\n  {"a": [2, 3]},\n  "x"\n]\n'
    assert json_to_ion(ctx, text, newLine=False) == [{"a": 1}, {"a": [2, 3]}, "x"]
    assert json_to_ion(ctx, " [ ] ", newLine=False) == []
    assert json_to_ion(ctx, '{"only": 1}', newLine=False) == [{"only": 1}]
    assert json_to_ion(ctx, "", newLine=False) == []


def test_a_large_array_is_decoded_across_chunks(ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_tasks, "_CHUNK", 7)
    items = [{"id": n, "text": "ü" * (n % 5), "v": n * 1.25} for n in range(200)]
    assert json_to_ion(ctx, json.dumps(items, indent=1), newLine=False) == items


def test_undecodable_json_names_the_file_and_the_charset_to_set(ctx: Any) -> None:
    uri = put_text(ctx, '{"nom": "Zoé"}\n', "latin.json", encoding="latin-1")
    with pytest.raises(TaskError, match=r"latin\.json' is not valid utf-8\S* text .*set 'charset'"):
        run(ctx, "json.JsonToIon", **{"from": uri})
    outputs = run(ctx, "json.JsonToIon", **{"from": uri, "charset": "ISO-8859-1"})
    assert ion_of(ctx, outputs["uri"]) == [{"nom": "Zoé"}]


def test_invalid_json_line_is_located_with_advice(ctx: Any) -> None:
    with pytest.raises(TaskError, match=r"at line 2: .*set newLine: false"):
        json_to_ion(ctx, '{"a":1}\n{"a":\n')


def test_invalid_json_document_is_located(ctx: Any) -> None:
    with pytest.raises(TaskError, match="at line 3"):
        json_to_ion(ctx, '[\n{"a":1},\n{"a" 2}\n]', newLine=False)
    with pytest.raises(TaskError, match="expected ',' or ']'"):
        json_to_ion(ctx, '[{"a":1} {"a":2}]', newLine=False)


def test_ion_to_json_lines_writes_kestras_shapes(ctx: Any) -> None:
    rows = [
        {
            "dec": Decimal("12.30"),
            "dbl": 1e10,
            "int": 7,
            "instant": datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=UTC),
            "offset": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))),
            "local": datetime(2024, 1, 2, 3, 4, 5, 123456),
            "day": date(2024, 1, 2),
            "clock": time(10, 15),
            "bytes": b"hi",
            "nan": float("nan"),
            "text": 'é "q"\n',
        },
        [None, True],
    ]
    uri, text = ion_to_json(ctx, rows)
    assert uri.endswith(".jsonl")
    assert text.splitlines() == [
        '{"dec":12.30,"dbl":1.0E10,"int":7,"instant":"2024-01-02T03:04:05.120Z",'
        '"offset":"2024-01-02T01:04:05Z","local":"2024-01-02T03:04:05.123456",'
        '"day":"2024-01-02","clock":"10:15:00","bytes":"aGk=","nan":"NaN",'
        '"text":"é \\"q\\"\\n"}',
        "[null,true]",
    ]
    assert json.loads(text.splitlines()[0])["dec"] == 12.3


def test_ion_to_a_json_array(ctx: Any) -> None:
    uri, text = ion_to_json(ctx, [{"a": 1}, {"a": 2}], newLine=False)
    assert uri.endswith(".json") and text == '[{"a":1},{"a":2}]'
    assert ion_to_json(ctx, [], newLine=False)[1] == "[]"
    assert ion_to_json(ctx, [])[1] == ""


def test_json_round_trip_through_ion(ctx: Any) -> None:
    text = '{"a":1,"b":[1.5,"x",null],"c":{"d":false}}\n{"a":2}\n'
    rows = json_to_ion(ctx, text)
    assert ion_to_json(ctx, rows)[1] == text


def test_json_to_jsonl(ctx: Any) -> None:
    uri = put_text(ctx, '[{"a": 1}, {"b": "é"}]', "in.json")
    outputs = run(ctx, "json.JsonToJsonl", **{"from": uri})
    assert text_of(ctx, outputs["uri"]) == '{"a":1}\n{"b":"é"}\n'


def test_legacy_names() -> None:
    assert type(load({"type": "json.JsonReader", "from": "kestra:///x"})).__name__ == "JsonToIon"
    assert type(load({"type": "json.JsonWriter", "from": "kestra:///x"})).__name__ == "IonToJson"


def test_offsets_move_to_the_time_zone_and_instants_stay_utc(ctx: Any) -> None:
    rows = [
        {
            "offset": datetime(2024, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=2))),
            "instant": datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
        }
    ]
    _, text = ion_to_json(ctx, rows, timeZoneId="America/New_York")
    assert text == '{"offset":"2024-01-01T20:04:00-05:00","instant":"2024-01-02T03:04:00Z"}\n'


def test_keeping_annotations_is_refused_with_advice(ctx: Any) -> None:
    with pytest.raises(TaskError, match="remove the property"):
        ion_to_json(ctx, [{"a": 1}], shouldKeepAnnotations=True)

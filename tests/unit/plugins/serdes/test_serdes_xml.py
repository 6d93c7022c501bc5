"""XmlToIon and IonToXml: records found by query or by unwrapping, org.json typing, streaming."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from serdes_support import ion_of, load, put_ion, put_text, run, text_of

from legato.plugins.serdes import xml_tasks
from legato.sdk.run_context import TaskError

CATALOG = """<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns:x="urn:x">
  <book id="bk101" lang="en">
    <author>Gambardella, Matthew</author>
    <price>44.95</price>
    <stock>0012</stock>
    <tag>a</tag><tag>b</tag>
    <available>true</available>
    <note/>
  </book>
  <book id="bk102">
    <author>Ralls, Kim</author>
    <price>5</price>
    <x:extra>é</x:extra>
  </book>
</catalog>
"""


def xml_to_ion(ctx: Any, text: str, **props: Any) -> list[Any]:
    outputs = run(ctx, "xml.XmlToIon", **{"from": put_text(ctx, text, "in.xml"), **props})
    return ion_of(ctx, outputs["uri"])


def test_the_root_collection_is_unwrapped_into_records(ctx: Any) -> None:
    assert xml_to_ion(ctx, CATALOG) == [
        {
            "id": "bk101",
            "lang": "en",
            "author": "Gambardella, Matthew",
            "price": Decimal("44.95"),
            "stock": "0012",
            "tag": ["a", "b"],
            "available": True,
            "note": "",
        },
        {"id": "bk102", "author": "Ralls, Kim", "price": 5, "extra": "é"},
    ]
    assert ("records", 2, "counter") in ctx.metrics


def test_a_query_selects_the_records(ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml_tasks, "_CHUNK", 5)  # elements split across fed chunks
    rows = xml_to_ion(ctx, CATALOG, query="/catalog/book/author")
    assert rows == ["Gambardella, Matthew", "Ralls, Kim"]


def test_force_list_and_no_unwrapping(ctx: Any) -> None:
    text = "<config><database><host>x</host><port>5432</port></database></config>"
    assert xml_to_ion(ctx, text, unwrapRootCollection=False) == [
        {"config": {"database": {"host": "x", "port": 5432}}}
    ]
    rows = xml_to_ion(ctx, text, parserConfiguration={"forceList": ["host"]})
    assert rows == [{"host": ["x"], "port": 5432}]


def test_a_root_with_mixed_children_is_one_record(ctx: Any) -> None:
    text = "<r><a>1</a><b>text</b>tail</r>"
    assert xml_to_ion(ctx, text) == [{"r": {"a": 1, "b": "text", "content": "tail"}}]


def test_invalid_xml_is_located(ctx: Any) -> None:
    with pytest.raises(TaskError, match=r"Invalid XML .* at line 2"):
        xml_to_ion(ctx, "<a>\n<b></a>")


def test_ion_rows_to_xml(ctx: Any) -> None:
    rows = [{"id": 1, "name": "a & b", "tags": ["x", "y"], "none": None, "n": {"k": 1.5}}, "s"]
    outputs = run(ctx, "xml.IonToXml", **{"from": put_ion(ctx, rows)})
    assert outputs["uri"].endswith(".xml")
    assert text_of(ctx, outputs["uri"]) == (
        "<?xml version='1.0' encoding='UTF-8'?>\n<items>\n  <item>\n    <id>1</id>\n"
        "    <name>a &amp; b</name>\n    <tags>x</tags>\n    <tags>y</tags>\n    <none/>\n"
        "    <n>\n      <k>1.5</k>\n    </n>\n  </item>\n  <item>s</item>\n</items>\n"
    )


def test_xml_round_trip(ctx: Any) -> None:
    rows = [{"id": 1, "tags": ["x", "y"], "price": Decimal("2.50")}, {"id": 2, "tags": ["z", "w"]}]
    first = run(ctx, "xml.IonToXml", **{"from": put_ion(ctx, rows), "rootName": "rows"})
    back = run(ctx, "xml.XmlToIon", **{"from": first["uri"]})
    assert ion_of(ctx, back["uri"]) == rows


def test_legacy_names() -> None:
    assert type(load({"type": "xml.XmlReader", "from": "kestra:///x"})).__name__ == "XmlToIon"
    assert type(load({"type": "xml.XmlWriter", "from": "kestra:///x"})).__name__ == "IonToXml"


def test_ion_to_xml_moves_offsets_to_the_time_zone(ctx: Any) -> None:
    rows = [{"at": datetime(2024, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=2)))}]
    outputs = run(ctx, "xml.IonToXml", **{"from": put_ion(ctx, rows), "timeZoneId": "UTC"})
    assert "<at>2024-01-02T01:04:00Z</at>" in text_of(ctx, outputs["uri"])

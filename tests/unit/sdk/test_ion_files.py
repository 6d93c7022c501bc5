"""Ion files streamed: one value per line written, any Ion text read back value by value (the
values themselves are the shared codec's, tested in tests/unit/expressions/test_ion_codec.py)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from legato.expressions.ion_codec import parse_ion
from legato.sdk import ion_files
from legato.sdk.ion_files import IonFileError, IonRowWriter, iter_ion_values, write_ion_file


def read(tmp_path: Path, text: str) -> list[Any]:
    path = tmp_path / "data.ion"
    path.write_text(text, encoding="utf-8")
    return list(iter_ion_values(path, name="kestra:///data.ion"))


def test_scalars_keep_their_ion_types(tmp_path: Path) -> None:
    [row] = read(
        tmp_path,
        "{i:-12,h:0x1F,b:0b101,u:1_000,d:1.50,e:1d3,f:2.5e0,n:nan,p:+inf,t:true,z:null,"
        "zi:null.int,s:\"x\",y:sym,q:'quoted sym'}\n",
    )
    assert row["i"] == -12 and row["h"] == 31 and row["b"] == 5 and row["u"] == 1000
    assert row["d"] == Decimal("1.50") and str(row["d"]) == "1.50"
    assert row["e"] == Decimal("1E+3") and isinstance(row["e"], Decimal)
    assert row["f"] == 2.5 and isinstance(row["f"], float)
    assert math.isnan(row["n"]) and row["p"] == math.inf
    assert row["t"] is True and row["z"] is None and row["zi"] is None
    assert (row["s"], row["y"], row["q"]) == ("x", "sym", "quoted sym")


def test_timestamps_follow_kestras_mapper(tmp_path: Path) -> None:
    [row] = read(
        tmp_path,
        "{a:2024-01-02T03:04:05.123456789Z,b:2024-01-02,c:2024-01-02T03:04+02:00,"
        "d:2024-01-02T03:04:05-00:00,e:2007T,f:2007-02T}\n",
    )
    assert row["a"] == datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    assert row["b"] == date(2024, 1, 2) and not isinstance(row["b"], datetime)
    assert row["c"].utcoffset() == timedelta(hours=2) and row["c"].hour == 3
    assert row["d"] == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert row["e"] == date(2007, 1, 1) and row["f"] == date(2007, 2, 1)


def test_java_time_annotations_become_python_times(tmp_path: Path) -> None:
    [row] = read(
        tmp_path,
        '{a:LocalDateTime::"2024-01-02T03:04:05",b:LocalTime::"10:15:30",'
        'c:OffsetTime::"10:15:30+01:00",d:ZonedDateTime::"2024-06-01T10:00+02:00[Europe/Paris]",'
        'e:other::"kept",f:LocalDate::"2024-01-02"}\n',
    )
    assert row["a"] == datetime(2024, 1, 2, 3, 4, 5) and row["a"].tzinfo is None
    assert row["b"] == time(10, 15, 30)
    assert row["c"].utcoffset() == timedelta(hours=1)
    assert str(row["d"].tzinfo) == "Europe/Paris" and row["d"].hour == 10
    assert row["e"] == "kept" and row["f"] == date(2024, 1, 2)


def test_lobs_sequences_and_annotations(tmp_path: Path) -> None:
    [row] = read(tmp_path, '{b:{{ aGVs bG8= }},c:{{"clob\\x21"}},s:(+ 1 a),l:[1,[2]],x:ann::5}\n')
    assert row == {"b": b"hello", "c": b"clob!", "s": ["+", 1, "a"], "l": [1, [2]], "x": 5}


def test_values_spanning_lines_comments_and_several_per_line(tmp_path: Path) -> None:
    text = (
        "$ion_1_0\n"
        "// a comment\n"
        "{a: [1,\n"
        '  2], b: /* inside */ "x"}\n'
        "/* a block\n"
        "comment */ 1 2\n"
        "\n"
        "'''long '''\n"
        "'''string'''\n"
        '{s: "a\\\n'
        'b"}\n'
        "ann\n"
        "::3\n"
    )
    assert read(tmp_path, text) == [{"a": [1, 2], "b": "x"}, 1, 2, "long string", {"s": "ab"}, 3]


def test_a_bad_value_names_the_file_and_its_line(tmp_path: Path) -> None:
    with pytest.raises(IonFileError, match=r"'kestra:///data.ion' at line 2: unexpected '\]'"):
        read(tmp_path, "{a:1}\n{b:]}\n")


def test_an_unclosed_value_at_the_end_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IonFileError, match="line 2: the file ends inside a value"):
        read(tmp_path, '{a:1}\n{b:"x"\n')


def test_empty_file_has_no_values(tmp_path: Path) -> None:
    assert read(tmp_path, "") == [] and read(tmp_path, "\n\n") == []


def test_writer_writes_one_compact_value_per_line(tmp_path: Path) -> None:
    path = tmp_path / "out.ion"
    rows = [
        {"id": 1, "name with space": "a\nb", "null": None, "amount": Decimal("12.30")},
        {"when": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "day": date(2024, 1, 2)},
        {"local": datetime(2024, 1, 2, 3, 4), "clock": time(1, 2), "raw": b"\x00\xff"},
        [1.5, True, "x"],
    ]
    assert write_ion_file(path, rows) == 4
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == [
        "{id:1,'name with space':\"a\\nb\",'null':null,amount:12.30}",
        "{when:2024-01-02T03:04:05Z,day:2024-01-02}",
        '{local:LocalDateTime::"2024-01-02T03:04:00",clock:LocalTime::"01:02:00",raw:{{AP8=}}}',
        '[1.5e0,true,"x"]',
    ]
    assert list(iter_ion_values(path)) == rows


def test_row_writer_counts(tmp_path: Path) -> None:
    with IonRowWriter(tmp_path / "x.ion") as writer:
        writer.write({"a": 1})
        writer.write_all([{"a": 2}, {"a": 3}])
    assert writer.count == 3


FLAT_LINES = [
    '{id:1,name:"Zoé \\"q\\"",amount:12.30,f:1.5e0,t:2024-01-02T03:04:05.5Z,d:2024-01-02}',
    "{'a b':-7, c : null.int ,e:true,g:false,h:null,i:1_000,j:2024-01-02T03:04+02:00}",
    '{s:"tab\\t and \\u00e9",n:-0.5d2,z:0.}',
    "{}",
]
GENERAL_LINES = [
    "{a:nan}",
    "{a:sym}",
    "{a:[1]}",
    "{a:1} // trailing comment",
    '{a:LocalTime::"10:00"}',
    "{a:2007T}",
    "{a:0x1F}",
    "{a:{{aGk=}}}",
    "[1,2]",
]


@pytest.mark.parametrize("line", FLAT_LINES)
def test_flat_rows_take_the_fast_path_with_the_same_result(line: str) -> None:
    fast = ion_files._flat_struct(line)
    assert fast is not None and fast == parse_ion(line)[0]
    assert list(map(type, fast.values())) == list(map(type, parse_ion(line)[0].values()))


@pytest.mark.parametrize("line", GENERAL_LINES)
def test_other_rows_go_to_the_general_parser(line: str, tmp_path: Path) -> None:
    assert ion_files._flat_struct(line) is None
    assert read(tmp_path, line + "\n") == parse_ion(line)

"""CsvToIon and IonToCsv: Kestra's cell semantics, quoting, headers, bad lines, charsets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from serdes_support import ion_of, load, put_ion, put_text, run, text_of

from legato.expressions.filters.dateformats import formatter
from legato.plugins.serdes.text_values import (
    DEFAULT_DATE,
    DEFAULT_DATE_TIME,
    DEFAULT_TIME,
    text_formats,
)
from legato.sdk.run_context import TaskError


def csv_to_ion(ctx: Any, text: str, **props: Any) -> list[Any]:
    outputs = run(ctx, "csv.CsvToIon", **{"from": put_text(ctx, text, "in.csv"), **props})
    assert outputs["uri"].endswith(".ion")
    return ion_of(ctx, outputs["uri"])


def ion_to_csv(ctx: Any, rows: list[Any], **props: Any) -> str:
    outputs = run(ctx, "csv.IonToCsv", **{"from": put_ion(ctx, rows), **props})
    assert outputs["uri"].endswith(".csv")
    return text_of(ctx, outputs["uri"])


def test_csv_cells_become_strings_keyed_by_the_header(ctx: Any) -> None:
    rows = csv_to_ion(ctx, "id,name,price\n1,Ada,1.50\n2,Bob,\\N\n")
    assert rows == [
        {"id": "1", "name": "Ada", "price": "1.50"},
        {"id": "2", "name": "Bob", "price": None},
    ]
    assert ("records", 2, "counter") in ctx.metrics


def test_quoted_fields_keep_separators_quotes_and_newlines(ctx: Any) -> None:
    rows = csv_to_ion(ctx, 'a,b\n"x,1","say ""hi""\nthere"\n')
    assert rows == [{"a": "x,1", "b": 'say "hi"\nthere'}]


def test_without_header_rows_are_lists(ctx: Any) -> None:
    assert csv_to_ion(ctx, "1;2\n3;4\n", header=False, fieldSeparator=";") == [
        ["1", "2"],
        ["3", "4"],
    ]


def test_skip_rows_counts_records_before_the_header(ctx: Any) -> None:
    text = 'junk\n"multi\nline"\nid\n7\n'
    assert csv_to_ion(ctx, text, skipRows=2) == [{"id": "7"}]
    assert csv_to_ion(ctx, "id\n7\n", skipRows=-3) == [{"id": "7"}]


def test_bom_and_unicode_and_other_charsets(ctx: Any) -> None:
    assert csv_to_ion(ctx, "\ufeffnom,ville\nZoé,Zürich 😀\n") == [
        {"nom": "Zoé", "ville": "Zürich 😀"}
    ]
    uri = put_text(ctx, "nom\nZoé\n", "latin.csv", encoding="latin-1")
    outputs = run(ctx, "csv.CsvToIon", **{"from": uri, "charset": "ISO-8859-1"})
    assert ion_of(ctx, outputs["uri"]) == [{"nom": "Zoé"}]


def test_undecodable_text_names_the_charset_to_set(ctx: Any) -> None:
    uri = put_text(ctx, "nom\nZoé\n", "latin.csv", encoding="latin-1")
    with pytest.raises(TaskError, match="set 'charset'"):
        run(ctx, "csv.CsvToIon", **{"from": uri})


def test_empty_file_and_header_only_give_no_rows(ctx: Any) -> None:
    assert csv_to_ion(ctx, "") == []
    assert csv_to_ion(ctx, "a,b\n") == []


def test_different_field_count_fails_naming_the_line(ctx: Any) -> None:
    text = "a,b\n1,2\n3\n"
    with pytest.raises(TaskError, match=r"'kestra:///.*in.csv' line 3: expected 2 fields.*got 1"):
        csv_to_ion(ctx, text)
    with pytest.raises(TaskError, match="line 3"):
        csv_to_ion(ctx, text, errorOnDifferentFieldCount=True)


def test_bad_lines_can_be_skipped_with_a_warning(ctx: Any) -> None:
    assert csv_to_ion(ctx, "a,b\n1,2\n3\n4,5,6\n7,8\n", onBadLines="WARN") == [
        {"a": "1", "b": "2"},
        {"a": "7", "b": "8"},
    ]
    assert next(m for level, m in ctx.logger.lines if level == "WARN").startswith("Bad line")
    assert csv_to_ion(ctx, "a,b\n3\n", onBadLines="SKIP") == []


def test_legacy_lenient_field_count_pads_and_truncates(ctx: Any) -> None:
    rows = csv_to_ion(ctx, "a,b\n1\n1,2,3\n", errorOnDifferentFieldCount=False)
    assert rows == [{"a": "1", "b": None}, {"a": "1", "b": "2"}]


def test_empty_rows_are_rows_unless_skipped(ctx: Any) -> None:
    assert csv_to_ion(ctx, "a\n1\n\n2\n") == [{"a": "1"}, {"a": ""}, {"a": "2"}]
    assert csv_to_ion(ctx, "a\n1\n\n2\n", skipEmptyRows=True) == [{"a": "1"}, {"a": "2"}]


def test_unnamed_trailing_header_columns(ctx: Any) -> None:
    assert csv_to_ion(ctx, "a,b,,\n1,2,3,4\n") == [{"a": "1", "b": "2"}]
    assert csv_to_ion(ctx, "a,,c\n1,2,3\n", onEmptyHeader="RENAME") == [
        {"a": "1", "col_1": "2", "c": "3"}
    ]


def test_a_malformed_quote_is_a_bad_line(ctx: Any) -> None:
    with pytest.raises(TaskError, match="line 2"):
        csv_to_ion(ctx, 'a\n"x"y\n')
    assert csv_to_ion(ctx, 'a\n"x"y\n', allowExtraCharsAfterClosingQuote=True) == [{"a": "xy"}]


def test_separator_must_be_one_character(ctx: Any) -> None:
    with pytest.raises(TaskError, match="'fieldSeparator' must be a single character"):
        csv_to_ion(ctx, "a\n", fieldSeparator=";;")


def test_legacy_type_name_and_deprecation() -> None:
    task = load({"type": "csv.CsvReader", "from": "kestra:///x.csv"})
    assert type(task).__name__ == "CsvToIon"


# --- IonToCsv


def test_ion_rows_to_csv_with_header_and_quoting(ctx: Any) -> None:
    rows = [
        {"id": 1, "name": "Ada, Countess", "note": 'say "hi"', "empty": None},
        {"id": 2, "name": "multi\nline", "note": "", "empty": True},
    ]
    assert ion_to_csv(ctx, rows) == (
        'id,name,note,empty\n1,"Ada, Countess","say ""hi""",\n2,"multi\nline",,true\n'
    )


def test_quote_modes_and_delimiters(ctx: Any) -> None:
    rows = [{"a": "x", "b": 1.5, "c": None}]
    assert ion_to_csv(ctx, rows, header=False, quoteMode="ALWAYS") == '"x","1.5",""\n'
    assert ion_to_csv(ctx, rows, header=False, quoteMode="NON_NUMERIC") == '"x",1.5,\n'
    assert ion_to_csv(ctx, rows, header=False, alwaysDelimitText=True) == '"x","1.5",""\n'
    assert (
        ion_to_csv(ctx, rows, fieldSeparator=";", textDelimiter="'", lineDelimiter="\r\n")
        == "a;b;c\r\nx;1.5;\r\n"
    )


def test_values_print_as_kestra_prints_them(ctx: Any) -> None:
    paris = timezone(timedelta(hours=2))
    rows = [
        {
            "int": 10**20,
            "dec": Decimal("12.30"),
            "dbl": 1e10,
            "day": date(2024, 1, 2),
            "instant": datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=UTC),
            "offset": datetime(2024, 1, 2, 3, 4, 5, tzinfo=paris),
            "local": datetime(2024, 1, 2, 3, 4, 5),
            "clock": time(10, 15, 30),
            "list": [1, "a"],
            "bytes": b"hi",
        }
    ]
    line = ion_to_csv(ctx, rows, header=False, timeZoneId="Europe/Paris").strip()
    assert line == (
        "100000000000000000000,12.30,1.0E10,2024-01-02,2024-01-02T03:04:05.120Z,"
        '2024-01-02T02:04:05.000+01:00,2024-01-02T03:04:05.000Z,10:15:30,"[1,""a""]",aGk='
    )


def test_custom_date_formats(ctx: Any) -> None:
    rows = [{"d": date(2024, 1, 2), "t": datetime(2024, 1, 2, 3, 4, tzinfo=UTC)}]
    text = ion_to_csv(ctx, rows, header=False, dateFormat="dd/MM/yyyy", dateTimeFormat="HH:mm")
    assert text == "02/01/2024,03:04\n"


def test_list_rows_need_header_false(ctx: Any) -> None:
    with pytest.raises(TaskError, match="set 'header: false'"):
        ion_to_csv(ctx, [[1, 2]])
    assert ion_to_csv(ctx, [[1, 2]], header=False) == "1,2\n"


def test_empty_ion_gives_an_empty_csv(ctx: Any) -> None:
    assert ion_to_csv(ctx, []) == ""


def test_csv_round_trip_keeps_every_cell(ctx: Any) -> None:
    text = 'a,b\n"x,y","line\nbreak"\nü,""""\n'
    rows = csv_to_ion(ctx, text)
    assert ion_to_csv(ctx, rows) == text


def test_missing_source_file_is_named(ctx: Any) -> None:
    with pytest.raises(TaskError, match="not found in internal storage"):
        run(ctx, "csv.IonToCsv", **{"from": "kestra:///nope.ion"})
    with pytest.raises(TaskError, match="internal-storage URI"):
        run(ctx, "csv.IonToCsv", **{"from": "/tmp/x.ion"})


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(
            1999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5, minutes=-30))
        ),
        datetime(2024, 6, 1, 0, 0, 0, 1000, tzinfo=timezone(timedelta(hours=14))),
    ],
)
def test_fast_default_formats_match_the_java_patterns(moment: datetime) -> None:
    fast = text_formats(DEFAULT_DATE, DEFAULT_TIME, DEFAULT_DATE_TIME, "UTC")
    assert fast.date_time(moment) == formatter(DEFAULT_DATE_TIME)(moment)
    assert fast.date(moment) == formatter(DEFAULT_DATE)(moment)

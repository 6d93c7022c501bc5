"""The COPY statement text: Kestra's shape, unquoted columns, option order and literal quoting."""

from __future__ import annotations

from legato.plugins.jdbc.copy_statement import (
    FROM_STDIN,
    TO_STDOUT,
    CopyOptions,
    copy_statement,
    literal,
    option_clauses,
    query_source,
    table_source,
)


def test_a_bare_table_in_text_format_has_no_with_clause() -> None:
    assert copy_statement(table_source("trips"), FROM_STDIN, CopyOptions()) == (
        "COPY trips FROM STDIN"
    )


def test_columns_are_written_unquoted_so_mixed_case_folds_like_kestra() -> None:
    source = table_source("public.yellow_staging", ["VendorID", "tpep_pickup_datetime"])
    statement = copy_statement(source, FROM_STDIN, CopyOptions(format="CSV", header=True))
    assert statement == (
        "COPY public.yellow_staging (VendorID, tpep_pickup_datetime) FROM STDIN "
        "WITH (FORMAT CSV, HEADER TRUE)"
    )


def test_a_query_source_is_parenthesised_as_given() -> None:
    statement = copy_statement(query_source("SELECT 1 AS n"), TO_STDOUT, CopyOptions(format="CSV"))
    assert statement == "COPY (SELECT 1 AS n) TO STDOUT WITH (FORMAT CSV)"


def test_every_option_appears_in_kestras_order() -> None:
    options = CopyOptions(
        format="CSV",
        oids=True,
        freeze=True,
        delimiter=";",
        null_string="NA",
        header=False,
        quote='"',
        escape="\\",
        force_quote=["a", "b"],
        force_not_null=["c"],
        force_null=["d", "e"],
        encoding="UTF8",
    )
    assert option_clauses(options) == [
        "FORMAT CSV",
        "OIDS",
        "FREEZE",
        "DELIMITER ';'",
        "NULL 'NA'",
        "HEADER FALSE",
        "QUOTE '\"'",
        "ESCAPE '\\'",
        "FORCE_QUOTE (a, b)",
        "FORCE_NOT_NULL (c)",
        "FORCE_NULL (d, e)",
        "ENCODING 'UTF8'",
    ]


def test_false_flags_and_empty_lists_are_left_out() -> None:
    options = CopyOptions(format="BINARY", oids=False, freeze=False, force_quote=[], force_null=[])
    assert option_clauses(options) == ["FORMAT BINARY"]


def test_force_quote_star_stays_a_star() -> None:
    assert option_clauses(CopyOptions(format="CSV", force_quote=["*"])) == [
        "FORMAT CSV",
        "FORCE_QUOTE *",
    ]


def test_text_values_are_literals_with_quotes_doubled() -> None:
    assert literal("it's") == "'it''s'"
    assert literal("\\N") == "'\\N'"
    assert option_clauses(CopyOptions(quote="'", null_string="")) == ["NULL ''", "QUOTE ''''"]


def test_a_tab_delimiter_is_kept_as_the_character_itself() -> None:
    assert option_clauses(CopyOptions(delimiter="\t")) == ["DELIMITER '\t'"]

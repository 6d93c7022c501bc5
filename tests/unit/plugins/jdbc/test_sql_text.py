"""Statement splitting and ``:name`` binding know quotes, dollar quotes and comments."""

from __future__ import annotations

import pytest

from legato.plugins.jdbc.sql_text import (
    MissingParameterError,
    bind_named,
    placeholder_names,
    scan,
    split_statements,
    trimmed,
)


def test_scan_gives_back_the_text_unchanged() -> None:
    sql = "select 'a;b', \"c\" -- d\n/* e /* f */ g */ $x$h$x$ from t"
    pieces = list(scan(sql))
    assert "".join(p.text for p in pieces) == sql
    assert [p.kind for p in pieces] == [
        "code", "quoted", "code", "quoted", "code", "comment", "comment", "code", "quoted", "code",
    ]  # fmt: skip


def test_split_ignores_semicolons_in_quotes_and_comments() -> None:
    sql = """
        insert into t values ('a;b', 'it''s; fine');
        -- a comment; with a semicolon
        select "odd;name" from t; /* block; /* nested; */ still; */
        create function f() returns int as $body$ begin; return 1; end $body$ language plpgsql;
        select $$x;y$$, E'back\\'slash;', `tick;`;
        ;;
        -- trailing comment only
    """
    assert split_statements(sql) == [
        "insert into t values ('a;b', 'it''s; fine')",
        '-- a comment; with a semicolon\n        select "odd;name" from t',
        "/* block; /* nested; */ still; */\n        create function f() returns int as "
        "$body$ begin; return 1; end $body$ language plpgsql",
        "select $$x;y$$, E'back\\'slash;', `tick;`",
    ]


def test_split_of_nothing_and_of_unterminated_quotes() -> None:
    assert split_statements("  ;  -- only\n") == []
    assert split_statements("select 'open; still open") == ["select 'open; still open"]
    assert split_statements("select 1") == ["select 1"]


def test_dollar_sign_inside_a_word_or_a_positional_parameter_is_not_a_quote() -> None:
    assert split_statements("select a$b$c; select $1; select 2") == [
        "select a$b$c",
        "select $1",
        "select 2",
    ]


def test_bind_replaces_placeholders_in_code_only() -> None:
    sql = (
        "select :a::int, x::text, arr[1:n], ':a', \":a\", $$:a$$ -- :a\n"
        "/* :a */ from t where b = :b and c = :a"
    )
    query, values = bind_named(sql, {"a": 1, "b": None, "n": 9}, lambda i: f"${i + 1}")
    assert query == (
        "select $1::int, x::text, arr[1:n], ':a', \":a\", $$:a$$ -- :a\n"
        "/* :a */ from t where b = $2 and c = $3"
    )
    assert values == [1, None, 1]
    assert placeholder_names(sql) == ["a", "b", "a"]


def test_bind_doubles_percent_signs_for_pyformat_drivers() -> None:
    query, values = bind_named(
        "select '5%' like :p, 7 % 2", {"p": "5%"}, lambda _: "%s", escape_percent=True
    )
    assert query == "select '5%%' like %s, 7 %% 2"
    assert values == ["5%"]


def test_a_placeholder_without_a_parameter_names_itself() -> None:
    with pytest.raises(MissingParameterError, match="missing"):
        bind_named("select :missing", {"other": 1}, lambda _: "?")


def test_trimmed_is_one_line_and_bounded() -> None:
    assert trimmed("select\n   1\n from   t") == "select 1 from t"
    long = trimmed("select " + "x, " * 200, limit=50)
    assert len(long) == 50 and long.endswith("…")

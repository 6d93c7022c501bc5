"""The text of a PostgreSQL ``COPY`` statement, built from rendered CopyIn/CopyOut properties.

The statement has Kestra's shape: ``COPY <source> <direction> [WITH (<options>)]`` where the
source is ``table [(col1, col2)]`` or ``(<query>)`` and the direction is ``FROM STDIN`` or
``TO STDOUT``.

Invariants (as Kestra's ``AbstractCopy.query`` writes it):

* the table name, the column names and the query are written as given: columns are NOT quoted,
  so ``VendorID`` folds to ``vendorid`` exactly as it does in Kestra; a query ignores columns;
* options appear in a fixed order: ``FORMAT`` (omitted for TEXT, the default), ``OIDS``,
  ``FREEZE`` (each only when true), ``DELIMITER``, ``NULL``, ``HEADER TRUE|FALSE`` (whenever
  set), ``QUOTE``, ``ESCAPE``, ``FORCE_QUOTE`` (``*`` alone stays ``*``), ``FORCE_NOT_NULL``,
  ``FORCE_NULL``, ``ENCODING``; no ``WITH`` clause when there is no option;
* text option values are SQL string literals with ``'`` doubled (Kestra pastes them raw, so a
  quote character as ``quote`` or in ``nullString`` would break its statement; ours does not).

Pure: no I/O, no rendering; ``CopyOptions`` holds already rendered values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Direction = Literal["FROM STDIN", "TO STDOUT"]
FROM_STDIN: Direction = "FROM STDIN"
TO_STDOUT: Direction = "TO STDOUT"


@dataclass(frozen=True)
class CopyOptions:
    """Rendered ``COPY`` options; None (or an empty list) leaves an option out."""

    format: str = "TEXT"
    oids: bool | None = None
    freeze: bool | None = None
    delimiter: str | None = None
    null_string: str | None = None
    header: bool | None = None
    quote: str | None = None
    escape: str | None = None
    force_quote: Sequence[str] = ()
    force_not_null: Sequence[str] = ()
    force_null: Sequence[str] = ()
    encoding: str | None = None


def literal(value: str) -> str:
    """``value`` as a standard SQL string literal (``'`` doubled; backslashes are plain
    characters, as with PostgreSQL's default ``standard_conforming_strings``)."""
    return "'" + value.replace("'", "''") + "'"


def table_source(table: str, columns: Sequence[str] = ()) -> str:
    """``table`` followed by its column list, both as given (unquoted)."""
    return f"{table} ({', '.join(columns)})" if columns else table


def query_source(query: str) -> str:
    """A query as a ``COPY`` source: in parentheses, as given."""
    return f"({query})"


def copy_statement(source: str, direction: Direction, options: CopyOptions) -> str:
    """``COPY <source> <direction>`` with the ``WITH (...)`` clause of ``options``."""
    clauses = option_clauses(options)
    statement = f"COPY {source} {direction}"
    return f"{statement} WITH ({', '.join(clauses)})" if clauses else statement


def option_clauses(options: CopyOptions) -> list[str]:
    """The option clauses of ``options``, in Kestra's order (see the module invariants)."""
    clauses: list[str] = []
    if options.format != "TEXT":
        clauses.append(f"FORMAT {options.format}")
    if options.oids:
        clauses.append("OIDS")
    if options.freeze:
        clauses.append("FREEZE")
    clauses += _text("DELIMITER", options.delimiter)
    clauses += _text("NULL", options.null_string)
    if options.header is not None:
        clauses.append(f"HEADER {'TRUE' if options.header else 'FALSE'}")
    clauses += _text("QUOTE", options.quote)
    clauses += _text("ESCAPE", options.escape)
    if list(options.force_quote) == ["*"]:
        clauses.append("FORCE_QUOTE *")
    else:
        clauses += _column_list("FORCE_QUOTE", options.force_quote)
    clauses += _column_list("FORCE_NOT_NULL", options.force_not_null)
    clauses += _column_list("FORCE_NULL", options.force_null)
    clauses += _text("ENCODING", options.encoding)
    return clauses


def _text(name: str, value: str | None) -> list[str]:
    return [] if value is None else [f"{name} {literal(value)}"]


def _column_list(name: str, columns: Sequence[str]) -> list[str]:
    return [f"{name} ({', '.join(columns)})"] if columns else []

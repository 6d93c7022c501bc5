"""Running a JDBC ``Query`` or ``Queries`` on a ``SqlSession``, with Kestra's semantics.

* ``fetchType`` is resolved as Kestra does: the deprecated ``fetch``, then ``fetchOne``, then
  ``store`` win over it. ``fetchSize`` is the chunk size of a STORE result.
* ``Query`` runs exactly one statement (a trailing ``;`` is fine; more statements fail, pointing
  to ``Queries``) in auto-commit mode. With ``afterSQL`` both run in one transaction: the main
  statement's rows are fetched first, then ``afterSQL`` runs, then both commit (or neither).
* ``Queries`` splits ``sql`` on ``;`` outside quotes and comments. With ``transaction`` (=true)
  all statements run in one transaction, rolled back entirely when one fails (or when the run is
  killed between two statements); otherwise each commits on its own. Output ``outputs``: one
  entry per statement that returned rows. A failing COMMIT is reported as a statement.
* ``parameters`` bind ``:name`` placeholders in every statement (and ``afterSQL``).
* A database error fails the task with the database's message and the statement, trimmed:
  ``PostgreSQL rejected the statement: <message>\\n  in: <statement>``. A placeholder without a
  parameter, a bad ``timeZoneId`` and a multi-statement ``Query`` fail without retry.
* ``afterSQL`` holds one statement; more fail, pointing to ``Queries``.
* A kill (or timeout) of the task run cancels the running statement (``cancel.py``).
* Each run records the counter ``fetch.size`` (rows fetched) tagged ``fetch`` and ``store``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from legato.plugins.jdbc.base import Statement
from legato.plugins.jdbc.cancel import cancelled_on_kill
from legato.plugins.jdbc.results import FetchKind, collect
from legato.plugins.jdbc.session import SqlSession
from legato.plugins.jdbc.sql_text import MissingParameterError, split_statements, trimmed
from legato.sdk.run_context import RunContext, TaskError


@dataclass(frozen=True)
class Settings:
    """The rendered statement properties of a task."""

    fetch_type: FetchKind
    fetch_size: int
    parameters: dict[str, Any] | None
    time_zone: str | None
    zone: tzinfo
    after_sql: str | None


def render_settings(
    ctx: RunContext, task: Statement, extra: Mapping[str, Any] | None = None
) -> Settings:
    """Render ``task``'s statement properties (``extra`` adds variables, e.g. ``workingDir``)."""
    time_zone = ctx.render_string(task.timeZoneId, extra) if task.timeZoneId else None
    after = ctx.render_string(task.afterSQL, extra).strip() if task.afterSQL else ""
    return Settings(
        fetch_type=fetch_type(ctx, task),
        fetch_size=ctx.render_as(task.fetchSize, int),
        parameters=_parameters(ctx, task, extra),
        time_zone=time_zone,
        zone=_zone(time_zone),
        after_sql=after or None,
    )


def fetch_type(ctx: RunContext, task: Statement) -> FetchKind:
    """The effective fetch type: deprecated booleans first, as Kestra checks them."""
    if task.fetch:
        return "FETCH"
    if task.fetchOne:
        return "FETCH_ONE"
    if task.store:
        return "STORE"
    value = ctx.render_string(task.fetchType)
    if value not in ("FETCH", "FETCH_ONE", "STORE", "NONE"):
        raise TaskError(
            f"fetchType rendered to '{value}'; expected FETCH, FETCH_ONE, STORE or NONE",
            retryable=False,
        )
    return value  # type: ignore[return-value]


def _parameters(
    ctx: RunContext, task: Statement, extra: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    if task.parameters is None:
        return None
    rendered = ctx.render(task.parameters, extra)
    if not isinstance(rendered, Mapping):
        raise TaskError(
            f"parameters must render to a map of name to value, got {type(rendered).__name__}",
            retryable=False,
        )
    return {str(k): v for k, v in rendered.items()}


def _zone(name: str | None) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TaskError(
            f"timeZoneId '{name}' is not a known time zone; use a name such as 'Europe/Paris' "
            "or 'UTC'",
            retryable=False,
        ) from None


@contextmanager
def reported(session: SqlSession, statement: str) -> Iterator[None]:
    """Turn the database's errors while running ``statement`` into a clear ``TaskError``."""
    try:
        yield
    except MissingParameterError as missing:
        raise TaskError(
            f"parameters has no value for the placeholder ':{missing.args[0]}'\n"
            f"  in: {trimmed(statement)}\n"
            "Add it to parameters (a '::' cast is never a placeholder).",
            retryable=False,
        ) from None
    except session.errors as error:
        raise TaskError(
            f"{session.dialect} rejected the statement: {session.error_message(error)}\n"
            f"  in: {trimmed(statement)}"
        ) from error


def run_query(ctx: RunContext, settings: Settings, session: SqlSession, sql: str) -> dict[str, Any]:
    """Kestra's ``Query``: one statement (and ``afterSQL``); its outputs."""
    statements = split_statements(sql)
    if len(statements) != 1:
        found = "no statement" if not statements else f"{len(statements)} statements"
        raise TaskError(
            f"Query runs exactly one SQL statement but sql has {found}; use the Queries task "
            "to run several.",
            retryable=False,
        )
    statement = statements[0]
    if settings.after_sql and len(split_statements(settings.after_sql)) > 1:
        raise TaskError(
            "afterSQL runs exactly one SQL statement; use the Queries task to run several.",
            retryable=False,
        )
    if settings.after_sql:
        session.begin()
    try:
        outputs, size = _run_one(ctx, settings, session, statement)
        if settings.after_sql:
            _run_one(ctx, settings, session, settings.after_sql, fetch="NONE")
            _commit(session)
    except BaseException:
        if settings.after_sql:
            _quietly_roll_back(session)
        raise
    _count(ctx, settings, size)
    return outputs


def run_queries(
    ctx: RunContext, settings: Settings, session: SqlSession, sql: str, *, transaction: bool
) -> dict[str, Any]:
    """Kestra's ``Queries``: every statement in order; ``outputs`` of those returning rows."""
    if transaction:
        session.begin()
    outputs: list[dict[str, Any]] = []
    total = 0
    try:
        for statement in split_statements(sql):
            if ctx.is_killed():
                raise TaskError("the task run was killed before all statements ran")
            result = _run_statement(ctx, settings, session, statement)
            if result is not None:
                outputs.append(result[0])
                total += result[1]
        if transaction:
            _commit(session)
    except BaseException:
        if transaction:
            _quietly_roll_back(session)
        raise
    _count(ctx, settings, total)
    return {"outputs": outputs}


def _run_one(
    ctx: RunContext,
    settings: Settings,
    session: SqlSession,
    statement: str,
    fetch: FetchKind | None = None,
) -> tuple[dict[str, Any], int]:
    result = _run_statement(ctx, settings, session, statement, fetch)
    return result if result is not None else ({"row": None}, 0)


def _run_statement(
    ctx: RunContext,
    settings: Settings,
    session: SqlSession,
    statement: str,
    fetch: FetchKind | None = None,
) -> tuple[dict[str, Any], int] | None:
    kind = fetch or settings.fetch_type
    ctx.logger.debug(f"Starting query: {statement}")
    with reported(session, statement), cancelled_on_kill(ctx, session.cancel):
        stream = settings.fetch_size if kind == "STORE" else None
        result = session.execute(statement, settings.parameters, stream=stream)
        if result is None:
            return None
        return collect(ctx, result, kind, settings.zone)


def _commit(session: SqlSession) -> None:
    with reported(session, "COMMIT"):
        session.commit()


def _quietly_roll_back(session: SqlSession) -> None:
    try:
        session.rollback()
    except session.errors:
        return  # the connection is already unusable; the original error matters


def _count(ctx: RunContext, settings: Settings, size: int) -> None:
    fetched = settings.fetch_type in ("FETCH", "FETCH_ONE")
    tags = {"fetch": str(fetched).lower(), "store": str(settings.fetch_type == "STORE").lower()}
    ctx.metric("fetch.size", size, "counter", tags)

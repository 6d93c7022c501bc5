"""Properties shared by JDBC tasks and triggers (Kestra's ``plugin-jdbc`` base classes).

* ``Query`` runs one statement; ``fetchType`` FETCH|FETCH_ONE|STORE|NONE (=NONE) decides the
  outputs. The deprecated booleans ``fetch``/``fetchOne``/``store`` are accepted with a warning
  and, at run time, win over ``fetchType`` (Kestra checks fetch, then fetchOne, then store).
* ``Queries`` runs ``;``-separated statements, in one transaction unless ``transaction: false``.
* A JDBC ``Trigger`` polls ``sql`` every ``interval`` (=PT60S).

Each dialect sets the type of ``url`` so literal URLs are checked against its form.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from legato.model.property import Duration, Dyn
from legato.sdk import PollingTrigger, RunnableTask
from legato.sdk.scripts import note_deprecated

FetchType = Literal["FETCH", "FETCH_ONE", "STORE", "NONE"]

DEPRECATED_FETCH = {
    "fetch": "use 'fetchType: FETCH' instead",
    "fetchOne": "use 'fetchType: FETCH_ONE' instead",
    "store": "use 'fetchType: STORE' instead",
}


class Connection(BaseModel):
    """Connection properties of every JDBC task and trigger."""

    url: Dyn[str]
    username: Dyn[str] | None = None
    password: Dyn[str] | None = None


class Statement(Connection):
    """What a statement needs besides a connection: the SQL and how to return rows."""

    deprecated_properties: ClassVar[dict[str, str]] = DEPRECATED_FETCH

    timeZoneId: Dyn[str] | None = None
    sql: Dyn[str]
    afterSQL: Dyn[str] | None = None
    fetchType: Dyn[FetchType] = "NONE"
    fetchSize: Dyn[int] = 10000
    parameters: Dyn[dict[str, Any]] | None = None
    fetch: bool = False
    fetchOne: bool = False
    store: bool = False

    @model_validator(mode="after")
    def _note_deprecated(self, info: ValidationInfo) -> Statement:
        note_deprecated(self, info, self.deprecated_properties)
        return self


class QueryTask(Statement, RunnableTask):
    """A task running one SQL statement."""


class QueriesTask(Statement, RunnableTask):
    """A task running several ``;``-separated statements."""

    transaction: Dyn[bool] = True


class JdbcTrigger(Statement, PollingTrigger):
    """A trigger that runs ``sql`` every ``interval`` and fires when it returns rows."""

    interval: Duration = Field(default=timedelta(seconds=60))
    sql: Dyn[str] | None = None  # type: ignore[assignment]

"""Core time triggers: ``trigger.Schedule`` (a cron expression) and ``trigger.ScheduleOnDates``
(a list of dates).

Invariants (checked at validation):

* ``cron`` has 5 fields (minute hour day-of-month month day-of-week), or 6 with a leading
  seconds field when ``withSeconds`` is true, or is one of the nicknames ``@yearly``,
  ``@annually``, ``@monthly``, ``@weekly``, ``@daily``, ``@midnight``, ``@hourly``. Day-of-week
  0 and 7 are both Sunday; month and day names are accepted; the Quartz specials ``L``, ``W``,
  ``#`` and ``?`` are not (Kestra's cron definition does not enable them). The message names the
  expression and the expected form.
* ``timezone`` is an IANA zone id (``Europe/Paris``, ``UTC``) or a fixed offset (``+02:00``);
  when absent the server's zone is used.
* ``backfill`` and ``scheduleConditions`` are deprecated but accepted.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, ValidationInfo, field_validator, model_validator

from legato.model.property import Duration, Dyn
from legato.plugins.core.values import note_deprecated_properties
from legato.sdk import Conditions, Trigger, plugin

NICKNAMES = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)

_OFFSET = re.compile(r"^(?:Z|(?:UTC|GMT|UT)?[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?|UTC|GMT|UT)$")

RecoverMissedSchedules = Literal["ALL", "NONE", "LAST"]

_NAMES = re.compile(r"JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|MON|TUE|WED|THU|FRI|SAT|SUN")
#: Quartz-style specials (last day, nearest weekday, nth weekday, no value) that Kestra's
#: Unix cron definition does not enable
_QUARTZ_SPECIALS = frozenset("LW#?")


def check_timezone(value: str | None) -> str | None:
    """Accept an IANA zone id or a fixed offset, as Java's ``ZoneId.of`` does."""
    if value is None or _OFFSET.match(value):
        return value
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{value}' is not a known time zone; use an IANA zone id such as 'Europe/Paris' "
            "or 'UTC', or an offset such as '+02:00'"
        ) from None
    return value


Timezone = Annotated[str, AfterValidator(check_timezone)]


def cron_problem(cron: str, *, with_seconds: bool) -> str | None:
    """Why ``cron`` is not a valid Kestra cron expression, or None when it is valid."""
    from croniter import croniter  # loaded by the first cron checked, not with the registry

    text = cron.strip()
    if text.lower() in NICKNAMES:
        return None
    fields = text.split()
    expected = 6 if with_seconds else 5
    form = (
        "6 fields (second minute hour day-of-month month day-of-week) since 'withSeconds' is true"
        if with_seconds
        else "5 fields (minute hour day-of-month month day-of-week), 6 with 'withSeconds: true'"
    )
    hint = f"expected {form}, or a nickname such as @hourly, @daily, @weekly, @monthly, @yearly"
    if len(fields) != expected:
        return f"invalid cron expression '{cron}': it has {len(fields)} fields; {hint}"
    special = _quartz_special(fields)
    if special:
        return (
            f"invalid cron expression '{cron}': '{special}' is not supported in a Unix cron; {hint}"
        )
    if with_seconds:
        seconds, fields = fields[0], fields[1:]
        if not croniter.is_valid(f"{seconds} * * * *"):
            return f"invalid cron expression '{cron}': bad seconds field '{seconds}'; {hint}"
    if not croniter.is_valid(" ".join(fields)):
        return f"invalid cron expression '{cron}': a field is out of range or malformed; {hint}"
    return None


def _quartz_special(fields: list[str]) -> str | None:
    for field in fields:
        rest = _NAMES.sub("", field.upper())
        found = sorted(_QUARTZ_SPECIALS.intersection(rest))
        if found:
            return found[0]
    return None


@plugin(
    "io.kestra.plugin.core.trigger.Schedule",
    aliases=("io.kestra.core.models.triggers.types.Schedule",),
    title="Start executions on a cron schedule.",
)
class Schedule(Trigger):
    """Start an execution at each date matched by ``cron`` in ``timezone``."""

    withSeconds: bool = False
    cron: str
    timezone: Timezone | None = None
    inputs: dict[str, Any] | None = None
    lateMaximumDelay: Duration | None = None
    backfill: dict[str, Any] | None = None
    recoverMissedSchedules: RecoverMissedSchedules | None = None
    scheduleConditions: Conditions | None = None

    @field_validator("cron")
    @classmethod
    def _cron_parses(cls, cron: str, info: ValidationInfo) -> str:
        # ``withSeconds`` is declared first, so it is already validated here
        problem = cron_problem(cron, with_seconds=bool(info.data.get("withSeconds")))
        if problem:
            raise ValueError(problem)
        return cron

    @model_validator(mode="before")
    @classmethod
    def _deprecated_properties(cls, data: Any, info: ValidationInfo) -> Any:
        return note_deprecated_properties(
            data,
            info,
            {
                "backfill": "start a backfill from the API or the UI",
                "scheduleConditions": "use 'conditions'",
            },
        )


@plugin(
    "io.kestra.plugin.core.trigger.ScheduleOnDates",
    title="Start executions at a list of dates.",
)
class ScheduleOnDates(Trigger):
    """Start an execution at each of ``dates``."""

    dates: Dyn[list[AwareDatetime]]
    timezone: Timezone | None = None
    inputs: dict[str, Any] | None = None
    recoverMissedSchedules: RecoverMissedSchedules | None = None

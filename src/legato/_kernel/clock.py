"""The clock is injected: pure code receives ``now`` instead of reading the wall clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Tells the current time, always timezone-aware."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock stopped at ``at``; tests move it by assigning ``at``."""

    at: datetime

    def now(self) -> datetime:
        return self.at

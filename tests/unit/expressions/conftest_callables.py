"""Helpers for the filter and function tests: a deterministic engine and a fake CallContext.

``render``/``typed`` go through the real engine (fixed clock, seeded random source);
``FakeContext`` lets a test call a filter or function directly and inspect what it asked for.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from legato._kernel.clock import FixedClock
from legato.errors import ExpressionEvaluationError
from legato.expressions import Environment
from legato.expressions.platform import Platform

NOW = datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
ENV = Environment(clock=FixedClock(NOW), random=random.Random(7))


def render(source: str, **variables: Any) -> str:
    return ENV.render(source, variables)


def typed(source: str, **variables: Any) -> Any:
    return ENV.render_typed(source, variables)


@dataclass
class FakeContext:
    """A CallContext whose clock, random draws, limits and renders are visible to the test."""

    scope: dict[str, Any] = field(default_factory=dict)
    services: Platform | None = None
    at: datetime = NOW
    draws: list[int] = field(default_factory=list)
    max_size: int = 1000
    sizes: list[tuple[int, str]] = field(default_factory=list)
    rendered: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def variables(self) -> Mapping[str, Any]:
        return self.scope

    @property
    def platform(self) -> Platform | None:
        return self.services

    def now(self) -> datetime:
        return self.at

    def random_int(self, lower: int, upper_exclusive: int) -> int:
        value = self.draws.pop(0) if self.draws else lower
        assert lower <= value < upper_exclusive
        return value

    def render(self, template: str, variables: Mapping[str, Any], *, recursive: bool) -> Any:
        self.rendered.append((template, recursive))
        return template.upper()

    def check_size(self, length: int, what: str) -> None:
        self.sizes.append((length, what))
        if length > self.max_size:
            raise ExpressionEvaluationError(f"{what} is too big: {length}")

"""Retry policies (``retry:`` on a task, a flowable or the flow), Kestra's three kinds.

Rules checked here: ``maxAttempts`` ≥ 1 (it counts the first attempt); ``interval`` must be below
``maxDuration``; exponential also needs ``interval`` below ``maxInterval``; random needs
``minInterval`` below ``maxInterval``.

Kestra renamed ``maxAttempt`` to ``maxAttempts`` (kestra-io/kestra#9729) and still reads the old
name. Both are accepted here and land in ``maxAttempts``. Where Kestra lets the later key win
when both are written (kestra-io/kestra#18762), we refuse two different values: the outcome
must not depend on line order.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from legato.model.property import Duration

RetryBehavior = Literal["RETRY_FAILED_TASK", "CREATE_NEW_EXECUTION"]


class _RetryBase(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    maxAttempts: int | None = Field(None, ge=1)
    #: deprecated name of ``maxAttempts``, copied into it
    maxAttempt: int | None = Field(None, ge=1)
    maxDuration: Duration | None = None
    warningOnRetry: bool = False
    behavior: RetryBehavior = "RETRY_FAILED_TASK"

    @model_validator(mode="after")
    def _legacy_max_attempt(self) -> _RetryBase:
        if self.maxAttempt is None:
            return self
        if self.maxAttempts is not None and self.maxAttempts != self.maxAttempt:
            raise ValueError(
                "'maxAttempt' (deprecated) and 'maxAttempts' disagree; keep only 'maxAttempts'"
            )
        self.maxAttempts = self.maxAttempt
        return self

    def _check_below_max_duration(self, interval: timedelta | None, name: str) -> None:
        if interval is not None and self.maxDuration is not None and interval >= self.maxDuration:
            raise ValueError(f"'{name}' must be less than 'maxDuration'")


class ConstantRetry(_RetryBase):
    """Wait the same ``interval`` between attempts."""

    type: Literal["constant"]
    interval: Duration

    @model_validator(mode="after")
    def _rules(self) -> ConstantRetry:
        self._check_below_max_duration(self.interval, "interval")
        return self


class ExponentialRetry(_RetryBase):
    """Wait ``interval`` times ``delayFactor`` per attempt, capped at ``maxInterval``."""

    type: Literal["exponential"]
    interval: Duration
    maxInterval: Duration
    delayFactor: float | None = None

    @model_validator(mode="after")
    def _rules(self) -> ExponentialRetry:
        self._check_below_max_duration(self.interval, "interval")
        if self.interval >= self.maxInterval:
            raise ValueError("'interval' must be less than 'maxInterval'")
        return self


class RandomRetry(_RetryBase):
    """Wait a random time between ``minInterval`` and ``maxInterval``."""

    type: Literal["random"]
    minInterval: Duration
    maxInterval: Duration

    @model_validator(mode="after")
    def _rules(self) -> RandomRetry:
        self._check_below_max_duration(self.minInterval, "minInterval")
        if self.minInterval >= self.maxInterval:
            raise ValueError("'minInterval' must be less than 'maxInterval'")
        return self


Retry = Annotated[
    Union[ConstantRetry, ExponentialRetry, RandomRetry],  # noqa: UP007
    Field(discriminator="type"),
]

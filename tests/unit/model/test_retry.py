"""Retry policies and their interval rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from legato.model.retry import ConstantRetry, ExponentialRetry, RandomRetry, Retry

ADAPTER: TypeAdapter[Any] = TypeAdapter(Retry)


def test_constant_retry_reads_kestra_properties_and_defaults() -> None:
    retry = ADAPTER.validate_python({"type": "constant", "interval": "PT1S", "maxAttempt": 3})
    assert isinstance(retry, ConstantRetry)
    assert retry.interval == timedelta(seconds=1)
    assert retry.maxAttempts == 3
    assert retry.warningOnRetry is False
    assert retry.behavior == "RETRY_FAILED_TASK"


def test_exponential_and_random_retries() -> None:
    exp = ADAPTER.validate_python(
        {"type": "exponential", "interval": "PT1S", "maxInterval": "PT10S", "delayFactor": 3}
    )
    assert isinstance(exp, ExponentialRetry)
    assert exp.delayFactor == 3
    rnd = ADAPTER.validate_python({"type": "random", "minInterval": "PT1S", "maxInterval": "PT2S"})
    assert isinstance(rnd, RandomRetry)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"type": "constant", "interval": "PT10S", "maxDuration": "PT5S"},
            "'interval' must be less than 'maxDuration'",
        ),
        (
            {"type": "exponential", "interval": "PT10S", "maxInterval": "PT5S"},
            "'interval' must be less than 'maxInterval'",
        ),
        (
            {"type": "random", "minInterval": "PT5S", "maxInterval": "PT5S"},
            "'minInterval' must be less than 'maxInterval'",
        ),
        (
            {"type": "random", "minInterval": "PT5S", "maxInterval": "PT9S", "maxDuration": "PT1S"},
            "'minInterval' must be less than 'maxDuration'",
        ),
        ({"type": "constant", "interval": "PT1S", "maxAttempts": 0}, "greater than or equal to 1"),
        (
            {"type": "constant", "interval": "PT1S", "maxAttempts": 5, "maxAttempt": 2},
            "'maxAttempt' \\(deprecated\\) and 'maxAttempts' disagree",
        ),
        ({"type": "linear", "interval": "PT1S"}, "does not match any of the expected tags"),
        ({"type": "constant", "interval": "PT1S", "behavior": "AGAIN"}, "RETRY_FAILED_TASK"),
    ],
)
def test_rules_are_enforced_with_clear_messages(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ADAPTER.validate_python(raw)


def test_the_deprecated_max_attempt_name_is_read_as_max_attempts() -> None:
    retry = ADAPTER.validate_python({"type": "constant", "interval": "PT1S", "maxAttempt": 4})
    assert retry.maxAttempts == 4
    same = {"type": "constant", "interval": "PT1S", "maxAttempt": 4, "maxAttempts": 4}
    assert ADAPTER.validate_python(same).maxAttempts == 4

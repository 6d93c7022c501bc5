from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePosixPath

import pytest

from legato.sdk.run_context import TaskError
from legato.worker.masking import Masker
from legato.worker.outputs import task_outputs, to_json_value


def test_values_become_json_like() -> None:
    value = {
        "when": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "day": date(2024, 1, 2),
        "took": timedelta(seconds=90),
        "n": Decimal("3"),
        "x": Decimal("1.5"),
        "p": PurePosixPath("/tmp/a"),
        "t": (1, 2),
        1: None,
    }
    assert to_json_value(value, "outputs") == {
        "when": "2024-01-02T03:04:05+00:00",
        "day": "2024-01-02",
        "took": "PT1M30S",
        "n": 3,
        "x": 1.5,
        "p": "/tmp/a",
        "t": [1, 2],
        "1": None,
    }


def test_unstorable_value_names_the_output() -> None:
    with pytest.raises(TaskError, match=r"Output 'outputs\.bad\[0\]' has a value of type object"):
        to_json_value({"bad": [object()]}, "outputs")


def test_none_means_no_outputs_and_secrets_are_masked() -> None:
    masker = Masker()
    masker.register("s3")
    assert task_outputs(None, masker) is None
    assert task_outputs({"v": "x s3"}, masker) == {"v": "x ******"}


def test_run_must_return_a_mapping() -> None:
    with pytest.raises(TaskError, match="run\\(\\) returned a list"):
        task_outputs([1], Masker())


def test_outputs_over_the_size_limit_fail_clearly_and_are_not_retried() -> None:
    masker = Masker()
    assert task_outputs({"v": "x" * 90}, masker, limit=100) == {"v": "x" * 90}
    with pytest.raises(TaskError, match="over the limit of 100 bytes") as caught:
        task_outputs({"v": "x" * 100}, masker, limit=100)
    assert caught.value.retryable is False
    assert "kestra:// URI" in str(caught.value)

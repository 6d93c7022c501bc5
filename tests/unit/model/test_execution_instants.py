"""Instants in execution JSON follow Java's Instant.toString (what Kestra's API returns)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from legato.model.execution import State, StateType, _iso_instant


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2024, 5, 1, 3, 4, 5, tzinfo=UTC), "2024-05-01T03:04:05Z"),
        (datetime(2024, 5, 1, 3, 4, 5, 120000, tzinfo=UTC), "2024-05-01T03:04:05.120Z"),
        (datetime(2024, 5, 1, 3, 4, 5, 123000, tzinfo=UTC), "2024-05-01T03:04:05.123Z"),
        (datetime(2024, 5, 1, 3, 4, 5, 123456, tzinfo=UTC), "2024-05-01T03:04:05.123456Z"),
        (datetime(2024, 5, 1, 3, 4, 5, 1000, tzinfo=UTC), "2024-05-01T03:04:05.001Z"),
        (datetime(2024, 5, 1, 3, 4, 5, 10, tzinfo=UTC), "2024-05-01T03:04:05.000010Z"),
        (
            datetime(2024, 5, 1, 5, 4, 5, 500000, tzinfo=timezone(timedelta(hours=2))),
            "2024-05-01T03:04:05.500Z",
        ),
        (datetime(999, 1, 2, tzinfo=UTC), "0999-01-02T00:00:00Z"),
    ],
)
def test_instants_are_written_as_java_instants(moment: datetime, text: str) -> None:
    assert _iso_instant(moment) == text


def test_parsed_instants_are_written_back_unchanged() -> None:
    state = State.of(StateType.RUNNING, datetime(2024, 5, 1, 3, 4, 5, 500000, tzinfo=UTC))
    again = State.model_validate_json(state.model_dump_json())
    assert again.model_dump(mode="json")["startDate"] == "2024-05-01T03:04:05.500Z"

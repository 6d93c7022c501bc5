"""Database values in Kestra's shapes: normalized, then as JSON outputs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from ipaddress import ip_address
from uuid import UUID
from zoneinfo import ZoneInfo

from legato.plugins.jdbc.cells import iso_interval, normalize, to_output

TOKYO = ZoneInfo("Asia/Tokyo")


def test_aware_datetimes_move_to_the_task_zone_naive_ones_stay() -> None:
    aware = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert normalize(aware) == aware
    assert normalize(aware, TOKYO).isoformat() == "2024-01-02T12:04:05+09:00"
    naive = datetime(2024, 1, 2, 3, 4, 5)
    assert normalize(naive, TOKYO) is naive


def test_time_with_zone_becomes_local_time_in_the_task_zone() -> None:
    assert normalize(time(3, 0, tzinfo=timezone(timedelta(hours=1))), TOKYO) == time(11, 0)
    assert normalize(time(3, 0)) == time(3, 0)


def test_intervals_uuids_buffers_and_containers() -> None:
    assert normalize(timedelta(days=1, hours=2, minutes=3, seconds=4)) == "P0Y0M1DT2H3M4S"
    assert iso_interval(-timedelta(hours=1, seconds=5)) == "P0Y0M0DT-1H0M-5S"
    uuid = UUID("12345678-1234-5678-1234-567812345678")
    assert normalize(uuid) == str(uuid)
    assert normalize(memoryview(b"ab")) == b"ab"
    assert normalize(bytearray(b"ab")) == b"ab"
    assert normalize({"k": [uuid, (1, None)]}) == {"k": [str(uuid), [1, None]]}
    assert normalize(ip_address("10.0.0.1")) == "10.0.0.1"
    assert normalize(date(2024, 1, 2)) == date(2024, 1, 2)


def test_outputs_are_json_values_as_jackson_writes_them() -> None:
    row = {
        "tz": datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=UTC),
        "tokyo": datetime(2024, 1, 2, 12, 4, 5, tzinfo=TOKYO),
        "local": datetime(2024, 1, 2, 3, 4, 5),
        "day": date(2024, 1, 2),
        "clock": time(10, 30, 0, 250000),
        "whole": Decimal("12.00"),
        "part": Decimal("12.50"),
        "blob": b"\xde\xad",
        "nested": {"a": [Decimal("1"), None, True, 1.5, "s"]},
    }
    assert to_output(row) == {
        "tz": "2024-01-02T03:04:05.5Z",
        "tokyo": "2024-01-02T12:04:05+09:00",
        "local": "2024-01-02T03:04:05",
        "day": "2024-01-02",
        "clock": "10:30:00.25",
        "whole": 12,
        "part": 12.5,
        "blob": "3q0=",
        "nested": {"a": [1, None, True, 1.5, "s"]},
    }


def test_non_finite_decimals_and_unknown_objects() -> None:
    assert to_output(Decimal("NaN")) != to_output(Decimal("NaN"))  # NaN is a float NaN
    assert to_output(Decimal("Infinity")) == float("inf")
    assert to_output(ip_address("::1")) == "::1"

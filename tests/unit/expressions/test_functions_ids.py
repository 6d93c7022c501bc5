"""Identifier and random functions, driven by a scripted random source and clock."""

from __future__ import annotations

import re
import uuid as uuid_lib
from datetime import UTC, datetime

import pytest
from conftest_callables import FakeContext, render, typed

from legato.errors import ExpressionEvaluationError
from legato.expressions.functions import ids


def test_uuid_is_a_time_ordered_version_7_uuid() -> None:
    at = datetime(2024, 1, 2, 3, 4, 5, 123000, tzinfo=UTC)  # 1704164645123 ms = 0x18cc820d903
    ctx = FakeContext(at=at, draws=[0xFF] * 10)
    assert ids.uuid({}, ctx) == "018cc820-d903-7fff-bfff-ffffffffffff"
    ctx = FakeContext(at=at, draws=[0] * 10)
    assert ids.uuid({}, ctx) == "018cc820-d903-7000-8000-000000000000"
    parsed = uuid_lib.UUID(render("{{ uuid() }}"))
    assert parsed.version == 7
    assert render("{{ uuid() }}") != render("{{ uuid() }}")


def test_id_is_a_random_v4_uuid_in_base62() -> None:
    ctx = FakeContext(draws=[0] * 16)
    expected = ids.base62(uuid_lib.UUID(bytes=bytes(16), version=4).int)
    assert ids.id_({}, ctx) == expected
    assert re.fullmatch(r"[0-9A-Za-z]{1,22}", render("{{ id() }}"))


def test_base62_digits() -> None:
    assert ids.base62(0) == "0"
    assert ids.base62(61) == "z"
    assert ids.base62(62) == "10"
    assert ids.base62(2**128 - 1) == "7n42DGM5Tflk9n8mt7Fhc7"
    assert ids.base62(5, 3) == "005"


def test_ksuid_encodes_time_and_randomness_in_27_characters() -> None:
    ctx = FakeContext(at=datetime.fromtimestamp(ids.KSUID_EPOCH, UTC), draws=[0] * 16)
    assert ids.ksuid({}, ctx) == "0" * 27
    ctx = FakeContext(at=datetime.fromtimestamp(ids.KSUID_EPOCH + 1, UTC), draws=[0] * 16)
    assert ids.ksuid({}, ctx) == ids.base62(1 << 128, 27)
    assert re.fullmatch(r"[0-9A-Za-z]{27}", render("{{ ksuid() }}"))


def test_nano_id_masks_random_bytes_into_the_alphabet() -> None:
    assert ids.nano_id({}, FakeContext(draws=[0, 1, 63, 64, 255])) == "01_0_" + "0" * 16
    assert ids.nano_id({"length": 3, "alphabet": "ab"}, FakeContext(draws=[0, 1, 3])) == "abb"
    assert ids.nano_id({"length": "x"}, FakeContext()) == "0" * 21
    assert len(render("{{ nanoId(5) }}")) == 5
    with pytest.raises(ExpressionEvaluationError, match="nanoId: argument 'length' must be"):
        render("{{ nanoId(1001) }}")


def test_random_int_is_in_the_half_open_range() -> None:
    assert ids.random_int({"lower": 1, "upper": 10}, FakeContext(draws=[9])) == 9
    assert ids.random_int({"lower": 4, "upper": 4}, FakeContext()) == 4
    assert 1 <= typed("{{ randomInt(1, 3) }}") < 3


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ randomInt(5, 1) }}", "randomInt: argument 'upper' 1 is less than 'lower' 5"),
        ("{{ randomInt(1) }}", "randomInt: argument 'upper' must be an integer, got null"),
        ("{{ randomInt('a', 2) }}", "randomInt: argument 'lower' must be an integer, got string"),
    ],
)
def test_random_int_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        render(source)


def test_random_port_is_an_ephemeral_port() -> None:
    assert ids.random_port({}, FakeContext(draws=[50000])) == 50000
    assert 49152 <= typed("{{ randomPort() }}") <= 65535

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from legato._kernel.clock import FixedClock
from legato.worker.logs import LogOrigin, TaskRunLogger, level_name
from legato.worker.masking import Masker

ORIGIN = LogOrigin("e1", "company.team", "f", "t", "r1", 2)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_lines_carry_their_origin_time_and_level() -> None:
    logger = TaskRunLogger(ORIGIN, FixedClock(NOW), Masker())
    logger.warn("careful")
    [line] = logger.lines
    assert (line.level, line.message, line.timestamp) == ("WARN", "careful", NOW)
    assert (line.execution_id, line.task_run_id, line.attempt_number) == ("e1", "r1", 2)
    assert (line.namespace, line.flow_id, line.task_id) == ("company.team", "f", "t")


def test_lines_below_the_task_log_level_are_dropped() -> None:
    logger = TaskRunLogger(ORIGIN, FixedClock(NOW), Masker(), min_level="WARN")
    logger.debug("d")
    logger.info("i")
    logger.warn("w")
    logger.error("e")
    assert [line.message for line in logger.lines] == ["w", "e"]


def test_secrets_are_masked_in_log_lines() -> None:
    masker = Masker()
    logger = TaskRunLogger(ORIGIN, FixedClock(NOW), masker)
    masker.register("pa55")
    logger.info("password is pa55")
    assert logger.lines[0].message == "password is ******"


def test_level_names_accept_any_case_and_warning() -> None:
    assert level_name("warning") == "WARN"
    assert level_name("debug") == "DEBUG"
    with pytest.raises(ValueError, match="unknown log level 'LOUD'"):
        level_name("LOUD")

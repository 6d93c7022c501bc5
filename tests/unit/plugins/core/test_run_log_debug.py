"""log.Log, debug.Return, debug.Echo and flow.Sleep, run as a worker runs them."""

from __future__ import annotations

import time
from pathlib import Path

from worker_harness import run, worker

from legato.model.execution import StateType

LOG = "io.kestra.plugin.core.log.Log"
RETURN = "io.kestra.plugin.core.debug.Return"


def test_log_writes_the_rendered_message_at_info(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": LOG, "message": "Hello from {{ flow.id }}"})
        assert (outcome.state, outcome.outputs) == (StateType.SUCCESS, None)
        assert h.log_lines() == [("INFO", "Hello from my_flow")]


def test_log_writes_each_message_of_a_list_at_the_given_level(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        run(h, {"type": LOG, "message": ["one", "{{ 1 + 1 }}"], "level": "WARN"})
        assert h.log_lines() == [("WARN", "one"), ("WARN", "2")]


def test_log_level_may_be_an_expression(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        run(h, {"type": LOG, "message": "m", "level": "{{ 'ERROR' }}"})
        assert h.log_lines() == [("ERROR", "m")]


def test_legacy_alias_runs_too(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        assert run(h, {"type": "io.kestra.core.tasks.log.Log", "message": "x"}).state is (
            StateType.SUCCESS
        )


def test_log_respects_the_task_log_level(tmp_path: Path) -> None:
    with worker(tmp_path, log_level="WARN") as h:
        run(h, {"type": LOG, "message": "quiet"})
        assert h.log_lines() == []


def test_log_with_a_bad_expression_fails_the_task(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": LOG, "message": "{{ missing.variable }}"})
        assert outcome.state is StateType.FAILED
        assert outcome.error is not None and "missing" in outcome.error


def test_return_outputs_the_rendered_format_and_its_length(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": RETURN, "format": "{{ task.id }} > {{ flow.namespace }}"})
        assert outcome.outputs == {"value": "t > company.team"}
        length, duration = h.ctx.metrics
        assert (length.name, length.type, length.value) == ("length", "counter", 16.0)
        assert (duration.name, duration.type) == ("duration", "timer")
        assert 0 <= duration.value < 1
        assert h.log_lines() == [("DEBUG", "t > company.team")]


def test_return_without_format_outputs_null(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        assert run(h, {"type": RETURN}).outputs == {"value": None}


def test_return_value_is_always_text(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        assert run(h, {"type": RETURN, "format": "{{ 40 + 2 }}"}).outputs == {"value": "42"}


def test_echo_logs_at_its_level(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        run(h, {"type": "io.kestra.plugin.core.debug.Echo", "format": "e", "level": "DEBUG"})
        assert h.log_lines() == [("DEBUG", "e")]


def test_sleep_waits_for_its_duration(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        started = time.monotonic()
        outcome = run(h, {"type": "io.kestra.plugin.core.flow.Sleep", "duration": "PT0.2S"})
        assert outcome.state is StateType.SUCCESS
        assert time.monotonic() - started >= 0.2


def test_sleep_stops_early_when_killed(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        h.ctx.kill_event.set()
        started = time.monotonic()
        run(h, {"type": "io.kestra.plugin.core.flow.Sleep", "duration": "PT1H"})
        assert time.monotonic() - started < 5

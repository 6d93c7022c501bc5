"""The worker's RunContext carries the installation's task settings (``task_settings``)."""

from __future__ import annotations

from pathlib import Path

from worker_support import harness

from legato.sdk.task_settings import DEFAULT_TASK_SETTINGS, TaskSettings, settings_of


def test_a_context_carries_its_worker_settings(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        assert settings_of(h.ctx) is DEFAULT_TASK_SETTINGS
        h.services.task_settings = TaskSettings(docker_fallback="fail")
        assert h.ctx.task_settings.docker_fallback == "fail"
        assert settings_of(h.ctx).docker_fallback == "fail"

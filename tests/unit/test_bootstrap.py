"""``bootstrap.freeze_startup_heap``: the heap built at start-up leaves the cyclic collector's
reach once per process, when the engine's daemons start.

Given a process whose start-up heap is not frozen, When an engine starts running, Then the
objects alive are frozen; When it runs again (or another engine does), Then nothing more is."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import pytest

from legato import bootstrap, config


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> None:
    gc.unfreeze()
    monkeypatch.setattr(bootstrap, "_HEAP_FROZEN", [False])


@pytest.mark.usefixtures("unfrozen")
def test_the_start_up_heap_is_frozen_once() -> None:
    assert gc.get_freeze_count() == 0
    bootstrap.freeze_startup_heap()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    made_later = [[index] for index in range(100)]
    bootstrap.freeze_startup_heap()
    assert gc.get_freeze_count() == frozen
    assert len(made_later) == 100


@pytest.mark.usefixtures("unfrozen")
def test_running_an_engine_freezes_the_heap(tmp_path: Path) -> None:
    settings = bootstrap.memory_settings(config.Settings.for_home(tmp_path), tmp_path)

    async def run() -> None:
        async with bootstrap.open_engine(settings) as engine:
            assert gc.get_freeze_count() == 0
            async with engine.running():
                assert gc.get_freeze_count() > 0

    asyncio.run(run())

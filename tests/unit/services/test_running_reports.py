"""RunningReports: a job still running after the delay is reported RUNNING at once, and only
once; a short job's result goes through untouched."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from legato.model.execution import StateType
from legato.runtime import events
from legato.services.running_reports import RunningReports
from legato.store.protocols import LogEntry, MetricEntry, NewEvent, WorkerJob

JOB = WorkerJob("job-1", "exec-1", "run-1", {"attempt": 2})


class FakeQueue:
    """A worker queue holding one job; records what ``finish`` received."""

    def __init__(self) -> None:
        self.finished: list[tuple[str, list[dict[str, Any]]]] = []
        self.failures = 0

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        return [JOB]

    async def heartbeat(self, worker_id: str, now: datetime) -> None: ...

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        if self.failures:
            self.failures -= 1
            raise OSError("database is locked")
        self.finished.append((job_id, [e.payload for e in events]))

    async def requeue_stale(self, older_than: datetime) -> int:
        return 0

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        return list(task_run_ids)


class FakeEvents:
    """The executor queue: records enqueued payloads."""

    def __init__(self) -> None:
        self.enqueued: list[tuple[str, dict[str, Any]]] = []

    async def enqueue(self, items: Sequence[NewEvent]) -> None:
        self.enqueued.extend((e.execution_id, e.payload) for e in items)


def result_events() -> list[NewEvent]:
    started = events.TaskRunStarted("run-1", 2, "w1")
    finished = events.TaskRunFinished("run-1", 2, StateType.SUCCESS, worker_id="w1")
    return [NewEvent("exec-1", events.to_json(e)) for e in (started, finished)]


def reports(delay: float) -> tuple[RunningReports, FakeQueue, FakeEvents]:
    queue, queued = FakeQueue(), FakeEvents()
    return RunningReports(queue, queued, delay=delay), queue, queued  # type: ignore[arg-type]


def test_a_short_job_reports_started_only_with_its_result() -> None:
    async def scenario() -> tuple[FakeQueue, FakeEvents]:
        wrapper, queue, queued = reports(delay=10)
        await wrapper.claim("w1", 1)
        await wrapper.finish(JOB.id, result_events())
        await asyncio.sleep(0)
        return queue, queued

    queue, queued = asyncio.run(scenario())
    assert queued.enqueued == []
    [(job_id, payloads)] = queue.finished
    assert job_id == "job-1"
    assert [p["event"] for p in payloads] == ["TaskRunStarted", "TaskRunFinished"]


def test_a_long_job_is_reported_running_at_once_and_not_again_with_its_result() -> None:
    async def scenario() -> tuple[FakeQueue, FakeEvents]:
        wrapper, queue, queued = reports(delay=0.01)
        await wrapper.claim("w1", 1)
        await asyncio.sleep(0.1)
        assert [p["event"] for _, p in queued.enqueued] == ["TaskRunStarted"]
        queue.failures = 1  # the first finish fails: the retry must still drop the copy
        try:
            await wrapper.finish(JOB.id, result_events())
        except OSError:
            await wrapper.finish(JOB.id, result_events())
        return queue, queued

    queue, queued = asyncio.run(scenario())
    [(execution_id, started)] = queued.enqueued
    assert execution_id == "exec-1"
    assert events.event_from_json(started) == events.TaskRunStarted("run-1", 2, "w1")
    [(_, payloads)] = queue.finished
    assert [p["event"] for p in payloads] == ["TaskRunFinished"]


def test_other_methods_pass_through() -> None:
    async def scenario() -> tuple[int, list[str]]:
        wrapper, _, _ = reports(delay=1)
        await wrapper.heartbeat("w1", datetime(2024, 1, 1))
        return await wrapper.requeue_stale(datetime(2024, 1, 1)), await wrapper.cancel(["r"])

    assert asyncio.run(scenario()) == (0, ["r"])

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from worker_support import NAMESPACE, FakeFiles, FakeKV, FakeQueue, variables

from legato._kernel.clock import FixedClock
from legato.model.execution import StateType
from legato.model.registry import PluginRegistry
from legato.runtime.commands import DispatchTask
from legato.runtime.events import TaskRunFinished, TaskRunStarted, event_from_json
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext
from legato.store.protocols import KVEntry, WorkerJob
from legato.worker.bridge import Bridge
from legato.worker.service import Worker, WorkerOptions, dispatch_of

REGISTRY = PluginRegistry.from_entry_points()
RETURN = "io.kestra.plugin.core.debug.Return"
SLEEP = "io.kestra.plugin.core.flow.Sleep"


def job(run_id: str, task: dict[str, Any], timeout: float | None = None) -> WorkerJob:
    command = DispatchTask("exec1", run_id, 1, task, variables(), timeout)
    return WorkerJob("job-" + run_id, "exec1", run_id, dataclasses.asdict(command))


def make_worker(tmp_path: Path, queue: FakeQueue, threads: int = 4) -> Worker:
    options = WorkerOptions(worker_id="w1", threads=threads, work_root=tmp_path, poll_interval=0.01)
    options.clock = FixedClock(options.clock.now())
    return Worker(queue, FakeKV(), FakeFiles(tmp_path), REGISTRY, options)


def finished(queue: FakeQueue) -> dict[str, TaskRunFinished]:
    """The ``TaskRunFinished`` of each finished job, checking a ``TaskRunStarted`` came first."""
    result: dict[str, TaskRunFinished] = {}
    for item in queue.finished:
        started, ended = (event_from_json(e.payload) for e in item.events)
        assert isinstance(started, TaskRunStarted) and isinstance(ended, TaskRunFinished)
        assert (started.task_run_id, started.attempt, started.worker_id) == (
            ended.task_run_id,
            ended.attempt,
            "w1",
        )
        result[ended.task_run_id] = ended
    return result


def test_payload_is_read_back_into_a_dispatch_task() -> None:
    item = job("r1", {"id": "t", "type": RETURN}, 2.0)
    dispatch = dispatch_of(item)
    assert (dispatch.task_run_id, dispatch.attempt, dispatch.timeout_seconds) == ("r1", 1, 2.0)


def test_a_job_is_run_and_finished_with_outputs_logs_and_metrics(tmp_path: Path) -> None:
    queue = FakeQueue([job("r1", {"id": "t", "type": RETURN, "format": "{{ flow.namespace }}"})])
    asyncio.run(make_worker(tmp_path, queue).run_until_idle())
    [done] = queue.finished
    assert done.job_id == "job-r1" and queue.jobs == []
    result = finished(queue)["r1"]
    assert (result.state, result.outputs, result.worker_id) == (
        StateType.SUCCESS,
        {"value": NAMESPACE},
        "w1",
    )
    assert [(line.level, line.message) for line in done.logs] == [("DEBUG", NAMESPACE)]
    assert (done.metrics[0].name, done.metrics[0].value) == ("length", len(NAMESPACE))
    assert [m.name for m in done.metrics] == ["length", "duration"]
    assert done.events[0].execution_id == "exec1"
    assert queue.claim_times[0] is not None


def test_started_event_can_be_left_out(tmp_path: Path) -> None:
    queue = FakeQueue([job("r1", {"id": "t", "type": RETURN})])
    worker = make_worker(tmp_path, queue)
    worker.options.report_started = False
    asyncio.run(worker.run_until_idle())
    [event] = queue.finished[0].events
    assert isinstance(event_from_json(event.payload), TaskRunFinished)


def test_a_failing_task_is_reported_failed_with_its_error(tmp_path: Path) -> None:
    queue = FakeQueue([job("r1", {"id": "t", "type": "io.kestra.plugin.core.execution.Fail"})])
    asyncio.run(make_worker(tmp_path, queue).run_until_idle())
    result = finished(queue)["r1"]
    assert (result.state, result.error, result.retryable) == (
        StateType.FAILED,
        "Task failure",
        True,
    )


def test_timeout_fails_the_attempt_and_signals_the_task(tmp_path: Path) -> None:
    queue = FakeQueue([job("r1", {"id": "t", "type": SLEEP, "duration": "PT30S"}, timeout=0.05)])
    started = time.monotonic()
    asyncio.run(make_worker(tmp_path, queue).run_until_idle())
    assert time.monotonic() - started < 5
    result = finished(queue)["r1"]
    assert (result.state, result.error) == (StateType.FAILED, "Task timed out after PT0.05S")
    assert [(line.level, line.message) for line in queue.finished[0].logs] == [
        ("ERROR", "Task timed out after PT0.05S")
    ]


def test_kill_interrupts_a_running_task(tmp_path: Path) -> None:
    queue = FakeQueue([job("r1", {"id": "t", "type": SLEEP, "duration": "PT30S"})])
    worker = make_worker(tmp_path, queue)

    async def scenario() -> None:
        running = asyncio.create_task(worker.run_until_idle())
        while not worker.running:
            await asyncio.sleep(0.005)
        assert worker.kill(["r1", "unknown"]) == ["r1"]
        await running

    asyncio.run(scenario())
    result = finished(queue)["r1"]
    assert (result.state, result.retryable) == (StateType.KILLED, False)


def test_no_more_attempts_run_at_once_than_threads(tmp_path: Path) -> None:
    jobs = [job(f"r{i}", {"id": "t", "type": SLEEP, "duration": "PT0.05S"}) for i in range(5)]
    queue = FakeQueue(jobs)
    worker = make_worker(tmp_path, queue, threads=2)
    seen: list[int] = []

    async def scenario() -> None:
        running = asyncio.create_task(worker.run_until_idle())
        while not running.done():
            seen.append(len(worker.running))
            await asyncio.sleep(0.002)
        await running

    asyncio.run(scenario())
    assert max(seen) == 2
    assert sorted(finished(queue)) == ["r0", "r1", "r2", "r3", "r4"]
    assert all(r.state is StateType.SUCCESS for r in finished(queue).values())


def test_invalid_payload_is_reported_failed(tmp_path: Path) -> None:
    bad = WorkerJob("job-x", "exec1", "rx", {"task": {"id": "t"}, "bogus": 1, "attempt": "two"})
    queue = FakeQueue([dataclasses.replace(bad, payload={"attempt": 3})])
    asyncio.run(make_worker(tmp_path, queue).run_until_idle())
    result = finished(queue)["rx"]
    assert (result.state, result.attempt) == (StateType.FAILED, 3)
    assert result.error is not None and result.error.startswith("Invalid worker job")


def test_run_heartbeats_until_stopped(tmp_path: Path) -> None:
    queue = FakeQueue([job("r1", {"id": "t", "type": RETURN, "format": "x"})])
    worker = make_worker(tmp_path, queue)

    async def scenario() -> None:
        running = asyncio.create_task(worker.run())
        while not queue.finished:
            await asyncio.sleep(0.005)
        worker.stop()
        await asyncio.wait_for(running, 5)

    asyncio.run(scenario())
    assert queue.heartbeats and queue.heartbeats[0][0] == "w1"
    assert queue.requeued_before
    assert finished(queue)["r1"].state is StateType.SUCCESS


class Reader:
    def __init__(self, bridge: object) -> None:
        self.bridge = bridge


def test_plugin_ports_are_built_with_the_bridge_and_reach_the_context(tmp_path: Path) -> None:
    seen: list[object] = []

    @plugin("test.SeesPorts")
    class SeesPorts(RunnableTask):
        """Records the context's ports."""

        def run(self, ctx: RunContext) -> dict[str, Any] | None:
            seen.extend([getattr(ctx, "logs", None), getattr(ctx, "executions", None)])
            return None

    queue = FakeQueue([job("r1", {"id": "t", "type": "test.SeesPorts"})])
    worker = make_worker(tmp_path, queue)
    worker.registry = PluginRegistry([SeesPorts])
    worker.options.ports = {"logs": Reader}
    asyncio.run(worker.run_until_idle())
    logs, executions = seen
    assert isinstance(logs, Reader) and isinstance(logs.bridge, Bridge)
    assert executions is None


def test_render_only_tasks_run_on_the_loop_thread(tmp_path: Path) -> None:
    threads: list[str] = []

    @plugin("test.Inline")
    class Inline(RunnableTask):
        """Records the thread it runs on."""

        runs_inline: ClassVar[bool] = True

        def run(self, ctx: RunContext) -> dict[str, Any] | None:
            threads.append(threading.current_thread().name)
            return None

    @plugin("test.Threaded")
    class Threaded(Inline):
        """Same, run as every other task."""

        runs_inline: ClassVar[bool] = False

    inline = job("r1", {"id": "a", "type": "test.Inline"})
    queue = FakeQueue([inline, job("r2", {"id": "b", "type": "test.Threaded"})])
    worker = make_worker(tmp_path, queue)
    worker.registry = PluginRegistry([Inline, Threaded])
    asyncio.run(worker.run_until_idle())
    assert threads[0] == threading.main_thread().name
    assert threads[1].startswith("legato-task")
    assert {r.state for r in finished(queue).values()} == {StateType.SUCCESS}


def test_an_inline_task_calling_the_loop_back_reruns_afresh_in_a_thread(tmp_path: Path) -> None:
    # kv() calls the async store through the bridge: impossible from the loop's own thread
    now = datetime.now(UTC)
    kv = FakeKV()
    kv.entries[(NAMESPACE, "k")] = KVEntry(NAMESPACE, "k", "stored", "STRING", now, now)
    task = {"id": "t", "type": RETURN, "format": "{{ kv('k') }}"}
    queue = FakeQueue([job("r1", task)])
    worker = make_worker(tmp_path, queue)
    worker.kv = kv
    asyncio.run(worker.run_until_idle())
    [done] = queue.finished
    assert finished(queue)["r1"].outputs == {"value": "stored"}
    assert [(line.level, line.message) for line in done.logs] == [("DEBUG", "stored")]


def test_stop_wakes_an_idle_worker_at_once(tmp_path: Path) -> None:
    async def scenario() -> float:
        worker = make_worker(tmp_path, FakeQueue([]))
        worker.options.poll_interval = 30
        running = asyncio.create_task(worker.run())
        await asyncio.sleep(0.05)  # idle: the queue is empty
        started = time.monotonic()
        worker.stop()
        await asyncio.wait_for(running, 5)
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 2


def test_lines_an_inline_run_wrote_before_moving_to_a_thread_are_not_repeated(
    tmp_path: Path,
) -> None:
    now = datetime.now(UTC)
    kv = FakeKV()
    kv.entries[(NAMESPACE, "k")] = KVEntry(NAMESPACE, "k", "stored", "STRING", now, now)
    task = {
        "id": "t",
        "type": "io.kestra.plugin.core.log.Log",
        "message": ["first", "{{ kv('k') }}"],
    }
    queue = FakeQueue([job("r1", task)])
    worker = make_worker(tmp_path, queue)
    worker.kv = kv
    asyncio.run(worker.run_until_idle())
    [done] = queue.finished
    assert [line.message for line in done.logs] == ["first", "stored"]

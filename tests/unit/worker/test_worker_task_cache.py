"""``taskCache`` on the worker: a hit reuses the outputs without running the task, keys follow
the rendered definition and the task run's value, the ttl is applied when reading, only
SUCCESS/WARNING attempts are stored, and a broken cache never fails a task."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

from worker_support import (
    FLOW_ID,
    NAMESPACE,
    NOW,
    FakeFiles,
    FakeKV,
    FakeQueue,
    harness,
    kv_entry,
    variables,
)

from legato._kernel.clock import FixedClock
from legato.model.execution import StateType
from legato.model.registry import PluginRegistry
from legato.plugins.core.debug import Return
from legato.plugins.core.flow.working_directory import WorkingDirectory
from legato.runtime.commands import DispatchTask
from legato.runtime.events import TaskRunFinished, event_from_json
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext, TaskError, TaskWarning
from legato.store.protocols import LogEntry, WorkerJob
from legato.worker.service import Worker, WorkerOptions
from legato.worker.task_cache import cache_key, cache_uri

RUNS: list[str] = []
HIT = "Skipping task execution for task 't' as there is an existing cache entry for it"
UPLOAD = "Uploading a cache entry for task 't'"


@plugin("test.Counted")
class Counted(RunnableTask):
    """Returns how many times any Counted task ran so far (its outputs change at every run)."""

    label: str = ""
    #: not rendered by the task, only by the cache key
    note: str | None = None
    outcome: str = "SUCCESS"

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        RUNS.append(ctx.render_string(self.label))
        outputs = {"count": len(RUNS), "label": RUNS[-1]}
        if self.outcome == "WARNING":
            raise TaskWarning("careful", outputs=outputs)
        if self.outcome == "FAILED":
            raise TaskError("broken")
        return outputs


@plugin("test.CountedInline")
class CountedInline(Counted):
    """The same, run on the worker's loop."""

    runs_inline: ClassVar[bool] = True


REGISTRY = PluginRegistry([Counted, CountedInline, Return, WorkingDirectory])
CACHED = {"enabled": True, "ttl": "PT1H"}


class CacheWorld:
    """One worker's stores and clock, kept across several runs of jobs."""

    def __init__(self, tmp_path: Path) -> None:
        RUNS.clear()
        self.tmp_path = tmp_path
        self.files = FakeFiles(tmp_path)
        self.kv = FakeKV()
        self.clock = FixedClock(NOW)
        self.count = 0

    def run(self, task: dict[str, Any], **extra: Any) -> tuple[TaskRunFinished, list[LogEntry]]:
        """Run one job of ``task`` (render variables plus ``extra``) and return its result."""
        self.count += 1
        run_id = f"r{self.count}"
        command = DispatchTask("exec1", run_id, 1, task, variables(**extra))
        queue = FakeQueue(
            [WorkerJob("job-" + run_id, "exec1", run_id, dataclasses.asdict(command))]
        )
        options = WorkerOptions(worker_id="w1", work_root=self.tmp_path, poll_interval=0.01)
        options.clock = self.clock
        worker = Worker(queue, self.kv, self.files, REGISTRY, options)
        asyncio.run(worker.run_until_idle())
        [done] = queue.finished
        finished = event_from_json(done.events[-1].payload)
        assert isinstance(finished, TaskRunFinished)
        return finished, done.logs

    def cache_files(self) -> list[str]:
        return [uri for uri in self.files.data if uri.endswith("/cache/cache.json")]


def counted(**properties: Any) -> dict[str, Any]:
    return {"id": "t", "type": "test.Counted", "taskCache": CACHED, **properties}


def messages(logs: list[LogEntry]) -> list[str]:
    return [line.message for line in logs]


def test_a_second_identical_run_reuses_the_outputs_without_running(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    first, first_logs = world.run(counted(label="a"))
    second, second_logs = world.run(counted(label="a"))
    assert RUNS == ["a"]
    assert (first.state, first.outputs) == (StateType.SUCCESS, {"count": 1, "label": "a"})
    assert (second.state, second.outputs) == (StateType.SUCCESS, {"count": 1, "label": "a"})
    assert UPLOAD in messages(first_logs) and HIT not in messages(first_logs)
    assert HIT in messages(second_logs) and UPLOAD not in messages(second_logs)
    assert [(line.level, line.task_run_id) for line in second_logs if line.message == HIT] == [
        ("INFO", "r2")
    ]


def test_the_entry_lives_in_kestras_cache_layout_of_the_flow(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    world.run(counted(label="a"))
    [uri] = world.cache_files()
    assert uri.startswith("kestra:///company/team/my-flow/")
    document = json.loads(world.files.data[uri])
    assert document["outputs"] == {"count": 1, "label": "a"}
    assert document["cachedAt"] == world.clock.now().isoformat()


def test_a_definition_rendering_differently_is_another_entry(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    task = counted(label="{{ inputs.who }}")
    world.run(task, inputs={"who": "ann"})
    world.run(task, inputs={"who": "bob"})
    again, _ = world.run(task, inputs={"who": "ann"})
    assert RUNS == ["ann", "bob"]
    assert again.outputs == {"count": 1, "label": "ann"}


def test_a_property_the_task_ignores_is_still_part_of_the_key(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    world.run(counted(label="a", note="one"))
    world.run(counted(label="a", note="two"))
    assert RUNS == ["a", "a"]


def test_task_runs_of_different_values_do_not_share_an_entry(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    world.run(counted(label="x"), taskrun={"id": "r", "value": "1"})
    world.run(counted(label="x"), taskrun={"id": "r", "value": "2"})
    hit, _ = world.run(counted(label="x"), taskrun={"id": "r", "value": "1"})
    assert RUNS == ["x", "x"]
    assert hit.outputs == {"count": 1, "label": "x"}


def test_an_entry_older_than_the_ttl_is_deleted_and_the_task_runs_again(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    world.run(counted(label="a"))
    world.clock.at += timedelta(minutes=59)
    world.run(counted(label="a"))
    assert RUNS == ["a"]
    world.clock.at += timedelta(minutes=2)
    late, logs = world.run(counted(label="a"))
    assert RUNS == ["a", "a"]
    assert late.outputs == {"count": 2, "label": "a"}
    assert UPLOAD in messages(logs)
    [uri] = world.cache_files()
    assert json.loads(world.files.data[uri])["cachedAt"] == world.clock.now().isoformat()


def test_the_current_ttl_decides_when_reading(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    world.run(counted(label="a"))
    world.clock.at += timedelta(minutes=30)
    shorter = {**counted(label="a"), "taskCache": {"enabled": True, "ttl": "PT10M"}}
    world.run(shorter)
    assert RUNS == ["a", "a"]


def test_without_ttl_an_entry_never_expires(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    forever = {**counted(label="a"), "taskCache": {"enabled": True}}
    world.run(forever)
    world.clock.at += timedelta(days=3650)
    world.run(forever)
    assert RUNS == ["a"]


def test_a_disabled_cache_stores_nothing(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    off = {**counted(label="a"), "taskCache": {"enabled": False, "ttl": "PT1H"}}
    world.run(off)
    world.run(off)
    assert RUNS == ["a", "a"] and world.cache_files() == []


def test_a_failed_attempt_is_not_cached(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    failed, logs = world.run(counted(label="a", outcome="FAILED"))
    world.run(counted(label="a", outcome="FAILED"))
    assert failed.state == StateType.FAILED and RUNS == ["a", "a"]
    assert world.cache_files() == [] and UPLOAD not in messages(logs)


def test_a_warning_attempt_is_cached_and_its_hit_is_success(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    warned, _ = world.run(counted(label="a", outcome="WARNING"))
    hit, _ = world.run(counted(label="a", outcome="WARNING"))
    assert warned.state == StateType.WARNING and RUNS == ["a"]
    assert (hit.state, hit.outputs) == (StateType.SUCCESS, {"count": 1, "label": "a"})


def test_an_inline_task_is_cached(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    inline = {**counted(label="a"), "type": "test.CountedInline"}
    world.run(inline)
    hit, logs = world.run(inline)
    assert RUNS == ["a"] and hit.outputs == {"count": 1, "label": "a"}
    assert HIT in messages(logs)


def test_a_key_reading_the_kv_store_is_rendered_in_a_thread(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    world.kv.entries[(NAMESPACE, "k")] = kv_entry(NAMESPACE, "k", "from-kv")
    task = {"id": "t", "type": Return.plugin_type, "format": "{{ kv('k') }}", "taskCache": CACHED}
    first, first_logs = world.run(task)
    assert (first.state, first.outputs) == (StateType.SUCCESS, {"value": "from-kv"})
    enabled = "Task output caching is enabled for task 't'"
    assert messages(first_logs).count(enabled) == 1 and UPLOAD in messages(first_logs)
    world.kv.entries[(NAMESPACE, "k")] = kv_entry(NAMESPACE, "k", "changed")
    changed, _ = world.run(task)
    assert changed.outputs == {"value": "changed"}
    world.kv.entries[(NAMESPACE, "k")] = kv_entry(NAMESPACE, "k", "from-kv")
    hit, logs = world.run(task)
    assert hit.outputs == {"value": "from-kv"} and HIT in messages(logs)


def test_a_key_that_cannot_be_rendered_logs_an_error_and_runs_uncached(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    result, logs = world.run(counted(label="a", note="{{ nothing.here }}"))
    assert result.state == StateType.SUCCESS and RUNS == ["a"]
    errors = [line.message for line in logs if line.level == "ERROR"]
    assert len(errors) == 1
    assert errors[0].startswith("Unable to create the cache key for the task 't': ")
    assert world.cache_files() == []


def test_an_unreadable_entry_logs_an_error_and_is_replaced_by_a_run(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    world.run(counted(label="a"))
    [uri] = world.cache_files()
    world.files.data[uri] = b"not json"
    result, logs = world.run(counted(label="a"))
    assert RUNS == ["a", "a"] and result.outputs == {"count": 2, "label": "a"}
    [error] = [line.message for line in logs if line.level == "ERROR"]
    assert error.startswith("Unexpected exception while loading the cache for task 't'")
    assert json.loads(world.files.data[uri])["outputs"] == {"count": 2, "label": "a"}


def test_a_failed_upload_logs_an_error_and_keeps_the_result(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)

    async def refuse(uri: str, data: bytes) -> str:
        raise OSError("disk full")

    world.files.put = refuse  # type: ignore[method-assign]
    result, logs = world.run(counted(label="a"))
    assert (result.state, result.outputs) == (StateType.SUCCESS, {"count": 1, "label": "a"})
    [error] = [line.message for line in logs if line.level == "ERROR"]
    assert "uploading the cache entry for task 't'" in error and "disk full" in error


def test_a_working_directory_itself_is_not_cached(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    group = {
        "id": "t",
        "type": WorkingDirectory.plugin_type,
        "taskCache": CACHED,
        "tasks": [{"id": "child", "type": "test.Counted", "label": "c"}],
    }
    world.run(group)
    world.run(group)
    assert RUNS == ["c", "c"] and world.cache_files() == []


def test_a_cached_child_of_a_working_directory_reuses_its_outputs(tmp_path: Path) -> None:
    world = CacheWorld(tmp_path)
    group = {
        "id": "wd",
        "type": WorkingDirectory.plugin_type,
        "tasks": [
            {"id": "t", "type": "test.Counted", "label": "c", "taskCache": CACHED},
            {"id": "after", "type": "test.Counted", "label": "{{ outputs.t.count }}"},
        ],
    }
    first, _ = world.run(group)
    second, logs = world.run(group)
    assert RUNS == ["c", "1", "1"]
    assert [child["outputs"] for child in first.children] == [
        {"count": 1, "label": "c"},
        {"count": 2, "label": "1"},
    ]
    assert second.state == StateType.SUCCESS
    [cached, after] = second.children
    assert (cached["state"]["current"], cached["outputs"]) == (
        "SUCCESS",
        {"count": 1, "label": "c"},
    )
    assert after["outputs"] == {"count": 3, "label": "1"}
    assert HIT in messages(logs) and len(world.cache_files()) == 1


def test_the_key_sees_working_dir_as_a_fixed_text(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        templated = cache_key({"id": "t", "path": "{{ workingDir }}/out.csv"}, h.ctx)
        literal = cache_key({"id": "t", "path": "workingDir/out.csv"}, h.ctx)
        other = cache_key({"id": "t", "path": "elsewhere/out.csv"}, h.ctx)
    assert templated == literal != other


def test_cache_uris_follow_the_flow_and_the_value() -> None:
    plain = cache_uri(NAMESPACE, FLOW_ID, "abc", None)
    valued = cache_uri(NAMESPACE, FLOW_ID, "abc", "v1")
    assert plain == "kestra:///company/team/my-flow/abc/cache/cache.json"
    assert valued.startswith("kestra:///company/team/my-flow/abc/cache/")
    assert valued != cache_uri(NAMESPACE, FLOW_ID, "abc", "v2") != plain

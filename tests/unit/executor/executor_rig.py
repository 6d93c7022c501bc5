"""An executor over the memory store with a hand-driven fake worker (shared by tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from legato._kernel.clock import FixedClock
from legato._kernel.ids import sequential_ids
from legato.executor.service import Executor, ExecutorOptions, ExecutorPorts
from legato.model.execution import Execution, StateType
from legato.model.registry import PluginRegistry
from legato.runtime import events
from legato.services.executions import ExecutionService, NewExecution
from legato.services.flows import FlowService
from legato.store.bundle import Store
from legato.store.memory import memory_store
from legato.store.protocols import NewEvent, WorkerJob

START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

LOG = "io.kestra.plugin.core.log.Log"

#: a flow of two Log tasks, a then b
TWO_LOGS = f"""id: two
namespace: unit
tasks:
  - id: a
    type: {LOG}
    message: a
  - id: b
    type: {LOG}
    message: b
"""


class DictFiles:
    """Internal storage in a dict (these tests upload no files)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    async def put(self, uri: str, data: bytes) -> str:
        self.data[uri] = data
        return uri

    async def put_file(self, uri: str, source_path: str) -> str:
        with open(source_path, "rb") as handle:
            self.data[uri] = handle.read()
        return uri

    async def get(self, uri: str) -> bytes:
        return self.data[uri]

    async def open_local(self, uri: str) -> str:
        raise NotImplementedError(uri)

    async def exists(self, uri: str) -> bool:
        return uri in self.data

    async def size(self, uri: str) -> int:
        return len(self.data[uri])

    async def delete(self, uri: str) -> bool:
        return self.data.pop(uri, None) is not None

    async def list(self, prefix_uri: str) -> list[str]:
        return sorted(u for u in self.data if u.startswith(prefix_uri))

    async def delete_prefix(self, prefix_uri: str) -> int:
        gone = [u for u in self.data if u.startswith(prefix_uri)]
        for uri in gone:
            del self.data[uri]
        return len(gone)


@dataclass
class Rig:
    """An executor over the memory store, with a hand-driven fake worker."""

    store: Store
    clock: FixedClock
    flows: FlowService
    executions: ExecutionService
    executor: Executor
    files: DictFiles = field(default_factory=DictFiles)

    async def deploy(self, source: str) -> None:
        await self.flows.deploy(source)

    async def start(self, flow_id: str, **inputs: object) -> Execution:
        return await self.executions.create(NewExecution("unit", flow_id, inputs=inputs))

    async def get(self, execution_id: str) -> Execution:
        found = await self.store.executions.get(execution_id)
        assert found is not None
        return found

    async def jobs(self) -> list[WorkerJob]:
        return await self.store.worker_queue.claim("fake-worker", 100, self.clock.now())

    async def finish(
        self, job: WorkerJob, state: StateType = StateType.SUCCESS, **outputs: object
    ) -> None:
        result = events.TaskRunFinished(
            job.task_run_id, job.payload["attempt"], state, outputs=dict(outputs) or None
        )
        await self.store.worker_queue.finish(
            job.id, [NewEvent(job.execution_id, events.to_json(result))]
        )

    async def settle(
        self, decide: Callable[[WorkerJob], StateType] | None = None, rounds: int = 50
    ) -> None:
        """Alternate executor passes and fake-worker results until nothing moves."""
        for _ in range(rounds):
            stepped = await self.executor.run_once()
            jobs = await self.jobs()
            for job in jobs:
                await self.finish(job, decide(job) if decide else StateType.SUCCESS)
            if not stepped and not jobs:
                return
        raise AssertionError("the executor kept working for too many rounds")

    def advance(self, seconds: float) -> None:
        self.clock.at = self.clock.at + timedelta(seconds=seconds)


def make_rig() -> Rig:
    clock = FixedClock(START)
    store = memory_store(clock)
    files = DictFiles()
    registry = PluginRegistry.from_entry_points()
    flows = FlowService(store.flows, registry)
    ids = sequential_ids("id")
    executions = ExecutionService(store.executions, store.executor, flows, files, clock, ids)
    ports = ExecutorPorts(store.executor, store.executions, store.worker_queue)
    options = ExecutorOptions(clock=clock, executor_id="exec-1", ids=ids)
    executor = Executor(ports, flows, executions, options)
    return Rig(store, clock, flows, executions, executor, files)

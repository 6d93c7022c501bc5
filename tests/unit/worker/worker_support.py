"""In-memory fakes of the worker's store ports (FileStorage, KVStore, WorkerQueue) and a helper
building a real ``WorkerRunContext`` over them, for worker and core-task tests.

The fakes follow ``legato.store.protocols`` literally (async methods, copies of data) so the
worker code under test runs exactly as against a real adapter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from legato._kernel.clock import FixedClock
from legato.expressions import Environment
from legato.model.registry import PluginRegistry
from legato.store.protocols import KVEntry, LogEntry, MetricEntry, NewEvent, WorkerJob
from legato.worker.bridge import background
from legato.worker.run_context import Attempt, WorkerRunContext, WorkerServices
from legato.worker.secrets import EnvSecrets

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
NAMESPACE = "company.team"
FLOW_ID = "my_flow"
EXECUTION_ID = "exec1"
TASK_RUN_ID = "run1"


class FakeFiles:
    """``FileStorage`` as a dict of URI → bytes; local copies are written under ``local``."""

    def __init__(self, local: Path) -> None:
        self.data: dict[str, bytes] = {}
        self.local = local

    async def put(self, uri: str, data: bytes) -> str:
        self.data[uri] = bytes(data)
        return uri

    async def put_file(self, uri: str, source_path: str) -> str:
        return await self.put(uri, Path(source_path).read_bytes())

    async def get(self, uri: str) -> bytes:
        if uri not in self.data:
            raise FileNotFoundError(uri)
        return self.data[uri]

    async def open_local(self, uri: str) -> str:
        path = self.local / f"copy-{len(list(self.local.iterdir()))}"
        path.write_bytes(await self.get(uri))
        return str(path)

    async def exists(self, uri: str) -> bool:
        return uri in self.data

    async def size(self, uri: str) -> int:
        return len(await self.get(uri))

    async def delete(self, uri: str) -> bool:
        return self.data.pop(uri, None) is not None

    async def list(self, prefix_uri: str) -> list[str]:
        return sorted(u for u in self.data if u.startswith(prefix_uri))

    async def delete_prefix(self, prefix_uri: str) -> int:
        gone = [u for u in self.data if u.startswith(prefix_uri)]
        for uri in gone:
            del self.data[uri]
        return len(gone)


class FakeKV:
    """``KVStore`` as a dict of (namespace, key) → entry."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], KVEntry] = {}

    async def get(self, namespace: str, key: str, now: datetime) -> KVEntry | None:
        entry = self.entries.get((namespace, key))
        if entry is not None and entry.expiration_date is not None and entry.expiration_date <= now:
            del self.entries[(namespace, key)]
            return None
        return entry

    async def put(self, entry: KVEntry) -> None:
        self.entries[(entry.namespace, entry.key)] = entry

    async def delete(self, namespace: str, key: str) -> bool:
        return self.entries.pop((namespace, key), None) is not None

    async def list(self, namespace: str, now: datetime, prefix: str | None = None) -> list[KVEntry]:
        found = [
            e
            for (ns, key), e in self.entries.items()
            if ns == namespace
            and (prefix is None or key.startswith(prefix))
            and (e.expiration_date is None or e.expiration_date > now)
        ]
        return sorted(found, key=lambda e: e.key)


@dataclasses.dataclass
class Finished:
    job_id: str
    events: list[NewEvent]
    logs: list[LogEntry]
    metrics: list[MetricEntry]


class FakeQueue:
    """``WorkerQueue`` keeping jobs in a list and recording every ``finish``."""

    def __init__(self, jobs: Sequence[WorkerJob] = ()) -> None:
        self.jobs: list[WorkerJob] = list(jobs)
        self.finished: list[Finished] = []
        self.heartbeats: list[tuple[str, datetime]] = []
        self.requeued_before: list[datetime] = []
        self.claim_times: list[datetime | None] = []

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        self.claim_times.append(now)
        free = [j for j in self.jobs if j.claimed_by is None][:limit]
        claimed = [dataclasses.replace(j, claimed_by=worker_id) for j in free]
        self.jobs = [j for j in self.jobs if j not in free] + claimed
        return claimed

    async def heartbeat(self, worker_id: str, now: datetime) -> None:
        self.heartbeats.append((worker_id, now))

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        self.jobs = [j for j in self.jobs if j.id != job_id]
        self.finished.append(Finished(job_id, list(events), list(logs), list(metrics)))

    async def requeue_stale(self, older_than: datetime) -> int:
        self.requeued_before.append(older_than)
        return 0

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        wanted = set(task_run_ids)
        self.jobs = [j for j in self.jobs if j.task_run_id not in wanted or j.claimed_by]
        return [j.task_run_id for j in self.jobs if j.task_run_id in wanted]


def variables(**extra: Any) -> dict[str, Any]:
    """Render variables of a task run of ``company.team.my_flow``."""
    base: dict[str, Any] = {
        "flow": {"namespace": NAMESPACE, "id": FLOW_ID, "revision": 1},
        "execution": {"id": EXECUTION_ID},
        "task": {"id": "t"},
        "taskrun": {"id": TASK_RUN_ID},
    }
    return {**base, **extra}


@dataclasses.dataclass
class Harness:
    """What a test may inspect after building a context."""

    ctx: WorkerRunContext
    files: FakeFiles
    kv: FakeKV
    services: WorkerServices

    def log_lines(self) -> list[tuple[str, str]]:
        return [(entry.level, entry.message) for entry in self.ctx.logger.lines]


@contextmanager
def harness(
    tmp_path: Path,
    *,
    task_id: str = "t",
    env: Mapping[str, str] | None = None,
    registry: PluginRegistry | None = None,
    log_level: str | None = None,
    extra_variables: Mapping[str, Any] | None = None,
) -> Iterator[Harness]:
    """A real ``WorkerRunContext`` over fakes, its bridge loop running in a thread."""
    local = tmp_path / "local"
    local.mkdir(exist_ok=True)
    files, kv = FakeFiles(local), FakeKV()
    clock = FixedClock(NOW)
    with background() as bridge:
        services = WorkerServices(
            files=files,
            kv=kv,
            bridge=bridge,
            environment=Environment(clock=clock),
            clock=clock,
            secrets=EnvSecrets(dict(env or {})),
            work_root=tmp_path,
            registry=registry,
        )
        attempt = Attempt(
            execution_id=EXECUTION_ID,
            task_run_id=TASK_RUN_ID,
            task_id=task_id,
            attempt=1,
            variables=variables(**dict(extra_variables or {})),
            log_level=log_level,
        )
        yield Harness(WorkerRunContext(services, attempt), files, kv, services)


def kv_entry(namespace: str, key: str, value: Any, type_: str = "STRING") -> KVEntry:
    return KVEntry(namespace, key, value, type_, NOW, NOW)

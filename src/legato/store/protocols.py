"""The store's ports: what services, the executor and workers need from persistence.

Every port is async (services are asyncio); adapters may wrap blocking drivers. One contract
suite (tests/contract/) runs each port on every adapter. Invariants shared by all adapters:

* ``ExecutorStore.commit`` is atomic: the new execution, the worker jobs, the timers, the
  consumed events and the log lines land together or not at all. A crash at any point loses
  nothing: unconsumed events are delivered again, unclaimed jobs stay queued.
* Events of one execution are processed by one executor at a time (``claim_events`` locks the
  execution until ``commit`` or ``release``; a commit may keep the lock for the next step, and
  ``owned_events`` then delivers the execution's events to its holder only); events are
  delivered in insertion order, timers only once due.
* A worker job is claimed by one worker; a job whose worker stopped heartbeating for longer
  than the stale delay goes back to the queue (its attempt is then run again).
* Values are JSON-like; executions round-trip through ``Execution.to_json``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from legato.errors import LegatoError
from legato.model.execution import Execution, StateType


class StoreConflictError(LegatoError):
    """A write clashed with stored data (a duplicate execution or job id); nothing was written."""


class LockLostError(StoreConflictError):
    """A commit checked for its executor's lock and found it gone (expired and taken by
    another executor), or a result's job gone (re-queued); nothing was written."""


@dataclass(frozen=True)
class FlowRecord:
    """One stored revision of a flow: its source text is what Kestra stores and returns."""

    namespace: str
    id: str
    revision: int
    source: str
    deleted: bool = False
    updated: datetime | None = None


@dataclass(frozen=True)
class LogEntry:
    """One log line of an execution (Kestra's LogEntry)."""

    execution_id: str
    timestamp: datetime
    level: str
    message: str
    namespace: str = ""
    flow_id: str = ""
    task_id: str | None = None
    task_run_id: str | None = None
    attempt_number: int | None = None
    trigger_id: str | None = None


@dataclass(frozen=True)
class MetricEntry:
    """One metric point (counter or timer) emitted by a task run."""

    execution_id: str
    task_run_id: str | None
    name: str
    type: str
    value: float
    timestamp: datetime
    tags: dict[str, str] = field(default_factory=dict)
    namespace: str = ""
    flow_id: str = ""
    task_id: str | None = None


@dataclass(frozen=True)
class StoredEvent:
    """An executor event waiting in the queue (``payload`` is ``runtime.events.to_json``)."""

    id: int
    execution_id: str
    payload: dict[str, Any]
    due_at: datetime | None = None


@dataclass(frozen=True)
class NewEvent:
    """An event to enqueue for ``execution_id``, delivered no earlier than ``due_at``."""

    execution_id: str
    payload: dict[str, Any]
    due_at: datetime | None = None


@dataclass(frozen=True)
class JobResult:
    """What a worker's ``WorkerQueue.finish`` of a job would store, handed to the executor of
    its own process in memory instead: the executor steps ``events`` at once and its commit
    deletes the job and appends ``logs`` and ``metrics``."""

    job_id: str
    execution_id: str
    events: Sequence[NewEvent]
    logs: Sequence[LogEntry] = ()
    metrics: Sequence[MetricEntry] = ()


@dataclass(frozen=True)
class WorkerJob:
    """A task-run attempt for a worker (``payload`` is the ``DispatchTask`` as JSON)."""

    id: str
    execution_id: str
    task_run_id: str
    payload: dict[str, Any]
    #: the worker owning the job: set by ``claim``, or at ``ExecutorStore.commit`` for a job
    #: handed straight to a worker of the committing process (then with ``claimed_at``)
    claimed_by: str | None = None
    claimed_at: datetime | None = None


@dataclass(frozen=True)
class KVEntry:
    """A KV value with its metadata (Kestra's KVEntry)."""

    namespace: str
    key: str
    value: Any
    type: str
    creation_date: datetime
    update_date: datetime
    expiration_date: datetime | None = None


@dataclass(frozen=True)
class ExecutionQuery:
    """Filters for ``ExecutionRepository.search``; None means any."""

    namespace: str | None = None
    flow_id: str | None = None
    states: Sequence[StateType] | None = None
    labels: dict[str, str] | None = None
    start_after: datetime | None = None
    start_before: datetime | None = None
    page: int = 1
    size: int = 10


class FlowRepository(Protocol):
    async def save(self, namespace: str, flow_id: str, source: str) -> FlowRecord:
        """Store ``source`` as a new revision when it differs from the latest, else return it."""
        ...

    async def get(
        self, namespace: str, flow_id: str, revision: int | None = None
    ) -> FlowRecord | None:
        """A revision (the latest when None); None if unknown or deleted (latest only)."""
        ...

    async def revisions(self, namespace: str, flow_id: str) -> list[FlowRecord]: ...

    async def list(self, namespace: str | None = None) -> list[FlowRecord]:
        """The latest non-deleted revision of every flow (of ``namespace`` and its children)."""
        ...

    async def delete(self, namespace: str, flow_id: str) -> FlowRecord | None:
        """Write a deleted revision (revision + 1); None if the flow is unknown."""
        ...


class ExecutionRepository(Protocol):
    async def get(self, execution_id: str) -> Execution | None: ...

    async def create(self, execution: Execution, events: Sequence[NewEvent] = ()) -> None:
        """Store a new execution and its first events (``ExecutionCreated``) atomically."""
        ...

    async def search(self, query: ExecutionQuery) -> tuple[list[Execution], int]:
        """A page of executions, newest first, and the total count."""
        ...

    async def unfinished(self) -> list[str]:
        """Ids of executions not in a terminal state (to resume after a restart)."""
        ...

    async def count_running(self, namespace: str, flow_id: str) -> int:
        """Executions of the flow in RUNNING/PAUSED/RESTARTED/KILLING (for concurrency)."""
        ...

    async def oldest_queued(self, namespace: str, flow_id: str) -> str | None: ...

    async def delete(self, execution_id: str) -> bool: ...


#: how long an executor's claim on an execution holds without a commit or release
LOCK_TIMEOUT = timedelta(seconds=60)


class ExecutorStore(Protocol):
    """The executor's queue of events and its atomic commit of transitions."""

    async def enqueue(self, events: Sequence[NewEvent]) -> None: ...

    async def claim_events(
        self, executor_id: str, now: datetime, limit: int = 100
    ) -> list[tuple[Execution, list[StoredEvent]]]:
        """Due events grouped by execution, each execution locked for ``executor_id``.

        Executions are returned in the order of their oldest due event, events in insertion
        order. A lock older than ``LOCK_TIMEOUT`` (its executor died) no longer holds (adapters
        may notice it up to a quarter of ``LOCK_TIMEOUT`` later)."""
        ...

    async def commit(
        self,
        execution: Execution,
        consumed: Sequence[int],
        *,
        jobs: Sequence[WorkerJob] = (),
        events: Sequence[NewEvent] = (),
        logs: Sequence[LogEntry] = (),
        new_executions: Sequence[Execution] = (),
        results: Sequence[JobResult] = (),
        holder: str | None = None,
        keep_lock_at: datetime | None = None,
    ) -> None:
        """Atomically: save ``execution``, delete ``consumed`` events, enqueue ``jobs`` and
        ``events``, append ``logs``, create ``new_executions``, delete the jobs of ``results``
        and append their logs and metrics (their events were stepped: they are not stored);
        then unlock the execution, or with ``keep_lock_at`` keep it locked, its lock time
        refreshed to that instant.

        Raises StoreConflictError (and writes nothing) when a job id or a new execution id
        already exists; LockLostError (and writes nothing) when ``holder`` is given and the
        execution is not locked by that executor, or a job of ``results`` no longer exists."""
        ...

    async def owned_events(self, executor_id: str, now: datetime) -> dict[str, list[StoredEvent]]:
        """Due events of the executions locked by ``executor_id`` (those its commits kept
        locked), grouped by execution in insertion order. ``claim_events`` never returns
        them to another executor while the lock holds."""
        ...

    async def keep_locks(
        self, executor_id: str, execution_ids: Sequence[str], now: datetime
    ) -> list[str]:
        """Move the lock time of those of ``execution_ids`` locked by ``executor_id`` to
        ``now`` (a holder keeping locks longer than ``LOCK_TIMEOUT``); returns the others,
        whose lock it no longer holds."""
        ...

    async def release(self, executor_id: str, execution_ids: Sequence[str]) -> None:
        """Unlock executions claimed but not committed (their events stay queued)."""
        ...

    async def next_due(self) -> datetime | None:
        """When the earliest future event (timer) is due, to sleep until then."""
        ...


class WorkerQueue(Protocol):
    """Worker jobs: claimed, heartbeated, finished, re-queued when their worker died."""

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        """Up to ``limit`` unclaimed jobs, oldest first, now owned by ``worker_id``.

        ``now`` (the wall clock when None) is the claim time: a claimed job whose worker never
        heartbeated is stale once its claim time is older than the stale delay."""
        ...

    async def heartbeat(self, worker_id: str, now: datetime) -> None: ...

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        """Atomically: delete the job, enqueue its result events, append logs and metrics.

        A job that no longer exists (already finished by a worker it was re-queued to) is
        ignored with its events, so a result is reported once."""
        ...

    async def requeue_stale(self, older_than: datetime) -> int:
        """Put back jobs whose worker's last heartbeat is older than ``older_than``."""
        ...

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        """Remove unclaimed jobs of these task runs; mark the claimed ones for a kill and
        return their task run ids (their worker kills them: ``killed``)."""
        ...

    async def killed(self, worker_id: str) -> list[str]:
        """Task run ids of the jobs ``worker_id`` holds that were marked for a kill."""
        ...


#: change-feed channel: due events or executions were stored (executors should claim)
EXECUTOR_CHANNEL = "legato_executor"
#: change-feed channel: unclaimed worker jobs were stored (workers should claim)
WORKER_CHANNEL = "legato_worker"


class ChangeFeed(Protocol):
    """Word that some process committed work to the store (PostgreSQL ``LISTEN``/``NOTIFY``),
    so processes sharing a database wake at once instead of at their next poll."""

    def subscribe(self, channel: str, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` (from another thread, possibly more than once per commit) after a
        commit that notified ``channel``, and after any reconnection (notifications may have
        been missed); returns the function that unsubscribes."""
        ...


class LogRepository(Protocol):
    async def append(self, entries: Sequence[LogEntry]) -> None: ...

    async def find(
        self,
        execution_id: str,
        *,
        min_level: str | None = None,
        task_run_id: str | None = None,
        task_id: str | None = None,
        attempt: int | None = None,
    ) -> list[LogEntry]: ...

    async def delete(self, execution_id: str) -> int: ...


class MetricRepository(Protocol):
    async def append(self, entries: Sequence[MetricEntry]) -> None: ...

    async def find(self, execution_id: str) -> list[MetricEntry]: ...

    async def delete(self, execution_id: str) -> int: ...


class KVStore(Protocol):
    async def get(self, namespace: str, key: str, now: datetime) -> KVEntry | None:
        """The entry, or None when absent; an expired entry is deleted and reported absent."""
        ...

    async def put(self, entry: KVEntry) -> None: ...

    async def delete(self, namespace: str, key: str) -> bool: ...

    async def list(
        self, namespace: str, now: datetime, prefix: str | None = None
    ) -> list[KVEntry]: ...


class FileStorage(Protocol):
    """Internal storage addressed by ``kestra:///path`` URIs (local disk, later S3/GCS)."""

    async def put(self, uri: str, data: bytes) -> str: ...

    async def put_file(self, uri: str, source_path: str) -> str: ...

    async def get(self, uri: str) -> bytes: ...

    async def open_local(self, uri: str) -> str:
        """A local file path holding the content of ``uri`` (for streaming and subprocesses)."""
        ...

    async def exists(self, uri: str) -> bool: ...

    async def size(self, uri: str) -> int: ...

    async def delete(self, uri: str) -> bool: ...

    async def list(self, prefix_uri: str) -> list[str]: ...

    async def delete_prefix(self, prefix_uri: str) -> int: ...

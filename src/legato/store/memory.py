"""In-memory adapters of every store port: the deterministic reference for unit tests.

Invariants: the same contract suite as the SQL adapters passes here. Every write is validated
before anything changes, so a failed ``commit`` or ``finish`` leaves the state untouched (the
in-memory form of a rolled-back transaction). Payloads are copied through JSON on the way in
and out, so callers never share mutable state with the store. Time comes from the injected
clock only.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from legato._kernel.clock import Clock, SystemClock
from legato.model.execution import Execution
from legato.store import rules
from legato.store.bundle import Store
from legato.store.protocols import (
    LOCK_TIMEOUT,
    ExecutionQuery,
    FlowRecord,
    JobResult,
    KVEntry,
    LockLostError,
    LogEntry,
    MetricEntry,
    NewEvent,
    StoreConflictError,
    StoredEvent,
    WorkerJob,
)


def _copy(value: Any) -> Any:
    return rules.loads(rules.dumps(value))


@dataclass
class _Job:
    job: WorkerJob
    claimed_at: datetime | None = None
    kill_requested: bool = False


@dataclass
class MemoryState:
    """Everything a memory store holds (one per ``memory_store``)."""

    clock: Clock
    flows: dict[tuple[str, str], list[FlowRecord]] = field(default_factory=dict)
    executions: dict[str, Execution] = field(default_factory=dict)
    events: dict[int, StoredEvent] = field(default_factory=dict)
    event_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    locks: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    jobs: dict[str, _Job] = field(default_factory=dict)
    heartbeats: dict[str, datetime] = field(default_factory=dict)
    logs: list[LogEntry] = field(default_factory=list)
    metrics: list[MetricEntry] = field(default_factory=list)
    kv: dict[tuple[str, str], KVEntry] = field(default_factory=dict)

    def enqueue(self, events: Sequence[NewEvent]) -> None:
        for new in events:
            event_id = next(self.event_ids)
            payload = _copy(new.payload)
            self.events[event_id] = StoredEvent(event_id, new.execution_id, payload, new.due_at)

    def add_jobs(self, jobs: Sequence[WorkerJob]) -> None:
        for job in jobs:
            # a job handed to a worker of the committing process is stored claimed
            stored = replace(job, payload=_copy(job.payload), claimed_at=None)
            self.jobs[job.id] = _Job(stored, job.claimed_at if job.claimed_by else None)

    def check_new(self, jobs: Sequence[WorkerJob], executions: Sequence[Execution]) -> None:
        job_ids = [job.id for job in jobs]
        execution_ids = [execution.id for execution in executions]
        if len(set(job_ids)) < len(job_ids) or any(i in self.jobs for i in job_ids):
            raise StoreConflictError(f"a worker job id among {job_ids} already exists")
        if len(set(execution_ids)) < len(execution_ids) or any(
            i in self.executions for i in execution_ids
        ):
            raise StoreConflictError(f"an execution id among {execution_ids} already exists")


class MemoryFlows:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    async def save(self, namespace: str, flow_id: str, source: str) -> FlowRecord:
        history = self._state.flows.setdefault((namespace, flow_id), [])
        if history and not history[-1].deleted and history[-1].source == source:
            return history[-1]
        record = FlowRecord(
            namespace, flow_id, len(history) + 1, source, False, self._state.clock.now()
        )
        history.append(record)
        return record

    async def get(
        self, namespace: str, flow_id: str, revision: int | None = None
    ) -> FlowRecord | None:
        history = self._state.flows.get((namespace, flow_id), [])
        if revision is None:
            return history[-1] if history and not history[-1].deleted else None
        return history[revision - 1] if 0 < revision <= len(history) else None

    async def revisions(self, namespace: str, flow_id: str) -> list[FlowRecord]:
        return list(self._state.flows.get((namespace, flow_id), []))

    async def list(self, namespace: str | None = None) -> list[FlowRecord]:
        latest = [history[-1] for history in self._state.flows.values()]
        found = [r for r in latest if not r.deleted and rules.in_namespace(r.namespace, namespace)]
        return sorted(found, key=lambda r: (r.namespace, r.id))

    async def delete(self, namespace: str, flow_id: str) -> FlowRecord | None:
        history = self._state.flows.get((namespace, flow_id), [])
        if not history or history[-1].deleted:
            return None
        last = history[-1]
        record = replace(
            last, revision=last.revision + 1, deleted=True, updated=self._state.clock.now()
        )
        history.append(record)
        return record


class MemoryExecutions:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    async def get(self, execution_id: str) -> Execution | None:
        return self._state.executions.get(execution_id)

    async def create(self, execution: Execution, events: Sequence[NewEvent] = ()) -> None:
        self._state.check_new((), (execution,))
        self._state.executions[execution.id] = execution
        self._state.enqueue(events)

    async def search(self, query: ExecutionQuery) -> tuple[list[Execution], int]:
        found = [e for e in self._state.executions.values() if _matches(e, query)]
        found.sort(key=lambda e: (e.state.startDate, e.id), reverse=True)
        start = (query.page - 1) * query.size
        return found[start : start + query.size], len(found)

    async def unfinished(self) -> list[str]:
        return [e.id for e in self._state.executions.values() if not e.state.current.is_terminal]

    async def count_running(self, namespace: str, flow_id: str) -> int:
        return sum(
            1
            for e in self._state.executions.values()
            if (e.namespace, e.flowId) == (namespace, flow_id)
            and e.state.current in rules.RUNNING_STATES
        )

    async def oldest_queued(self, namespace: str, flow_id: str) -> str | None:
        queued = [
            e
            for e in self._state.executions.values()
            if (e.namespace, e.flowId) == (namespace, flow_id) and e.state.current == "QUEUED"
        ]
        return min(queued, key=lambda e: (e.state.startDate, e.id)).id if queued else None

    async def delete(self, execution_id: str) -> bool:
        return self._state.executions.pop(execution_id, None) is not None


def _matches(execution: Execution, query: ExecutionQuery) -> bool:
    start = execution.state.startDate
    return (
        rules.in_namespace(execution.namespace, query.namespace)
        and (query.flow_id is None or execution.flowId == query.flow_id)
        and (query.states is None or execution.state.current in query.states)
        and rules.has_labels(execution.labels, query.labels)
        and (query.start_after is None or start >= query.start_after)
        and (query.start_before is None or start <= query.start_before)
    )


class MemoryExecutor:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    async def enqueue(self, events: Sequence[NewEvent]) -> None:
        self._state.enqueue(events)

    async def claim_events(
        self, executor_id: str, now: datetime, limit: int = 100
    ) -> list[tuple[Execution, list[StoredEvent]]]:
        state = self._state
        for execution_id, (_, locked_at) in list(state.locks.items()):
            if locked_at < now - LOCK_TIMEOUT:
                del state.locks[execution_id]
        due = sorted(
            (e for e in state.events.values() if e.due_at is None or e.due_at <= now),
            key=lambda e: e.id,
        )
        free = [e for e in due if e.execution_id not in state.locks]
        chosen = {e.execution_id for e in free[:limit] if e.execution_id in state.executions}
        claimed: dict[str, list[StoredEvent]] = {}
        for event in due:
            if event.execution_id in chosen:
                claimed.setdefault(event.execution_id, []).append(event)
        for execution_id in claimed:
            state.locks[execution_id] = (executor_id, now)
        return [
            (state.executions[i], [replace(e, payload=_copy(e.payload)) for e in events])
            for i, events in claimed.items()
        ]

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
        state = self._state
        state.check_new(jobs, new_executions)
        if holder is not None:
            lock = state.locks.get(execution.id)
            if lock is None or lock[0] != holder:
                raise LockLostError(f"execution {execution.id} is not locked by {holder}")
        gone = [r.job_id for r in results if r.job_id not in state.jobs]
        if gone:
            raise LockLostError(f"the worker jobs {gone} no longer exist (re-queued)")
        rules.dumps([e.payload for e in events] + [j.payload for j in jobs])
        state.executions[execution.id] = execution
        for event_id in consumed:
            state.events.pop(event_id, None)
        state.add_jobs(jobs)
        state.enqueue(events)
        for result in results:
            del state.jobs[result.job_id]
            state.logs.extend(result.logs)
            state.metrics.extend(result.metrics)
        state.logs.extend(logs)
        for new in new_executions:
            state.executions[new.id] = new
        if keep_lock_at is None:
            state.locks.pop(execution.id, None)
        else:
            state.locks[execution.id] = (holder or state.locks[execution.id][0], keep_lock_at)

    async def owned_events(self, executor_id: str, now: datetime) -> dict[str, list[StoredEvent]]:
        state = self._state
        owned: dict[str, list[StoredEvent]] = {}
        for event_id in sorted(state.events):
            event = state.events[event_id]
            lock = state.locks.get(event.execution_id)
            if lock is None or lock[0] != executor_id:
                continue
            if event.due_at is None or event.due_at <= now:
                owned.setdefault(event.execution_id, []).append(
                    replace(event, payload=_copy(event.payload))
                )
        return owned

    async def keep_locks(
        self, executor_id: str, execution_ids: Sequence[str], now: datetime
    ) -> list[str]:
        lost: list[str] = []
        for execution_id in execution_ids:
            lock = self._state.locks.get(execution_id)
            if lock is not None and lock[0] == executor_id:
                self._state.locks[execution_id] = (executor_id, now)
            else:
                lost.append(execution_id)
        return lost

    async def release(self, executor_id: str, execution_ids: Sequence[str]) -> None:
        for execution_id in execution_ids:
            lock = self._state.locks.get(execution_id)
            if lock is not None and lock[0] == executor_id:
                del self._state.locks[execution_id]

    async def next_due(self) -> datetime | None:
        dates = [e.due_at for e in self._state.events.values() if e.due_at is not None]
        return min(dates) if dates else None


class MemoryWorkerQueue:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    async def claim(
        self, worker_id: str, limit: int, now: datetime | None = None
    ) -> list[WorkerJob]:
        at = now or self._state.clock.now()
        free = [job for job in self._state.jobs.values() if job.job.claimed_by is None]
        claimed: list[WorkerJob] = []
        for job in free[:limit]:
            job.job = replace(job.job, claimed_by=worker_id)
            job.claimed_at = at
            claimed.append(replace(job.job, payload=_copy(job.job.payload)))
        return claimed

    async def heartbeat(self, worker_id: str, now: datetime) -> None:
        self._state.heartbeats[worker_id] = now

    async def finish(
        self,
        job_id: str,
        events: Sequence[NewEvent],
        logs: Sequence[LogEntry] = (),
        metrics: Sequence[MetricEntry] = (),
    ) -> None:
        if job_id not in self._state.jobs:
            return
        rules.dumps([e.payload for e in events])
        del self._state.jobs[job_id]
        self._state.enqueue(events)
        self._state.logs.extend(logs)
        self._state.metrics.extend(metrics)

    async def requeue_stale(self, older_than: datetime) -> int:
        count = 0
        for job in self._state.jobs.values():
            worker = job.job.claimed_by
            if worker is None:
                continue
            seen = self._state.heartbeats.get(worker, job.claimed_at)
            if seen is not None and seen < older_than:
                job.job = replace(job.job, claimed_by=None)
                job.claimed_at = None
                count += 1
        return count

    async def cancel(self, task_run_ids: Sequence[str]) -> list[str]:
        wanted = set(task_run_ids)
        still_claimed: list[str] = []
        for job_id, job in list(self._state.jobs.items()):
            if job.job.task_run_id not in wanted:
                continue
            if job.job.claimed_by is None:
                del self._state.jobs[job_id]
            else:
                job.kill_requested = True
                still_claimed.append(job.job.task_run_id)
        return still_claimed

    async def killed(self, worker_id: str) -> list[str]:
        return [
            job.job.task_run_id
            for job in self._state.jobs.values()
            if job.kill_requested and job.job.claimed_by == worker_id
        ]


class MemoryLogs:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    async def append(self, entries: Sequence[LogEntry]) -> None:
        self._state.logs.extend(entries)

    async def find(
        self,
        execution_id: str,
        *,
        min_level: str | None = None,
        task_run_id: str | None = None,
        task_id: str | None = None,
        attempt: int | None = None,
    ) -> list[LogEntry]:
        return rules.logs_matching(
            self._state.logs,
            execution_id,
            min_level=min_level,
            task_run_id=task_run_id,
            task_id=task_id,
            attempt=attempt,
        )

    async def delete(self, execution_id: str) -> int:
        kept = [entry for entry in self._state.logs if entry.execution_id != execution_id]
        removed = len(self._state.logs) - len(kept)
        self._state.logs[:] = kept
        return removed


class MemoryMetrics:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    async def append(self, entries: Sequence[MetricEntry]) -> None:
        self._state.metrics.extend(entries)

    async def find(self, execution_id: str) -> list[MetricEntry]:
        found = [m for m in self._state.metrics if m.execution_id == execution_id]
        return sorted(found, key=lambda m: m.timestamp)

    async def delete(self, execution_id: str) -> int:
        kept = [m for m in self._state.metrics if m.execution_id != execution_id]
        removed = len(self._state.metrics) - len(kept)
        self._state.metrics[:] = kept
        return removed


class MemoryKV:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    async def get(self, namespace: str, key: str, now: datetime) -> KVEntry | None:
        entry = self._state.kv.get((namespace, key))
        if entry is None:
            return None
        if entry.expiration_date is not None and entry.expiration_date <= now:
            del self._state.kv[(namespace, key)]
            return None
        return replace(entry, value=_copy(entry.value))

    async def put(self, entry: KVEntry) -> None:
        self._state.kv[(entry.namespace, entry.key)] = replace(entry, value=_copy(entry.value))

    async def delete(self, namespace: str, key: str) -> bool:
        return self._state.kv.pop((namespace, key), None) is not None

    async def list(self, namespace: str, now: datetime, prefix: str | None = None) -> list[KVEntry]:
        found = [
            entry
            for (ns, key), entry in self._state.kv.items()
            if ns == namespace
            and (prefix is None or key.startswith(prefix))
            and (entry.expiration_date is None or entry.expiration_date > now)
        ]
        return sorted(found, key=lambda entry: entry.key)


def memory_store(clock: Clock | None = None) -> Store:
    """A fresh, empty in-memory store."""
    state = MemoryState(clock or SystemClock())
    return Store(
        flows=MemoryFlows(state),
        executions=MemoryExecutions(state),
        executor=MemoryExecutor(state),
        worker_queue=MemoryWorkerQueue(state),
        logs=MemoryLogs(state),
        metrics=MemoryMetrics(state),
        kv=MemoryKV(state),
    )

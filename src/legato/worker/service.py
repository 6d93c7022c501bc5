"""The worker service: an asyncio loop that claims task-run jobs and runs them in threads.

Invariants:

* At most ``threads`` attempts run at once; a job is claimed only when a slot is free.
* Every claimed job ends with exactly one ``WorkerQueue.finish`` carrying a ``TaskRunStarted``
  (unless ``report_started`` is off) and a ``TaskRunFinished`` event, the attempt's log lines
  and its metrics (retried a few times when the store fails; a job whose finish never lands is
  re-queued as stale by the store).
* A job that runs past its ``timeout`` ends FAILED ("Task timed out after PT…"), a killed one
  KILLED; in both cases the task's kill event is set so a cooperative task stops, and the
  result is reported at once (a Python thread cannot be interrupted: a task that ignores the
  kill event keeps its thread until it returns, its late result is dropped).
* The worker heartbeats while it runs and re-queues jobs of workers that stopped heartbeating.
* A task with ``taskCache`` enabled is looked up before its attempt runs (``task_cache``): a hit
  ends SUCCESS with the cached outputs without running; a SUCCESS or WARNING run is stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from legato._kernel.clock import Clock, SystemClock
from legato._kernel.ids import new_id
from legato.expressions import Environment
from legato.model.execution import StateType
from legato.model.plugin import PluginKind
from legato.model.property import format_duration
from legato.model.registry import PluginRegistry
from legato.runtime.commands import DispatchTask
from legato.runtime.events import TaskRunFinished, TaskRunStarted, to_json
from legato.sdk.task_settings import DEFAULT_TASK_SETTINGS, TaskSettings
from legato.store.protocols import FileStorage, KVStore, NewEvent, WorkerJob, WorkerQueue
from legato.worker.bridge import Bridge, CalledOnLoop
from legato.worker.execute import AttemptOutcome, describe, run_attempt, run_child
from legato.worker.logs import LEVELS
from legato.worker.run_context import Attempt, WorkerRunContext, WorkerServices
from legato.worker.secrets import EnvSecrets
from legato.worker.task_cache import Offload, WorkerTaskCache, caching_children

log = logging.getLogger(__name__)

_DISPATCH_FIELDS = {f.name for f in dataclasses.fields(DispatchTask)}


class WakeSignal(Protocol):
    """A hint that jobs were queued (``executor.wakeup.Wakeup`` fits)."""

    async def wait(self, timeout: float) -> bool: ...

    def watch(self, waiter: asyncio.Future[None]) -> None:
        """Resolve ``waiter`` at the next hint (at once when one is waiting)."""
        ...

    def unwatch(self, waiter: asyncio.Future[None]) -> None: ...

    def consume(self) -> bool:
        """Take the waiting hint, if any."""
        ...


class KillSource(Protocol):
    """Where a worker learns that task runs it holds were killed (polled at each heartbeat)."""

    async def killed(self, worker_id: str) -> Sequence[str]: ...


@dataclass
class WorkerOptions:
    """How a worker runs, and what it is given besides the store ports."""

    worker_id: str = field(default_factory=lambda: "worker-" + new_id())
    threads: int = 8
    poll_interval: float = 0.5
    heartbeat_interval: float = 5.0
    #: jobs of workers silent for longer than this go back to the queue
    stale_after: float = 60.0
    #: how long ``stop`` waits for running attempts before reporting them KILLED
    drain_timeout: float = 30.0
    work_root: Path | None = None
    clock: Clock = field(default_factory=SystemClock)
    secrets: EnvSecrets = field(default_factory=EnvSecrets)
    environment: Environment | None = None
    wakeup: WakeSignal | None = None
    kills: KillSource | None = None
    #: optional plugin ports by name, each built once per ``run`` from the worker's bridge
    #: (e.g. ``{"logs": lambda bridge: SyncLogReader(repo, bridge)}``); see ``WorkerServices``
    ports: dict[str, Callable[[Bridge], Any]] = field(default_factory=dict)
    #: installation settings the tasks see (``RunContext.task_settings``)
    task_settings: TaskSettings = DEFAULT_TASK_SETTINGS
    #: report ``TaskRunStarted`` (attempt RUNNING, worker id) ahead of ``TaskRunFinished``, in
    #: the same ``finish`` (the port has no separate enqueue)
    report_started: bool = True


def dispatch_of(job: WorkerJob) -> DispatchTask:
    """The ``DispatchTask`` a job's payload holds (unknown keys ignored)."""
    payload = {k: v for k, v in job.payload.items() if k in _DISPATCH_FIELDS}
    payload.setdefault("execution_id", job.execution_id)
    payload.setdefault("task_run_id", job.task_run_id)
    payload.setdefault("attempt", 1)
    payload.setdefault("variables", {})
    return DispatchTask(**payload)


class _Running:
    """A job being run: its context and the signal that it was killed."""

    def __init__(self, ctx: WorkerRunContext) -> None:
        self.ctx = ctx
        #: resolved when the job is killed (a future: cheaper to wait on than an event's task)
        self.killed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def kill(self) -> None:
        self.ctx.kill_event.set()
        if not self.killed.done():
            self.killed.set_result(None)


class Worker:
    """Claims jobs from ``queue`` and runs them (see the module invariants)."""

    def __init__(
        self,
        queue: WorkerQueue,
        kv: KVStore,
        files: FileStorage,
        registry: PluginRegistry,
        options: WorkerOptions | None = None,
    ) -> None:
        self.queue = queue
        self.kv = kv
        self.files = files
        self.registry = registry
        self.options = options or WorkerOptions()
        self._running: dict[str, _Running] = {}
        #: per task type: whether it runs on the loop (``RunnableTask.runs_inline``)
        self._inline_types: dict[str, bool] = {}
        self._cache = WorkerTaskCache()
        self._run_child = caching_children(self._cache, run_child)
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()
        #: a job ended since the last idle wait (its slot is free)
        self._slot_freed = False
        #: the future ``_idle`` waits on, and whether a freed slot resolves it
        self._idle_waiter: asyncio.Future[None] | None = None
        self._idle_wants_slot = False
        #: the last claim got fewer jobs than it asked for: the queue was empty then
        self._drained = False

    @property
    def worker_id(self) -> str:
        return self.options.worker_id

    @property
    def running(self) -> list[str]:
        """Task-run ids of the attempts being run."""
        return list(self._running)

    def stop(self) -> None:
        """Ask ``run`` to return once running attempts ended (call on the worker's loop)."""
        self._stopping.set()
        if self._idle_waiter is not None:
            _resolve(self._idle_waiter)

    def kill(self, task_run_ids: Sequence[str]) -> list[str]:
        """Interrupt these task runs if this worker runs them; return those it ran."""
        hit = [run_id for run_id in task_run_ids if run_id in self._running]
        for run_id in hit:
            self._running[run_id].kill()
        return hit

    async def run(self) -> None:
        """Claim and run jobs until ``stop``."""
        loop = asyncio.get_running_loop()
        services = self._services(Bridge(loop))
        pool = ThreadPoolExecutor(self.options.threads, thread_name_prefix="legato-task")
        beat = asyncio.create_task(self._heartbeats())
        try:
            while not self._stopping.is_set():
                claimed = await self._claim_some(services, pool)
                if not claimed:
                    await self._idle()
            await self._drain()
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
            pool.shutdown(wait=False, cancel_futures=True)

    async def run_until_idle(self, timeout: float = 30.0) -> None:
        """Run jobs until the queue is empty and nothing runs (for tests and one-shot runs)."""
        loop = asyncio.get_running_loop()
        services = self._services(Bridge(loop))
        with ThreadPoolExecutor(self.options.threads, thread_name_prefix="legato-task") as pool:
            async with asyncio.timeout(timeout):
                while await self._claim_some(services, pool) or self._tasks:
                    if self._tasks:
                        await asyncio.wait(set(self._tasks), return_when="FIRST_COMPLETED")

    def _services(self, bridge: Bridge) -> WorkerServices:
        o = self.options
        return WorkerServices(
            files=self.files,
            kv=self.kv,
            bridge=bridge,
            environment=o.environment or Environment(clock=o.clock),
            clock=o.clock,
            secrets=o.secrets,
            work_root=o.work_root,
            registry=self.registry,
            ports={name: build(bridge) for name, build in o.ports.items()},
            task_settings=o.task_settings,
        )

    async def _claim_some(self, services: WorkerServices, pool: ThreadPoolExecutor) -> int:
        free = self.options.threads - len(self._tasks)
        if free <= 0:
            return 0
        jobs = await self.queue.claim(self.worker_id, free, now=self.options.clock.now())
        self._drained = len(jobs) < free
        for job in jobs:
            task = asyncio.create_task(self._handle(job, services, pool))
            self._tasks.add(task)
            task.add_done_callback(self._job_done)
        return len(jobs)

    def _job_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slot_freed = True
        if self._idle_waiter is not None and self._idle_wants_slot:
            _resolve(self._idle_waiter)
        if not task.cancelled() and task.exception() is not None:
            log.error("worker job handler crashed", exc_info=task.exception())

    async def _idle(self) -> None:
        """Wait for ``stop``, a free slot when all are busy or the queue may hold more jobs,
        and new jobs (wake-up or poll interval) when a slot is free.

        A slot freed after the queue was found empty does not trigger a claim: new jobs come
        with a wake-up (same process) or are found by the next poll. One future and one timer
        per wait: no task."""
        full = len(self._tasks) >= self.options.threads
        wants_slot = full or not self._drained
        wakeup = self.options.wakeup if not full else None
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        if self._stopping.is_set() or (wants_slot and self._slot_freed):
            _resolve(waiter)
        self._idle_waiter, self._idle_wants_slot = waiter, wants_slot
        if wakeup is not None:
            wakeup.watch(waiter)
        timer = loop.call_later(self.options.poll_interval, _resolve, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._idle_waiter = None
            if wakeup is not None:
                wakeup.unwatch(waiter)
                wakeup.consume()
        self._slot_freed = False

    async def _drain(self) -> None:
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=self.options.drain_timeout)
        if pending:
            self.kill(list(self._running))
            await asyncio.wait(pending)

    async def _heartbeats(self) -> None:
        every = self.options.heartbeat_interval
        while True:
            now = self.options.clock.now()
            try:
                await self.queue.heartbeat(self.worker_id, now)
                await self.queue.requeue_stale(now - timedelta(seconds=self.options.stale_after))
                if self.options.kills is not None:
                    self.kill(await self.options.kills.killed(self.worker_id))
            except Exception:
                log.exception("worker %s: heartbeat failed", self.worker_id)
            await asyncio.sleep(every)

    async def _handle(
        self, job: WorkerJob, services: WorkerServices, pool: ThreadPoolExecutor
    ) -> None:
        try:
            dispatch = dispatch_of(job)
        except (TypeError, ValueError) as error:
            failed = AttemptOutcome(
                StateType.FAILED, None, f"Invalid worker job: {describe(error)}"
            )
            await self._report(job, int(job.payload.get("attempt", 1)), failed, None)
            return
        ctx = WorkerRunContext(services, _attempt(dispatch))
        lookup = await self._cache.lookup(dispatch.task, ctx, _offload_to(pool))
        outcome = lookup.outcome()
        if outcome is None:
            outcome, ctx = await self._run(dispatch, ctx, services, pool)
            await self._cache.remember(lookup, outcome, ctx)
        await self._report(job, dispatch.attempt, outcome, ctx)

    async def _run(
        self,
        dispatch: DispatchTask,
        ctx: WorkerRunContext,
        services: WorkerServices,
        pool: ThreadPoolExecutor,
    ) -> tuple[AttemptOutcome, WorkerRunContext]:
        """Run the attempt on the loop (render-only tasks) or in a thread; the outcome and the
        context it ran with."""
        inline = self.runs_inline(dispatch.task.get("type"))
        earlier = ctx.logger.lines if inline else []
        outcome = self._inline_outcome(dispatch, ctx) if inline else None
        if outcome is None:
            if inline:  # the inline run was moved to a thread: start again, afresh
                ctx = WorkerRunContext(services, _attempt(dispatch))
                ctx.child_logs.extend(earlier)  # the lines written before it (task cache)
            running = _Running(ctx)
            self._running[dispatch.task_run_id] = running
            try:
                outcome = await self._outcome(dispatch, running, pool)
            finally:
                self._running.pop(dispatch.task_run_id, None)
        return outcome, ctx

    def runs_inline(self, type_name: object) -> bool:
        """Whether tasks of this type run on the loop (``RunnableTask.runs_inline``)."""
        if not isinstance(type_name, str):
            return False
        known = self._inline_types.get(type_name)
        if known is None:
            cls = self.registry.resolve(PluginKind.TASK, type_name)
            known = bool(getattr(cls, "runs_inline", False))
            self._inline_types[type_name] = known
        return known

    def _inline_outcome(
        self, dispatch: DispatchTask, ctx: WorkerRunContext
    ) -> AttemptOutcome | None:
        """Run the attempt here, on the loop; None when it called the loop back (a platform
        function): it must run in a thread, afresh."""
        try:
            return run_attempt(dispatch.task, ctx, self.registry)
        except CalledOnLoop:
            return None

    async def _outcome(
        self, dispatch: DispatchTask, running: _Running, pool: ThreadPoolExecutor
    ) -> AttemptOutcome:
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(
            pool, run_attempt, dispatch.task, running.ctx, self.registry, new_id, self._run_child
        )
        waiters: set[asyncio.Future[Any]] = {work, running.killed}
        done, _ = await asyncio.wait(
            waiters, timeout=dispatch.timeout_seconds, return_when="FIRST_COMPLETED"
        )
        if running.killed.done():
            running.ctx.kill_event.set()
            running.ctx.logger.warn("Task killed")
            return AttemptOutcome(StateType.KILLED, None, "Task killed", False)
        if work in done:
            return work.result()
        running.ctx.kill_event.set()
        limit = format_duration(timedelta(seconds=dispatch.timeout_seconds or 0))
        message = f"Task timed out after {limit}"
        running.ctx.logger.error(message)
        return AttemptOutcome(StateType.FAILED, None, message, True)

    async def _report(
        self, job: WorkerJob, attempt: int, outcome: AttemptOutcome, ctx: WorkerRunContext | None
    ) -> None:
        finished = TaskRunFinished(
            task_run_id=job.task_run_id,
            attempt=attempt,
            state=outcome.state,
            outputs=outcome.outputs,
            error=outcome.error,
            retryable=outcome.retryable,
            worker_id=self.worker_id,
            children=outcome.children,
        )
        events = [NewEvent(job.execution_id, to_json(finished))]
        if self.options.report_started:
            started = TaskRunStarted(job.task_run_id, attempt, self.worker_id)
            events.insert(0, NewEvent(job.execution_id, to_json(started)))
        logs = [*ctx.logger.lines, *ctx.child_logs] if ctx is not None else []
        metrics = list(ctx.metrics) if ctx is not None else []
        for delay in (0.0, 0.2, 1.0, 5.0):
            await asyncio.sleep(delay)
            try:
                await self.queue.finish(job.id, events, logs, metrics)
                return
            except Exception:
                log.exception("worker %s: cannot report job %s", self.worker_id, job.id)


def _offload_to(pool: ThreadPoolExecutor) -> Offload:
    """Run a function in ``pool`` from the loop (task-cache keys that read the store)."""

    def offload(work: Callable[[], str]) -> asyncio.Future[str]:
        return asyncio.get_running_loop().run_in_executor(pool, work)

    return offload


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _attempt(dispatch: DispatchTask) -> Attempt:
    level = dispatch.task.get("logLevel")
    return Attempt(
        execution_id=dispatch.execution_id,
        task_run_id=dispatch.task_run_id,
        task_id=str(dispatch.task.get("id", "")),
        attempt=dispatch.attempt,
        variables=dispatch.variables,
        log_level=level if isinstance(level, str) and level.upper() in LEVELS else None,
    )

"""The composition root: settings → store adapters → plugin registry → services → daemons.

Only this module (with ``testing`` and tests) imports store adapters and plugins: everything
else receives ports. ``open_engine`` builds one in-process engine (executor + worker sharing
in-process wake-ups); ``Engine.running`` runs its daemons as asyncio tasks; ``Engine.wait``
follows one execution until it ends.

Invariants: nothing is read from the environment here (the CLI passes ``Settings``); the
configured plugin defaults reach every flow parse through ``FlowService``; leaving
``open_engine`` stops the daemons and closes the store; a daemon that crashes makes
``running`` raise on exit instead of hanging a waiter forever; the first ``running`` of a
process moves the heap built so far out of the cyclic garbage collector's reach
(``freeze_startup_heap``).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import gc
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from legato import config
from legato._kernel.clock import Clock, SystemClock
from legato._kernel.ids import new_id
from legato.errors import LegatoError
from legato.executor.service import Executor, ExecutorOptions, ExecutorPorts
from legato.executor.unsaved_logs import LogsWithUnsaved
from legato.executor.wakeup import (
    NotifyingExecutionRepository,
    NotifyingExecutorStore,
    NotifyingWorkerQueue,
    Wakeup,
)
from legato.expressions.platform import Platform
from legato.model.execution import Execution
from legato.model.registry import PluginRegistry
from legato.services import maintenance, running_reports
from legato.services.executions import ExecutionNotFoundError, ExecutionService
from legato.services.flows import FlowService
from legato.services.handoff import HandoffQueue, LocalHandoff
from legato.store import bundle, factory, protocols, uris
from legato.store.files import local
from legato.worker import bridge as worker_bridge
from legato.worker import kv as worker_kv
from legato.worker import masking as worker_masking
from legato.worker import platform as worker_platform
from legato.worker import secrets as worker_secrets
from legato.worker import service as worker_service
from legato.worker import storage as worker_storage


class Role(enum.Enum):
    """Which daemons a process runs (Kestra's ``server standalone|executor|worker``)."""

    STANDALONE = "standalone"
    EXECUTOR = "executor"
    WORKER = "worker"


class Daemon(Protocol):
    """A long-running service loop."""

    async def run(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Stores:
    """Every store port of one installation: the database's repositories and the files."""

    flows: protocols.FlowRepository
    executions: protocols.ExecutionRepository
    queue: protocols.ExecutorStore
    workers: protocols.WorkerQueue
    logs: protocols.LogRepository
    metrics: protocols.MetricRepository
    kv: protocols.KVStore
    files: protocols.FileStorage
    #: other processes' commits of work, when the database tells (PostgreSQL)
    changes: protocols.ChangeFeed | None = None

    @classmethod
    def of(cls, store: bundle.Store, files: protocols.FileStorage) -> Stores:
        """The ports of an opened database ``store`` with internal storage ``files``."""
        return cls(
            flows=store.flows,
            executions=store.executions,
            queue=store.executor,
            workers=store.worker_queue,
            logs=store.logs,
            metrics=store.metrics,
            kv=store.kv,
            files=files,
            changes=store.changes,
        )


@dataclass(frozen=True)
class EngineOptions:
    """Daemon tuning for one engine (defaults suit ``legato run`` and ``server local``).

    A stable ``executor_id`` lets a restarted process take back the executions its previous
    incarnation had claimed at once, instead of waiting for the claims to expire; give one only
    when no other process runs an executor with the same id.
    """

    executor_id: str | None = None
    heartbeat_interval: float = 5.0
    stale_after: float = 60.0


def memory_settings(settings: config.Settings, folder: Path) -> config.Settings:
    """``settings`` switched to the in-memory store, with files and work folders in
    ``folder`` (a temporary folder the caller removes)."""
    return replace(
        settings, home=folder, database_url=config.MEMORY_URL, storage_path=folder / "storage"
    )


@dataclass
class Engine:
    """Services and daemons of one in-process installation."""

    settings: config.Settings
    registry: PluginRegistry
    stores: Stores
    clock: Clock
    flows: FlowService
    executions: ExecutionService
    executor: Executor
    worker_wake: Wakeup
    options: EngineOptions = EngineOptions()

    @contextlib.asynccontextmanager
    async def running(self, role: Role = Role.STANDALONE) -> AsyncIterator[None]:
        """Run the daemons of ``role`` while the block runs (the executor and the worker by
        default, sharing jobs, results and kills in memory); stop them after."""
        freeze_startup_heap()
        daemons: list[Daemon] = []
        handoff: LocalHandoff | None = None
        if role is not Role.WORKER:
            bridge = worker_bridge.Bridge(asyncio.get_running_loop())
            self.executor.options = replace(
                self.executor.options, platform=executor_platform(self, bridge)
            )
            daemons.append(self.executor)
        if role is not Role.EXECUTOR:
            worker, handoff = make_worker(self, self.worker_wake, local=role is Role.STANDALONE)
            daemons.append(worker)
            if handoff is not None:
                self.executor.effects.interrupt = worker.kill
                self.executor.handoff = handoff
                wakeup = self.executor.wakeup
                handoff.on_result = lambda: wakeup.notify(stored=False)
        unsubscribe = self._listen(role, handoff)
        tasks = [asyncio.create_task(d.run(), name=type(d).__name__) for d in daemons]
        self._tasks = tasks
        try:
            yield
        finally:
            for stop_listening in unsubscribe:
                stop_listening()
            if handoff is not None:
                handoff.close()
            for daemon in daemons:
                daemon.stop()
            done, pending = await asyncio.wait(tasks, timeout=10)
            self.executor.handoff = None
            self.executor.effects.interrupt = None
            for task in pending:
                task.cancel()
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    raise EngineError(f"the {task.get_name()} daemon crashed") from (
                        task.exception()
                    )

    def _listen(self, role: Role, handoff: LocalHandoff | None) -> list[Callable[[], None]]:
        """Wake the daemons of ``role`` when another process commits work for them (when the
        store tells: ``Stores.changes``); the functions that stop listening."""
        feed = self.stores.changes
        if feed is None:
            return []
        loop = asyncio.get_running_loop()
        executor_wake, worker_wake = self.executor.wakeup, self.worker_wake

        def work_for_workers() -> None:
            if handoff is not None:
                handoff.store_changed()
            worker_wake.notify()

        def on_loop(action: Callable[[], None]) -> Callable[[], None]:
            def hand_over() -> None:  # called on the feed's thread
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                    loop.call_soon_threadsafe(action)

            return hand_over

        listening: list[Callable[[], None]] = []
        if role is not Role.WORKER:
            listening.append(
                feed.subscribe(protocols.EXECUTOR_CHANNEL, on_loop(executor_wake.notify))
            )
        if role is not Role.EXECUTOR:
            listening.append(feed.subscribe(protocols.WORKER_CHANNEL, on_loop(work_for_workers)))
        return listening

    async def wait(
        self,
        execution_id: str,
        *,
        on_update: Callable[[Execution], None] | None = None,
        on_logs: Callable[[list[protocols.LogEntry]], None] | None = None,
        poll: float = 0.5,
    ) -> Execution:
        """Follow an execution until it ended and its ``afterExecution`` tasks too; report
        changes and new log lines.

        Commits of this process's executor are seen at once (no store read); the store is
        read again every ``poll`` seconds in case another process moves the execution."""
        changed = asyncio.Event()
        latest: list[Execution] = []

        def observe(execution: Execution) -> None:
            if execution.id == execution_id:
                latest.append(execution)
                changed.set()

        self.executor.observers.append(observe)
        try:
            return await self._follow(execution_id, changed, latest, on_update, on_logs, poll)
        finally:
            self.executor.observers.remove(observe)

    async def _follow(
        self,
        execution_id: str,
        changed: asyncio.Event,
        latest: list[Execution],
        on_update: Callable[[Execution], None] | None,
        on_logs: Callable[[list[protocols.LogEntry]], None] | None,
        poll: float,
    ) -> Execution:
        seen_logs = 0
        last: Execution | None = None
        execution = await self._get(execution_id)
        while True:
            if on_logs is not None:
                entries = await self.stores.logs.find(execution_id)
                if len(entries) > seen_logs:
                    on_logs(entries[seen_logs:])
                    seen_logs = len(entries)
            if on_update is not None and execution != last:
                on_update(execution)
            last = execution
            if finished(execution):
                return execution
            self.check_daemons()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), poll)
            changed.clear()
            if latest:
                execution = latest[-1]
                latest.clear()
            else:
                execution = await self._get(execution_id)

    async def _get(self, execution_id: str) -> Execution:
        execution = await self.stores.executions.get(execution_id)
        if execution is None:
            raise ExecutionNotFoundError(execution_id)
        return execution

    def check_daemons(self) -> None:
        """Raise ``EngineError`` when a daemon of ``running`` crashed."""
        for task in getattr(self, "_tasks", []):
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise EngineError(f"the {task.get_name()} daemon crashed") from task.exception()


#: whether ``freeze_startup_heap`` ran in this process (one-element list: no ``global``)
_HEAP_FROZEN: list[bool] = [False]


def freeze_startup_heap() -> None:
    """Collect, then freeze the objects alive now (modules, plugin registry, flows, store,
    ~120,000 tracked objects), once per process.

    Why: the daemons allocate steadily, so CPython runs a full (generation 2) collection every
    few thousand task runs, and it traverses every tracked object: 45-80 ms during which the
    event loop stands still (and the executor, seeing a slow pass, lingers as long again).
    Frozen objects are skipped by collections; they stay freed by reference counting, only a
    cycle among them is never reclaimed, so the freeze happens once, after the start-up."""
    if _HEAP_FROZEN[0]:
        return
    _HEAP_FROZEN[0] = True
    gc.collect()
    gc.freeze()


def finished(execution: Execution) -> bool:
    """Ended, and no task run still going (``afterExecution`` runs after the end)."""
    return execution.state.current.is_terminal and all(
        run.state.current.is_terminal for run in execution.taskRunList
    )


class EngineError(LegatoError):
    """The engine stopped working."""


StoreOpener = Callable[[config.Settings, Clock], contextlib.AbstractAsyncContextManager[Stores]]


@contextlib.asynccontextmanager
async def open_engine(
    settings: config.Settings,
    *,
    registry: PluginRegistry | None = None,
    clock: Clock | None = None,
    stores: StoreOpener | None = None,
    options: EngineOptions | None = None,
) -> AsyncIterator[Engine]:
    """An engine over the store named by ``settings`` (closed on exit)."""
    clock = clock or SystemClock()
    registry = registry or PluginRegistry.from_entry_points()
    opener = stores or open_stores
    async with opener(settings, clock) as raw:
        yield build_engine(settings, registry, raw, clock, options or EngineOptions())


def build_engine(
    settings: config.Settings,
    registry: PluginRegistry,
    raw: Stores,
    clock: Clock,
    options: EngineOptions,
) -> Engine:
    """Wire services and daemons over ``raw`` stores, with in-process wake-ups."""
    executor_wake, worker_wake = Wakeup(), Wakeup()
    stores = replace(
        raw,
        executions=NotifyingExecutionRepository(raw.executions, executor_wake),
        queue=NotifyingExecutorStore(raw.queue, executor_wake, worker_wake),
        workers=NotifyingWorkerQueue(raw.workers, executor_wake),
    )
    flows = FlowService(stores.flows, registry, settings.plugin_defaults)
    executions = ExecutionService(
        stores.executions, stores.queue, flows, stores.files, clock, new_id
    )
    ports = ExecutorPorts(stores.queue, stores.executions, stores.workers)
    executor_options = ExecutorOptions(clock=clock)
    if options.executor_id is not None:
        executor_options = replace(executor_options, executor_id=options.executor_id)
    executor = Executor(ports, flows, executions, executor_options, executor_wake)
    return Engine(
        settings, registry, stores, clock, flows, executions, executor, worker_wake, options
    )


def make_worker(
    engine: Engine, wakeup: Wakeup, *, local: bool = True
) -> tuple[worker_service.Worker, LocalHandoff | None]:
    """The worker daemon running plugin tasks in ``settings.worker_threads`` threads, their
    working directories under ``settings.work_root``, with ``settings.task_settings``; jobs
    still running after a moment are reported RUNNING at once (``RunningReports``); kills of
    its claimed jobs asked by any executor are read at each heartbeat (``WorkerQueue.killed``).
    With ``local``, also the ``LocalHandoff`` through which this process's executor gives it
    jobs and takes its results without the store."""
    work_root = engine.settings.work_root
    work_root.mkdir(parents=True, exist_ok=True)
    options = worker_service.WorkerOptions(
        threads=engine.settings.worker_threads,
        clock=engine.clock,
        wakeup=wakeup,
        work_root=work_root,
        heartbeat_interval=engine.options.heartbeat_interval,
        stale_after=engine.options.stale_after,
        ports=plugin_ports(engine.stores),
        task_settings=engine.settings.task_settings,
        kills=engine.stores.workers,
    )
    stores = engine.stores
    handoff = LocalHandoff(options.worker_id, options.threads) if local else None
    claims: protocols.WorkerQueue = stores.workers
    if handoff is not None:
        # a store found without jobs is asked again within half a poll interval at the latest
        claims = HandoffQueue(stores.workers, handoff, recheck=options.poll_interval / 2)
    queue = running_reports.RunningReports(claims, stores.queue)
    worker = worker_service.Worker(queue, stores.kv, stores.files, engine.registry, options)
    if handoff is not None:
        handoff.needs_slot = lambda job: not worker.runs_inline(_task_type(job))
    return worker, handoff


def _task_type(job: protocols.WorkerJob) -> object:
    task = job.payload.get("task")
    return task.get("type") if isinstance(task, dict) else None


def plugin_ports(stores: Stores) -> dict[str, Callable[[worker_bridge.Bridge], object]]:
    """The optional RunContext ports of the core tasks, over the store: ``logs`` (a
    ``sdk.ports.LogReader`` for ``log.Fetch``) and ``executions`` (an
    ``ExecutionPurger`` for ``execution.PurgeExecutions``)."""
    purge = maintenance.ExecutionPurge(
        stores.executions,
        stores.logs,
        stores.metrics,
        stores.files,
        lambda e: uris.execution_prefix(e.namespace, e.flowId, e.id),
    )
    return {
        "logs": lambda bridge: maintenance.SyncLogReader(stores.logs, bridge),
        "executions": lambda bridge: maintenance.SyncPurger(purge, bridge),
    }


def executor_platform(
    engine: Engine, bridge: worker_bridge.Bridge
) -> Callable[[Execution], Platform | None]:
    """Platform functions (kv(), secret(), read(), fileURI(), errorLogs()…) for the conditions
    and values the executor renders (If, Switch, runIf, ForEach values…), bound to each
    execution."""
    secrets = worker_secrets.EnvSecrets()
    stores = engine.stores
    # lines of results stepped from memory are read before the commit that stores them
    unsaved = LogsWithUnsaved(stores.logs, engine.executor.unsaved_logs)
    logs = maintenance.SyncLogReader(unsaved, bridge)

    def kv(namespace: str) -> worker_kv.RunKV:
        return worker_kv.RunKV(stores.kv, bridge, engine.clock, namespace)

    def platform(execution: Execution) -> Platform | None:
        prefix = uris.execution_prefix(execution.namespace, execution.flowId, execution.id)
        storage = worker_storage.RunStorage(stores.files, bridge, prefix, execution.namespace)
        return worker_platform.WorkerPlatform(
            variables={},
            storage=storage,
            kv=kv,
            secrets=secrets,
            masker=worker_masking.Masker(),
            namespace=execution.namespace,
            logs=logs,
            execution_id=execution.id,
        )

    return platform


@contextlib.asynccontextmanager
async def open_stores(settings: config.Settings, clock: Clock) -> AsyncIterator[Stores]:
    """The database named by ``settings.database_url`` (migrated) and the local internal
    storage under ``settings.storage_path``; the database is closed on exit."""
    store = await factory.open_store(settings.database_url, clock=clock)
    try:
        yield Stores.of(store, local.LocalFileStorage(settings.storage_path))
    finally:
        await store.close()


async def deploy_sources(
    settings: config.Settings, registry: PluginRegistry, sources: list[tuple[Path, str]]
) -> list[str]:
    """Deploy validated flow sources; one ``namespace.id revision N`` line per flow."""
    lines: list[str] = []
    async with open_engine(settings, registry=registry) as engine:
        for path, source in sources:
            for deployed in await engine.flows.deploy(source, path=str(path)):
                record = deployed.record
                lines.append(f"{record.namespace}.{record.id} revision {record.revision}")
    return lines

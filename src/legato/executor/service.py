"""The executor daemon: claim an execution's due events, step them, commit the transition.

One pass (``run_once``): ``ExecutorStore.claim_events`` locks executions with due events; for
each, the events are folded through ``runtime.step`` in queue order, the commands become store
writes (``effects``), and ``ExecutorStore.commit`` saves the new execution, consumes the events
and stores the writes atomically. ``run`` repeats passes until stopped, sleeping on the
in-process ``Wakeup``, the polling interval (100 ms while busy, 500 ms after 30 s idle) or the
next timer, whichever comes first. A pass that claimed fewer executions than its batch is not
followed by another claim unless a wake-up arrived (events committed here wake it too): the
queue held nothing else when it was claimed. The next timer is asked from the store after idle
passes only; busy passes use it and the timers they committed (a timer enqueued by another
process is then seen within one busy poll).

Invariants:

* Crash safety is the store's: an execution is only changed by ``commit``; a crash before it
  leaves the events queued (and the claim expires), so a restarted executor redoes the step.
* A step that raises (a bug, never a flow problem) fails the execution with an ERROR log line
  rather than looping on the same events forever. An execution whose flow revision cannot be
  loaded fails the same way.
* Worker interruptions (``KillTaskRuns``) are asked after the commit: a crash in between only
  lets a doomed task run finish.
* Results of jobs handed to the worker of this process come back in memory
  (``services.handoff``): while an execution has such jobs unsettled, its commit keeps its
  lock (``_kept``, with the execution as committed), and each pass steps the kept executions
  that got results or stored events (``owned_events``) before claiming others: one
  transaction per step instead of a worker's, a claim's and the executor's. A kept lock found
  lost at commit (expired and taken over) drops the step: its results are stored as a
  worker's would be, and the execution is stepped again from the store.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from legato import runtime
from legato._kernel.clock import Clock
from legato._kernel.ids import new_id
from legato.errors import LegatoError
from legato.executor import effects
from legato.executor.inline import InlineGuard, NeedsThread
from legato.executor.unsaved_logs import UnsavedLogs
from legato.executor.wakeup import Wakeup
from legato.expressions.platform import Platform
from legato.model.execution import Execution, StateType
from legato.runtime import commands, events
from legato.runtime.step import LogLine, StepContext, Transition
from legato.services.executions import ExecutionService
from legato.services.flows import DeployedFlow, FlowService
from legato.services.handoff import LocalHandoff
from legato.store.protocols import (
    LOCK_TIMEOUT,
    ExecutionRepository,
    ExecutorStore,
    JobResult,
    LockLostError,
    LogEntry,
    NewEvent,
    StoredEvent,
    WorkerQueue,
)

LOGGER = logging.getLogger("legato.executor")

#: the machine over a batch of events of one execution (``runtime.step_all``)
Step = Callable[[Execution, Sequence[events.Event], StepContext], Transition]
PlatformFactory = Callable[[Execution], Platform | None]


def _default_step(
    execution: Execution, batch: Sequence[events.Event], ctx: StepContext
) -> Transition:
    return runtime.step_all(execution, batch, ctx)


@dataclass(frozen=True)
class ExecutorPorts:
    """The store ports the executor uses."""

    store: ExecutorStore
    executions: ExecutionRepository
    workers: WorkerQueue


@dataclass(frozen=True)
class ExecutorOptions:
    """Tuning and injected sources of time and ids."""

    clock: Clock
    executor_id: str = field(default_factory=new_id)
    ids: Callable[[], str] = new_id
    batch: int = 100
    busy_poll: float = 0.1
    idle_poll: float = 0.5
    idle_after: float = 30.0
    #: a pass slower than this per execution (seconds) is followed by a pause (batching)
    linger_after: float = 0.02
    max_linger: float = 0.25
    step: Step = _default_step
    platform: PlatformFactory | None = None


class Executor:
    """Runs the pure machine over stored events."""

    def __init__(
        self,
        ports: ExecutorPorts,
        flows: FlowService,
        creator: ExecutionService,
        options: ExecutorOptions,
        wakeup: Wakeup | None = None,
    ) -> None:
        self.ports = ports
        self.flows = flows
        self.options = options
        self.wakeup = wakeup or Wakeup()
        self.effects = effects.Effects(ports.executions, ports.workers, flows, creator, options.ids)
        self._stopping = False
        #: the earliest timer (due event) known: from the last ``next_due`` or committed here
        self._next_timer: datetime | None = None
        #: called with every committed execution (in-process followers such as ``legato run``)
        self.observers: list[Callable[[Execution], None]] = []
        #: jobs go straight to the worker of this process when set (``services.handoff``)
        self.handoff: LocalHandoff | None = None
        #: executions whose lock this executor kept at its last commit, as committed
        self._kept: dict[str, Execution] = {}
        #: when the kept locks were last refreshed (they would expire after LOCK_TIMEOUT)
        self._kept_refreshed: datetime | None = None
        #: log lines of the in-memory results being stepped (read by ``errorLogs()``)
        self.unsaved_logs = UnsavedLogs()

    def stop(self) -> None:
        """Finish the current pass and return from ``run``."""
        self._stopping = True
        self.wakeup.notify()

    async def run(self) -> None:
        """Process events until ``stop`` is called (after taking back this executor's
        claims left by a previous process with the same ``executor_id``)."""
        await self.recover()
        clock = self.options.clock
        last_busy = clock.now()
        claim = True
        while not self._stopping:
            started = time.perf_counter()
            try:
                processed = await self.run_once(claim=claim)
            except Exception:  # the store is down: keep the daemon alive, retry after a while
                LOGGER.exception("executor %s: pass failed", self.options.executor_id)
                claim = await self._woken(self.options.idle_poll)
                continue
            now = clock.now()
            if processed:
                last_busy = now
                await self._linger((time.perf_counter() - started) / processed)
                if processed >= self.options.batch:
                    claim = True
                    continue
                if self.wakeup.is_set():
                    claim = await self._woken(0)
                    continue
                # busy: the timers known are those seen by the last idle pass or committed here
                claim = await self._woken(self._timeout(self.options.busy_poll, now))
                continue
            idle = (now - last_busy).total_seconds() > self.options.idle_after
            self._next_timer = await self.ports.store.next_due()
            claim = await self._woken(
                self._timeout(self.options.idle_poll if idle else self.options.busy_poll, now)
            )
        await self._let_go()

    async def _woken(self, timeout: float) -> bool:
        """Wait for a wake-up or ``timeout``; whether the next pass must claim from the store:
        after a poll that timed out (other processes' events, timers) or a notification that
        the store changed, not after results that came in memory only."""
        notified = await self.wakeup.wait(timeout)
        stored = self.wakeup.take_stored()
        return stored or not notified

    def _timeout(self, poll: float, now: datetime) -> float:
        """``poll``, shortened to the next timer known."""
        due = self._next_timer
        return poll if due is None else min(poll, max(0.0, (due - now).total_seconds()))

    def _saw_timers(self, new_events: list[NewEvent]) -> None:
        for event in new_events:
            due = event.due_at
            if due is not None and (self._next_timer is None or due < self._next_timer):
                self._next_timer = due

    async def _linger(self, spent: float) -> None:
        """After a pass slow per execution (big executions), let results pile up.

        Each pass reads and writes whole executions, so with thousands of task runs a pass
        per event is quadratic; waiting as long as the pass took (capped) batches the events
        of the next pass and leaves the event loop to the workers. Small executions are
        unaffected: their passes take a millisecond or two."""
        if spent > self.options.linger_after:
            await asyncio.sleep(min(spent, self.options.max_linger))

    async def recover(self) -> None:
        """Release claims held under this executor's id (a crashed predecessor's)."""
        unfinished = await self.ports.executions.unfinished()
        if unfinished:
            await self.ports.store.release(self.options.executor_id, unfinished)

    async def run_once(self, *, claim: bool = True) -> int:
        """One pass: the kept executions, then (with ``claim``) due events claimed from the
        store; returns how many executions were stepped."""
        kept = await self._run_kept(stored=claim)
        if not claim:
            return kept
        now = self.options.clock.now()
        claimed = await self.ports.store.claim_events(
            self.options.executor_id, now, self.options.batch
        )
        for execution, stored in claimed:
            await self._process_or_give_up(execution, stored)
        return kept + len(claimed)

    async def _process_or_give_up(
        self,
        execution: Execution,
        stored: list[StoredEvent],
        results: Sequence[JobResult] = (),
    ) -> None:
        try:
            await self.process(execution, stored, results)
        except LockLostError:
            # a kept lock expired and another executor took the execution over
            LOGGER.warning("executor: lost the lock of execution %s", execution.id)
            self._kept.pop(execution.id, None)
            await self._store_results(results)
        except Exception as error:
            LOGGER.exception("executor: execution %s could not be committed", execution.id)
            await self._give_up(execution, stored, error, results)

    async def _run_kept(self, *, stored: bool = True) -> int:
        """Step the kept executions that got results from the local worker or (when ``stored``:
        the store may have changed) stored events; results of executions not kept are stored
        as a worker's would be."""
        handoff = self.handoff
        results = handoff.take_results() if handoff is not None else []
        if not self._kept:
            await self._store_results(results)
            return 0
        now = self.options.clock.now()
        await self._refresh_kept(now)
        owned = await self.ports.store.owned_events(self.options.executor_id, now) if stored else {}
        by_execution: dict[str, list[JobResult]] = {}
        for result in results:
            by_execution.setdefault(result.execution_id, []).append(result)
        await self._store_results([r for r in results if r.execution_id not in self._kept])
        due = [i for i in self._kept if i in owned or i in by_execution]
        for execution_id in due:
            execution = self._kept[execution_id]
            await self._process_or_give_up(
                execution, owned.get(execution_id, []), by_execution.get(execution_id, [])
            )
        return len(due)

    async def _refresh_kept(self, now: datetime) -> None:
        """Every quarter of ``LOCK_TIMEOUT``, move the kept locks' time to now, so that a long
        task does not let them expire; a lock found taken over is no longer kept."""
        last = self._kept_refreshed
        if last is not None and last <= now < last + LOCK_TIMEOUT / 4:
            return
        self._kept_refreshed = now
        lost = await self.ports.store.keep_locks(self.options.executor_id, list(self._kept), now)
        for execution_id in lost:
            self._kept.pop(execution_id, None)

    async def _store_results(self, results: Sequence[JobResult]) -> None:
        """Store ``results`` as their worker's ``finish`` would (the executor steps them from
        the queue later); those that cannot be stored are taken again at the next pass."""
        handoff = self.handoff
        for index, result in enumerate(results):
            try:
                await self.ports.workers.finish(
                    result.job_id, result.events, result.logs, result.metrics
                )
            except Exception:
                if handoff is not None:
                    handoff.give_back(results[index:])
                raise
            if handoff is not None:
                handoff.settled([result])

    async def _let_go(self) -> None:
        """On stop: store the results not stepped and unlock the kept executions."""
        handoff = self.handoff
        try:
            await self._store_results(handoff.take_results() if handoff is not None else [])
        finally:
            kept, self._kept = list(self._kept), {}
            await self.ports.store.release(self.options.executor_id, kept)

    async def _give_up(
        self,
        execution: Execution,
        stored: list[StoredEvent],
        error: Exception,
        results: Sequence[JobResult] = (),
    ) -> None:
        """A transition that cannot be committed fails its execution (consuming the events),
        so one poisoned execution never blocks the queue; if even that cannot be stored the
        claim is released and the events are tried again later."""
        now = self.options.clock.now()
        why = f"the executor could not store the next state: {error}"
        failed, items, lines = _failed(execution, now, why)
        kept = self._kept.pop(execution.id, None) is not None
        try:
            writes = await self.effects.apply(failed, items, now)
            writes.logs.extend(_entry(failed, now, line) for line in lines)
            await self.ports.store.commit(
                failed,
                [event.id for event in stored],
                events=writes.events,
                logs=writes.logs,
                new_executions=writes.new_executions,
                results=results,
                holder=self.options.executor_id if kept else None,
            )
        except Exception:
            LOGGER.exception("executor: execution %s could not be failed", execution.id)
            await self.ports.store.release(self.options.executor_id, [execution.id])
            await self._store_results(results)
            return
        if self.handoff is not None:
            self.handoff.settled(results)

    async def process(
        self,
        execution: Execution,
        stored: list[StoredEvent],
        results: Sequence[JobResult] = (),
    ) -> Execution:
        """Step ``stored`` events of ``execution``, then the events of ``results`` (from the
        local worker, in memory), and commit; returns the new execution."""
        now = self.options.clock.now()
        payloads = [e.payload for e in stored]
        payloads.extend(event.payload for result in results for event in result.events)
        task_lines = [line for result in results for line in result.logs]
        with self.unsaved_logs.holding(execution.id, task_lines):
            stepped, items, lines = await self._step_all(execution, payloads, now)
        writes = await self.effects.apply(stepped, items, now)
        writes.logs.extend(_entry(stepped, now, line) for line in lines)
        handoff = self.handoff
        jobs = handoff.claim_for_worker(writes.jobs, now) if handoff else writes.jobs
        keep = (
            handoff is not None
            and not stepped.state.current.is_terminal
            and handoff.keeps(execution.id, jobs, results)
        )
        try:
            await self.ports.store.commit(
                stepped,
                [event.id for event in stored],
                jobs=jobs,
                events=writes.events,
                logs=writes.logs,
                new_executions=writes.new_executions,
                results=results,
                holder=self.options.executor_id if execution.id in self._kept else None,
                keep_lock_at=now if keep else None,
            )
        except BaseException:
            if handoff is not None:
                handoff.cancel(jobs)
            raise
        if keep:
            self._kept[execution.id] = stepped
        else:
            self._kept.pop(execution.id, None)
        if handoff is not None:
            handoff.deliver(jobs)
            handoff.settled(results)
        self._saw_timers(writes.events)
        if writes.events or writes.new_executions:
            self.wakeup.notify()  # events for executions (maybe this one): step them next
        for observer in list(self.observers):
            observer(stepped)
        follow_ups = await self.effects.after_commit(stepped, writes)
        if follow_ups:
            await self.ports.store.enqueue(follow_ups)
            self._saw_timers(follow_ups)
            self.wakeup.notify()
        return stepped

    async def _step_all(
        self, execution: Execution, stored: list[dict[str, Any]], now: datetime
    ) -> tuple[Execution, list[commands.Command], list[LogLine]]:
        try:
            deployed = await self.flows.load(
                execution.namespace, execution.flowId, execution.flowRevision
            )
        except LegatoError as error:
            return _failed(execution, now, f"cannot load the flow of the execution: {error}")
        ctx = await self._context(deployed, execution, now)
        guard = ctx.platform
        if not isinstance(guard, InlineGuard):
            return self._fold(execution, stored, ctx)
        try:
            return self._fold(execution, stored, ctx)
        except NeedsThread:
            # platform functions (kv(), read()…) call the async store back through the event
            # loop: such a step runs again (it is pure) outside the loop's thread
            guard.inline = False
            return await asyncio.to_thread(self._fold, execution, stored, ctx)

    def _fold(
        self, execution: Execution, stored: list[dict[str, Any]], ctx: StepContext
    ) -> tuple[Execution, list[commands.Command], list[LogLine]]:
        """The batch (events as JSON) as one transition; when it fails, event by event up to
        the failing one."""
        try:
            batch = [events.event_from_json(payload) for payload in stored]
            transition = self.options.step(execution, batch, ctx)
        except Exception:
            return self._fold_one_by_one(execution, stored, ctx)
        return transition.execution, list(transition.commands), list(transition.logs)

    def _fold_one_by_one(
        self, execution: Execution, stored: list[dict[str, Any]], ctx: StepContext
    ) -> tuple[Execution, list[commands.Command], list[LogLine]]:
        items: list[commands.Command] = []
        lines: list[LogLine] = []
        current = execution
        for payload in stored:
            try:
                event = events.event_from_json(payload)
                transition = self.options.step(current, [event], ctx)
            except Exception as error:
                LOGGER.exception("executor: step failed for execution %s", current.id)
                why = f"internal error while stepping: {error}"
                failed, more, notes = _failed(current, ctx.now, why)
                return failed, [*items, *more], [*lines, *notes]
            current = transition.execution
            items.extend(transition.commands)
            lines.extend(transition.logs)
        return current, items, lines

    async def _context(
        self, deployed: DeployedFlow, execution: Execution, now: datetime
    ) -> StepContext:
        running = 0
        if deployed.flow.concurrency is not None:
            running = await self.ports.executions.count_running(
                execution.namespace, execution.flowId
            )
        factory = self.options.platform
        return StepContext(
            flow=deployed.flow,
            now=now,
            ids=self.options.ids,
            platform=InlineGuard(lambda: factory(execution)) if factory else None,
            running_executions=running,
        )


def _failed(
    execution: Execution, now: datetime, message: str
) -> tuple[Execution, list[commands.Command], list[LogLine]]:
    if execution.state.current.is_terminal:
        return execution, [], [LogLine("ERROR", message)]
    failed = execution.model_copy(
        update={"state": execution.state.with_state(StateType.FAILED, now)}
    )
    return failed, [commands.ExecutionEnded(StateType.FAILED)], [LogLine("ERROR", message)]


def _entry(execution: Execution, now: datetime, line: LogLine) -> LogEntry:
    return effects.log_entry(execution, now, line.level, line.message, line.task_run_id)

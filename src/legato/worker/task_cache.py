"""Kestra's ``taskCache``: an attempt reuses the outputs of an earlier run of the same task.

Invariants (Kestra's worker, 0.24+):

* Only runnable tasks are cached: a job the worker runs, and each child of a worker-side group
  (WorkingDirectory), whose children run through ``caching_children``; the group itself is not
  cached, and flowables never reach the worker.
* The cache key is the SHA-256 of the task's definition (pluginDefaults applied) rendered with
  the task run's variables, ``workingDir`` standing for the text ``workingDir``: a property that
  renders differently (an input, an earlier output, ``now()``) makes another entry. An entry
  belongs to the flow (namespace and flow id) and to the task run's value, so iterations of a
  ForEach do not share one.
* A hit logs INFO ``Skipping task execution for task '<id>' as there is an existing cache entry
  for it`` and the attempt ends SUCCESS with the cached outputs, without running the task.
* ``ttl`` applies when an entry is read, against the task's current ``ttl``: an entry older
  than it is deleted and missed; without ``ttl`` an entry never expires.
* An attempt ending SUCCESS or WARNING stores its outputs (INFO ``Uploading a cache entry for
  task '<id>'``); FAILED and KILLED attempts are never cached.
* The cache never fails a task: a key that cannot be rendered, an unreadable entry or a failed
  upload log an ERROR and the attempt runs (or its result stands) as without a cache.
* Entries live in internal storage, in Kestra's cache layout:
  ``kestra:///<namespace path>/<flow slug>/<key>/cache[/<value hash>]/cache.json`` holding
  ``{"cachedAt": ISO-8601, "outputs": …}`` (``docs/decisions.md``).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from legato._kernel.clock import Clock
from legato.model.execution import StateType
from legato.model.plugin import PluginKind
from legato.model.registry import PluginRegistry
from legato.model.tasks import Task, TaskCache
from legato.store.protocols import FileStorage
from legato.store.uris import SCHEME, namespace_path, slugify
from legato.worker.bridge import CalledOnLoop
from legato.worker.execute import AttemptOutcome, describe
from legato.worker.group import ChildRunner
from legato.worker.run_context import WorkerRunContext

CACHE_FILE = "cache.json"
#: what the task definition sees of ``workingDir`` while its key is rendered (Kestra's stand-in)
KEY_VARIABLES = {"workingDir": "workingDir"}
#: attempt states whose outputs are stored
CACHED_STATES = frozenset({StateType.SUCCESS, StateType.WARNING})

#: runs a function in a worker thread (render calls that need the store cannot run on the loop)
Offload = Callable[[Callable[[], str]], Awaitable[str]]


def ttl_of(definition: Mapping[str, Any]) -> tuple[bool, timedelta | None]:
    """``(enabled, ttl)`` of a task definition's ``taskCache`` (off when absent)."""
    raw = definition.get("taskCache")
    if not isinstance(raw, Mapping):
        return False, None
    settings = TaskCache.model_validate(dict(raw))
    return settings.enabled, settings.ttl


def cache_key(definition: Mapping[str, Any], ctx: WorkerRunContext) -> str:
    """The SHA-256 (hex) of ``definition`` rendered in ``ctx``, as canonical JSON."""
    rendered = ctx.render(dict(definition), KEY_VARIABLES)
    text = json.dumps(
        rendered, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def cache_uri(namespace: str, flow_id: str, key: str, value: str | None) -> str:
    """Where the entry of ``key`` for a task run of ``value`` lives."""
    base = f"{SCHEME}/{namespace_path(namespace)}/{slugify(flow_id)}/{key}/cache"
    if value is None:
        return f"{base}/{CACHE_FILE}"
    value_hash = hashlib.sha256(value.encode()).hexdigest()
    return f"{base}/{value_hash}/{CACHE_FILE}"


@dataclass(frozen=True)
class CachedOutputs:
    """A cache entry's outputs (None when the task returned none)."""

    outputs: dict[str, Any] | None


class TaskCacheStore:
    """Reads and writes cache entries in internal storage."""

    def __init__(self, files: FileStorage, clock: Clock) -> None:
        self._files = files
        self._clock = clock

    async def load(self, uri: str, ttl: timedelta | None) -> CachedOutputs | None:
        """The entry at ``uri``; None when absent or older than ``ttl`` (then deleted)."""
        try:
            data = await self._files.get(uri)
        except FileNotFoundError:
            return None
        document = json.loads(data)
        cached_at = datetime.fromisoformat(document["cachedAt"])
        if ttl is not None and self._clock.now() > cached_at + ttl:
            await self._files.delete(uri)
            return None
        outputs = document.get("outputs")
        if outputs is not None and not isinstance(outputs, dict):
            raise ValueError(f"the cache entry {uri} holds outputs that are not a map")
        return CachedOutputs(outputs)

    async def save(self, uri: str, outputs: dict[str, Any] | None) -> None:
        document = {"cachedAt": self._clock.now().isoformat(), "outputs": outputs}
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, default=str)
        await self._files.put(uri, text.encode())


@dataclass(frozen=True)
class CacheLookup:
    """What the cache said about one attempt: where its entry lives (None: not cached) and,
    on a hit, the cached outputs."""

    uri: str | None = None
    hit: CachedOutputs | None = None

    def outcome(self) -> AttemptOutcome | None:
        """The attempt's outcome on a hit (SUCCESS with the cached outputs), else None."""
        if self.hit is None:
            return None
        return AttemptOutcome(StateType.SUCCESS, self.hit.outputs)


NOT_CACHED = CacheLookup()


class WorkerTaskCache:
    """The worker's use of the cache around one attempt: ``lookup`` before, ``remember`` after;
    entries are read and written through the attempt's ``ctx.services`` (files, clock)."""

    def __init__(self) -> None:
        #: per task type: whether it runs as a worker-side group
        self._groups: dict[str, bool] = {}

    async def lookup(
        self, definition: Mapping[str, Any], ctx: WorkerRunContext, offload: Offload
    ) -> CacheLookup:
        """Find the attempt's entry; logs in ``ctx`` what Kestra logs (see the module)."""
        if "taskCache" not in definition:
            return NOT_CACHED
        if self._is_group(definition.get("type"), ctx.services.registry):
            return NOT_CACHED
        task_id = str(definition.get("id", ""))
        try:
            enabled, ttl = ttl_of(definition)
            if not enabled:
                return NOT_CACHED
            ctx.logger.debug(f"Task output caching is enabled for task '{task_id}'")
            key = await _render_key(definition, ctx, offload)
        except Exception as error:
            ctx.logger.error(
                f"Unable to create the cache key for the task '{task_id}': {describe(error)}; "
                "the task runs without cache"
            )
            return NOT_CACHED
        flow = ctx.flow_info
        uri = cache_uri(flow.namespace, flow.id, key, ctx.task_run.value)
        try:
            hit = await _store(ctx).load(uri, ttl)
        except Exception as error:
            ctx.logger.error(
                f"Unexpected exception while loading the cache for task '{task_id}', the task "
                f"will be executed instead: {describe(error)}"
            )
            return CacheLookup(uri)
        if hit is not None:
            ctx.logger.info(
                f"Skipping task execution for task '{task_id}' as there is an existing cache "
                "entry for it"
            )
        return CacheLookup(uri, hit)

    async def remember(
        self, lookup: CacheLookup, outcome: AttemptOutcome, ctx: WorkerRunContext
    ) -> None:
        """Store the outputs of an attempt that ran after a miss, if it ended SUCCESS/WARNING."""
        if lookup.uri is None or outcome.state not in CACHED_STATES:
            return
        task_id = ctx.task_run.task_id
        ctx.logger.info(f"Uploading a cache entry for task '{task_id}'")
        try:
            await _store(ctx).save(lookup.uri, outcome.outputs)
        except Exception as error:
            ctx.logger.error(
                f"Unexpected exception while uploading the cache entry for task '{task_id}', "
                f"the outputs are not cached: {describe(error)}"
            )

    def _is_group(self, type_name: object, registry: PluginRegistry | None) -> bool:
        """Whether tasks of this type run as a worker-side group (never cached)."""
        if not isinstance(type_name, str) or registry is None:
            return False
        known = self._groups.get(type_name)
        if known is None:
            try:
                cls = registry.resolve(PluginKind.TASK, type_name)
            except Exception:  # an unknown type fails the attempt with its own message
                return False
            known = bool(getattr(cls, "dispatch_as_group", False))
            self._groups[type_name] = known
        return known


def _store(ctx: WorkerRunContext) -> TaskCacheStore:
    return TaskCacheStore(ctx.services.files, ctx.services.clock)


async def _render_key(
    definition: Mapping[str, Any], ctx: WorkerRunContext, offload: Offload
) -> str:
    """The key rendered on the loop, or in a worker thread when rendering calls the store."""
    try:
        return cache_key(definition, ctx)
    except CalledOnLoop:
        return await offload(lambda: cache_key(definition, ctx))


def caching_children(cache: WorkerTaskCache, run_child: ChildRunner) -> ChildRunner:
    """``run_child`` behind the cache, for the children of a group (run in a worker thread:
    the cache is reached on the worker's loop through ``ctx.services.bridge``)."""

    def run(task: Task, ctx: WorkerRunContext) -> tuple[StateType, Any, str | None, bool]:
        if task.taskCache is None or not task.taskCache.enabled:
            return run_child(task, ctx)
        definition = task.model_dump(mode="json", by_alias=True, exclude_none=True)
        bridge = ctx.services.bridge
        lookup = bridge.call(cache.lookup(definition, ctx, asyncio.to_thread))
        hit = lookup.outcome()
        if hit is not None:
            return hit.state, hit.outputs, None, True
        state, outputs, error, retryable = run_child(task, ctx)
        bridge.call(cache.remember(lookup, AttemptOutcome(state, outputs), ctx))
        return state, outputs, error, retryable

    return run

"""The worker's ``RunContext``: what one task-run attempt sees of the platform.

Invariants: rendering uses the worker's shared ``Environment`` with the task run's variables and a
``WorkerPlatform`` bound to them; the variables are never mutated (``extra`` makes a merged
copy); secrets read through ``secret`` or ``{{ secret() }}`` are masked in logs and outputs; the
working directory is created on first use (under ``work_root``: bootstrap gives the configured
``kestra.tasks.tmp-dir.path`` or ``home/work``) and removed by ``close``; the
``task_settings`` are the worker's, the same for every attempt; the kill event is set when
the task run is killed or times out.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
import threading
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

from pydantic import TypeAdapter, ValidationError

from legato._kernel.clock import Clock, SystemClock
from legato.expressions import Environment
from legato.model.registry import PluginRegistry
from legato.sdk.run_context import FlowInfo, MetricType, TaskError, TaskRunInfo
from legato.sdk.task_settings import DEFAULT_TASK_SETTINGS, TaskSettings
from legato.store.protocols import FileStorage, KVStore, LogEntry, MetricEntry
from legato.store.uris import task_run_prefix
from legato.worker.bridge import Bridge
from legato.worker.kv import RunKV
from legato.worker.logs import LogOrigin, TaskRunLogger
from legato.worker.masking import Masker
from legato.worker.platform import WorkerPlatform
from legato.worker.secrets import EnvSecrets, SecretNotFound
from legato.worker.storage import RunStorage
from legato.worker.tasks import load_task

T = TypeVar("T")


@dataclass
class WorkerServices:
    """What every run context of a worker shares."""

    files: FileStorage
    kv: KVStore
    bridge: Bridge
    environment: Environment = field(default_factory=Environment)
    clock: Clock = field(default_factory=SystemClock)
    secrets: EnvSecrets = field(default_factory=EnvSecrets)
    work_root: Path | None = None
    #: to validate task definitions (``load_task``, e.g. for TemplatedTask); None refuses them
    registry: PluginRegistry | None = None
    #: optional synchronous ports for plugins, by name (``logs``: a log reader for log.Fetch,
    #: ``executions``: an execution purger for PurgeExecutions); absent names read as None
    ports: Mapping[str, Any] = field(default_factory=dict)
    #: installation settings running tasks see (``RunContext.task_settings``)
    task_settings: TaskSettings = DEFAULT_TASK_SETTINGS


@dataclass(frozen=True)
class Attempt:
    """The attempt a context is made for."""

    execution_id: str
    task_run_id: str
    task_id: str
    attempt: int
    variables: Mapping[str, Any]
    log_level: str | None = None


def flow_info_of(variables: Mapping[str, Any]) -> FlowInfo:
    flow = variables.get("flow") or {}
    return FlowInfo(
        namespace=str(flow.get("namespace", "")),
        id=str(flow.get("id", "")),
        revision=flow.get("revision"),
        tenant_id=flow.get("tenantId"),
    )


def task_run_info_of(attempt: Attempt) -> TaskRunInfo:
    taskrun = attempt.variables.get("taskrun") or {}
    value = taskrun.get("value")
    return TaskRunInfo(
        id=attempt.task_run_id,
        task_id=attempt.task_id,
        attempt=attempt.attempt,
        value=None if value is None else str(value),
        parent_task_run_id=taskrun.get("parentId"),
        iteration=taskrun.get("iteration"),
    )


@functools.lru_cache(maxsize=256)
def _adapter(type_: Hashable) -> TypeAdapter[Any]:
    return TypeAdapter(cast(Any, type_))


def to_text(value: Any) -> str:
    """A rendered value as text, the way Kestra prints values (JSON for maps and lists)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, separators=(",", ":"), default=str, ensure_ascii=False)
    return str(value)


class WorkerRunContext:
    """Implements ``legato.sdk.run_context.RunContext`` for one attempt."""

    def __init__(
        self, services: WorkerServices, attempt: Attempt, parent: WorkerRunContext | None = None
    ) -> None:
        self._services = services
        self._attempt = attempt
        #: a child context (a task of a WorkingDirectory) shares its parent's masker, kill
        #: event and working directory
        self.masker: Masker = parent.masker if parent else Masker()
        self.kill_event: threading.Event = parent.kill_event if parent else threading.Event()
        self.metrics: list[MetricEntry] = []
        #: log lines of child contexts, reported with this attempt's
        self.child_logs: list[LogEntry] = []
        self._flow = flow_info_of(attempt.variables)
        self._variables = MappingProxyType(dict(attempt.variables))
        self._logger = TaskRunLogger(self._origin(), services.clock, self.masker, attempt.log_level)
        prefix = task_run_prefix(
            self._flow.namespace,
            self._flow.id,
            attempt.execution_id,
            attempt.task_id,
            attempt.task_run_id,
        )
        self._storage = RunStorage(services.files, services.bridge, prefix, self._flow.namespace)
        self._platform = WorkerPlatform(
            variables=self._variables,
            storage=self._storage,
            kv=self.kv,
            secrets=services.secrets,
            masker=self.masker,
            namespace=self._flow.namespace,
            logs=services.ports.get("logs"),
            execution_id=attempt.execution_id,
        )
        self._workdir: Path | None = parent.working_dir() if parent else None
        self._owns_workdir = parent is None

    def child(self, attempt: Attempt) -> WorkerRunContext:
        """A context for a task run inside this one (same working directory, masker, kills)."""
        return WorkerRunContext(self._services, attempt, parent=self)

    def adopt(self, child: WorkerRunContext) -> None:
        """Take over the log lines and metrics of a finished child context."""
        self.child_logs.extend(child.logger.lines)
        self.child_logs.extend(child.child_logs)
        self.metrics.extend(child.metrics)

    def _origin(self) -> LogOrigin:
        a = self._attempt
        return LogOrigin(
            a.execution_id,
            self._flow.namespace,
            self._flow.id,
            a.task_id,
            a.task_run_id,
            a.attempt,
        )

    @property
    def services(self) -> WorkerServices:
        return self._services

    @property
    def logs(self) -> Any:
        """The ``logs`` port (reads execution logs) when the worker was given one, else None."""
        return self._services.ports.get("logs")

    @property
    def executions(self) -> Any:
        """The ``executions`` port (purges executions) when given, else None."""
        return self._services.ports.get("executions")

    @property
    def task_settings(self) -> TaskSettings:
        """The installation's settings for tasks (read with ``sdk.task_settings.settings_of``)."""
        return self._services.task_settings

    @property
    def variables(self) -> Mapping[str, Any]:
        return self._variables

    @property
    def logger(self) -> TaskRunLogger:
        return self._logger

    @property
    def storage(self) -> RunStorage:
        return self._storage

    @property
    def task_run(self) -> TaskRunInfo:
        return task_run_info_of(self._attempt)

    @property
    def flow_info(self) -> FlowInfo:
        return self._flow

    @property
    def execution_id(self) -> str:
        return self._attempt.execution_id

    def render(self, value: Any, extra: Mapping[str, Any] | None = None) -> Any:
        variables = {**self._variables, **extra} if extra else self._variables
        return self._render(value, variables)

    def _render(self, value: Any, variables: Mapping[str, Any]) -> Any:
        if isinstance(value, str):
            env = self._services.environment
            return env.render_typed(value, variables, platform=self._platform)
        if isinstance(value, dict):
            return {
                to_text(self._render(k, variables)): self._render(v, variables)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self._render(v, variables) for v in value]
        return value

    def render_string(self, value: Any, extra: Mapping[str, Any] | None = None) -> str:
        if isinstance(value, str):
            variables = {**self._variables, **extra} if extra else self._variables
            env = self._services.environment
            return env.render(value, variables, platform=self._platform)
        return to_text(self.render(value, extra))

    def render_as(self, value: Any, type_: type[T], extra: Mapping[str, Any] | None = None) -> T:
        rendered = self.render(value, extra)
        try:
            result: T = _adapter(cast(Hashable, type_)).validate_python(rendered)
        except ValidationError as error:
            reason = error.errors()[0]["msg"] if error.errors() else str(error)
            raise TaskError(
                f"'{to_text(rendered)}' is not a valid {getattr(type_, '__name__', type_)}: "
                f"{reason}",
                retryable=False,
            ) from None
        return result

    def kv(self, namespace: str | None = None) -> RunKV:
        s = self._services
        return RunKV(s.kv, s.bridge, s.clock, namespace or self._flow.namespace)

    def secret(self, key: str) -> str:
        try:
            value = self._services.secrets.get(key)
        except SecretNotFound as error:
            raise TaskError(error.message) from None
        self.masker.register(value)
        return value

    def metric(
        self,
        name: str,
        value: float,
        type: MetricType = "counter",
        tags: Mapping[str, str] | None = None,
    ) -> None:
        a = self._attempt
        self.metrics.append(
            MetricEntry(
                execution_id=a.execution_id,
                task_run_id=a.task_run_id,
                name=name,
                type=type,
                value=float(value),
                timestamp=self._services.clock.now(),
                tags=dict(tags or {}),
                namespace=self._flow.namespace,
                flow_id=self._flow.id,
                task_id=a.task_id,
            )
        )

    def working_dir(self) -> Path:
        if self._workdir is None:
            root = self._services.work_root
            self._workdir = Path(tempfile.mkdtemp(prefix="legato-", dir=root))
        return self._workdir

    def load_task(self, definition: Mapping[str, Any]) -> Any:
        registry = self._services.registry
        if registry is None:
            raise TaskError("this worker has no plugin registry to validate task definitions")
        return load_task(definition, registry)

    def is_killed(self) -> bool:
        return self.kill_event.is_set()

    def wait_killed(self, timeout: float) -> bool:
        return self.kill_event.wait(max(timeout, 0.0))

    def close(self) -> None:
        """Remove the working directory, if one was made."""
        if self._workdir is not None and self._owns_workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
        self._workdir = None

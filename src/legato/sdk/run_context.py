"""What a running task sees of the platform: the ``RunContext`` a worker passes to ``run(ctx)``.

A runnable task declares ``def run(self, ctx: RunContext) -> dict[str, Any] | None``; the
returned mapping becomes the task run's outputs (None means no outputs). ``run`` is plain
blocking code: the worker calls it in a thread, so every method here is synchronous (the worker
bridges to its async store ports). Plugins reach storage, the KV store, secrets, metrics and logs
only through this protocol, never through the engine's internals. Optional attributes a worker
may add: the ports of ``sdk.ports`` and ``task_settings`` (installation settings such as the
Docker fallback; read them with ``sdk.task_settings.settings_of``).

Invariants:

* ``render`` never mutates its argument; strings are rendered, a lone ``{{ expr }}`` keeps its
  native type, lists and dicts are rendered recursively (keys too), other values pass unchanged.
* Files written through ``storage`` land under the task run's prefix
  (``kestra:///<namespace path>/<flow>/executions/<execution>/tasks/<task>/<taskrun>/``) and are
  addressed by ``kestra:///`` URIs, the only form task outputs carry.
* ``secret`` values are masked (``******``) in every log line and output of the task run.
* Raising ``TaskError(message, retryable=False)`` fails the attempt without retry; any other
  exception fails it with its message (retried according to the task's ``retry``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from legato.errors import LegatoError

T = TypeVar("T")

MetricType = Literal["counter", "timer"]


class TaskError(LegatoError):
    """The task failed.

    ``retryable=False`` forbids retries; ``outputs`` are kept on the failed task run (a script's
    ``vars`` survive a non-zero exit, as in Kestra).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        retryable: bool = True,
        outputs: Mapping[str, Any] | None = None,
    ) -> None:
        self.retryable = retryable
        self.outputs = outputs
        super().__init__(message)


class TaskWarning(LegatoError):
    """The task ran to the end but asks for a WARNING state (e.g. a script wrote to stderr with
    ``warningOnStdErr``); ``outputs`` are the task's outputs, as if ``run`` had returned them."""

    def __init__(self, message: str, *, outputs: Mapping[str, Any] | None = None) -> None:
        self.outputs = outputs
        super().__init__(message)


@dataclass(frozen=True)
class TaskRunInfo:
    """The task run being executed (Kestra's ``taskrun`` variable, plus the attempt)."""

    id: str
    task_id: str
    attempt: int
    value: str | None = None
    parent_task_run_id: str | None = None
    iteration: int | None = None


@dataclass(frozen=True)
class FlowInfo:
    """The flow of the running execution (Kestra's ``flow`` variable)."""

    namespace: str
    id: str
    revision: int | None = None
    tenant_id: str | None = None


class TaskLogger(Protocol):
    """Writes log lines of the task run (level names as Kestra's: TRACE…ERROR)."""

    def trace(self, message: str) -> None: ...

    def debug(self, message: str) -> None: ...

    def info(self, message: str) -> None: ...

    def warn(self, message: str) -> None: ...

    def error(self, message: str) -> None: ...

    def log(self, level: str, message: str) -> None: ...


class NamespaceFiles(Protocol):
    """The files of one namespace (Kestra's namespace files), addressed by relative paths."""

    def list(self, prefix: str = "") -> list[str]:
        """Relative paths of the namespace's files, those starting with ``prefix``."""
        ...

    def get(self, path: str) -> bytes: ...

    def put(self, path: str, data: bytes) -> str:
        """Write ``path`` (overwriting); return its ``kestra:///`` URI."""
        ...

    def delete(self, path: str) -> bool: ...

    def uri(self, path: str) -> str:
        """The ``kestra:///`` URI of ``path`` in this namespace."""
        ...


class TaskStorage(Protocol):
    """Internal storage as seen by a task run (synchronous facade over ``FileStorage``)."""

    def put_file(self, path: Path | str, name: str | None = None) -> str:
        """Upload a local file under the task run's prefix (as ``name``, default its file name)
        and return its ``kestra:///`` URI."""
        ...

    def put_bytes(self, data: bytes, name: str) -> str:
        """Store ``data`` as ``name`` under the task run's prefix; return its URI."""
        ...

    def get_bytes(self, uri: str) -> bytes:
        """The content of ``uri``; an unknown URI raises ``TaskError``."""
        ...

    def open_local(self, uri: str) -> Path:
        """A local path holding the content of ``uri`` (read it, never write it)."""
        ...

    def exists(self, uri: str) -> bool: ...

    def size(self, uri: str) -> int: ...

    def delete(self, uri: str) -> bool: ...

    def delete_execution_files(self) -> list[str]:
        """Delete every file of the current execution; return the deleted URIs."""
        ...

    def namespace_files(self, namespace: str | None = None) -> NamespaceFiles:
        """Namespace files of ``namespace`` (the flow's namespace when None)."""
        ...


class KVEntryView(Protocol):
    """A KV value with its metadata, as ``KVStore.list`` returns it."""

    @property
    def key(self) -> str: ...

    @property
    def value(self) -> Any: ...

    @property
    def type(self) -> str: ...


class NamespaceKV(Protocol):
    """The KV store of one namespace.

    ``get``, ``put``, ``delete`` and ``list`` concern this namespace only (as Kestra's KV tasks);
    ``lookup`` also reads the parents (``a.b.c`` → ``a.b`` → ``a``), as ``{{ kv('k') }}`` does.
    Expired entries are absent. An invalid key raises ``TaskError``.
    """

    @property
    def namespace(self) -> str: ...

    def get(self, key: str) -> KVEntryView | None: ...

    def lookup(self, key: str) -> KVEntryView | None:
        """The entry of ``key`` here or in the nearest parent namespace that has it."""
        ...

    def put(
        self,
        key: str,
        value: Any,
        *,
        type: str | None = None,
        ttl_seconds: float | None = None,
        overwrite: bool = True,
    ) -> None:
        """Store ``value`` (its KV type inferred when ``type`` is None); with ``overwrite``
        False an existing key raises ``TaskError``."""
        ...

    def delete(self, key: str) -> bool: ...

    def list(self, prefix: str | None = None) -> list[KVEntryView]: ...


class RunContext(Protocol):
    """The platform as a running task sees it (Kestra's ``RunContext``)."""

    @property
    def variables(self) -> Mapping[str, Any]:
        """The render variables of this task run (flow, execution, taskrun, inputs, outputs…)."""
        ...

    @property
    def logger(self) -> TaskLogger: ...

    @property
    def storage(self) -> TaskStorage: ...

    @property
    def task_run(self) -> TaskRunInfo: ...

    @property
    def flow_info(self) -> FlowInfo: ...

    @property
    def execution_id(self) -> str: ...

    def render(self, value: Any, extra: Mapping[str, Any] | None = None) -> Any:
        """Render ``value`` (see the module invariants); ``extra`` adds variables."""
        ...

    def render_string(self, value: Any, extra: Mapping[str, Any] | None = None) -> str:
        """Render ``value`` to text (None stays ``""``; non-strings are converted first)."""
        ...

    def render_as(self, value: Any, type_: type[T], extra: Mapping[str, Any] | None = None) -> T:
        """Render ``value`` and coerce it to ``type_`` (pydantic rules); a value that does not
        fit raises ``TaskError`` naming the expected type."""
        ...

    def kv(self, namespace: str | None = None) -> NamespaceKV:
        """The KV store of ``namespace`` (the flow's namespace when None)."""
        ...

    def secret(self, key: str) -> str:
        """The secret ``key`` (masked in logs from now on); a missing one raises ``TaskError``."""
        ...

    def metric(
        self,
        name: str,
        value: float,
        type: MetricType = "counter",
        tags: Mapping[str, str] | None = None,
    ) -> None:
        """Record a metric point of the task run."""
        ...

    def working_dir(self) -> Path:
        """A private directory for this attempt, created on first call, removed afterwards."""
        ...

    def load_task(self, definition: Mapping[str, Any]) -> Any:
        """Validate a task definition (a ``{id, type, …}`` mapping) with the worker's plugin
        registry and return the task object; an invalid one raises ``TaskError``."""
        ...

    def is_killed(self) -> bool:
        """True once the task run was killed or timed out: long tasks should stop soon."""
        ...

    def wait_killed(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds, returning early (True) if the task run is killed."""
        ...


FALSY = frozenset({"false", "0", "-0", ""})


def is_truthy(rendered: Any) -> bool:
    """Kestra's truthiness of a rendered condition: ``false``, ``0``, ``-0`` and ``""`` (after
    trimming) are false, every other text is true (so ``"False"`` is true); None is false."""
    if rendered is None:
        return False
    if isinstance(rendered, bool):
        return rendered
    return str(rendered).strip() not in FALSY


def render_leaves(ctx: RunContext, value: Any) -> Any:
    """Render every string inside ``value`` (keys too) as text, keeping its structure: Kestra's
    rendering of a map or list property (``OutputValues.values``)."""
    if isinstance(value, str):
        return ctx.render_string(value)
    if isinstance(value, Mapping):
        return {ctx.render_string(str(k)): render_leaves(ctx, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [render_leaves(ctx, v) for v in value]
    return value


def outputs_of(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """The outputs a ``run`` returned, as a plain dict (None means none)."""
    return dict(value) if value is not None else {}

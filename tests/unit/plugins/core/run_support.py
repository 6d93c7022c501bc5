"""A fake ``RunContext`` for running core tasks in unit tests: in-memory internal storage,
namespace files, collected logs and metrics, rendering through ``legato.expressions``.

It follows ``legato.sdk.run_context.RunContext`` and adds the optional ports the storage, log
and purge tasks look for (``storage.delete_execution_files``, ``logs``, ``executions``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from legato import expressions
from legato.sdk.run_context import FlowInfo, TaskError, TaskRunInfo

T = TypeVar("T")

NAMESPACE = "company.team"
FLOW = "flow"
EXECUTION = "exec1"
TASK_RUN = "tr1"
EXECUTION_PREFIX = f"kestra:///company/team/{FLOW}/executions/{EXECUTION}/"


class FakeLogger:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def log(self, level: str, message: str) -> None:
        self.lines.append((level, message))

    def trace(self, message: str) -> None:
        self.log("TRACE", message)

    def debug(self, message: str) -> None:
        self.log("DEBUG", message)

    def info(self, message: str) -> None:
        self.log("INFO", message)

    def warn(self, message: str) -> None:
        self.log("WARN", message)

    def error(self, message: str) -> None:
        self.log("ERROR", message)


class FakeNamespaceFiles:
    def __init__(self, files: dict[str, bytes], namespace: str) -> None:
        self._files = files
        self._prefix = "kestra:///" + namespace.replace(".", "/") + "/_files/"

    def list(self, prefix: str = "") -> list[str]:
        paths = [uri[len(self._prefix) :] for uri in self._files if uri.startswith(self._prefix)]
        return sorted(p for p in paths if p.startswith(prefix.lstrip("/")))

    def get(self, path: str) -> bytes:
        try:
            return self._files[self.uri(path)]
        except KeyError:
            raise TaskError(f"namespace file '{path}' not found") from None

    def put(self, path: str, data: bytes) -> str:
        self._files[self.uri(path)] = data
        return self.uri(path)

    def delete(self, path: str) -> bool:
        return self._files.pop(self.uri(path), None) is not None

    def uri(self, path: str) -> str:
        return self._prefix + path.lstrip("/")


class FakeStorage:
    """Internal storage as a dict of URI → bytes; local copies live under ``local``."""

    def __init__(self, local: Path, prefix: str) -> None:
        self.files: dict[str, bytes] = {}
        self.local = local
        self.prefix = prefix
        self._count = 0

    def put_file(self, path: Path | str, name: str | None = None) -> str:
        return self.put_bytes(Path(path).read_bytes(), name or Path(path).name)

    def put_bytes(self, data: bytes, name: str) -> str:
        uri = self.prefix + name
        self.files[uri] = data
        return uri

    def get_bytes(self, uri: str) -> bytes:
        try:
            return self.files[uri]
        except KeyError:
            raise TaskError(f"file '{uri}' not found in internal storage") from None

    def open_local(self, uri: str) -> Path:
        self._count += 1
        path = self.local / f"copy-{self._count}"
        path.write_bytes(self.get_bytes(uri))
        return path

    def exists(self, uri: str) -> bool:
        return uri in self.files

    def size(self, uri: str) -> int:
        return len(self.get_bytes(uri))

    def delete(self, uri: str) -> bool:
        return self.files.pop(uri, None) is not None

    def namespace_files(self, namespace: str | None = None) -> FakeNamespaceFiles:
        return FakeNamespaceFiles(self.files, namespace or NAMESPACE)

    def delete_execution_files(self) -> list[str]:
        gone = sorted(uri for uri in self.files if uri.startswith(EXECUTION_PREFIX))
        for uri in gone:
            del self.files[uri]
        return gone


@dataclass
class FakeRunContext:
    """A ``RunContext`` over in-memory fakes; ``base`` is a temporary directory."""

    base: Path
    variables: dict[str, Any] = field(default_factory=dict)
    logs: Any = None
    executions: Any = None
    killed: bool = False

    def __post_init__(self) -> None:
        (self.base / "local").mkdir(parents=True, exist_ok=True)
        self.logger = FakeLogger()
        prefix = EXECUTION_PREFIX + f"tasks/t/{TASK_RUN}/"
        self.storage = FakeStorage(self.base / "local", prefix)
        self.metrics: list[tuple[str, float, str]] = []
        self.task_run = TaskRunInfo(id=TASK_RUN, task_id="t", attempt=1)
        self.flow_info = FlowInfo(namespace=NAMESPACE, id=FLOW)
        self.execution_id = EXECUTION
        self.variables = {
            "flow": {"namespace": NAMESPACE, "id": FLOW},
            "execution": {"id": EXECUTION},
            **self.variables,
        }

    def render(self, value: Any, extra: Mapping[str, Any] | None = None) -> Any:
        variables = {**self.variables, **(extra or {})}
        if isinstance(value, str):
            return expressions.render_typed(value, variables)
        if isinstance(value, list):
            return [self.render(v, extra) for v in value]
        if isinstance(value, dict):
            return {self.render(k, extra): self.render(v, extra) for k, v in value.items()}
        return value

    def render_string(self, value: Any, extra: Mapping[str, Any] | None = None) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return expressions.render(value, {**self.variables, **(extra or {})})
        return str(value)

    def render_as(self, value: Any, type_: type[T], extra: Mapping[str, Any] | None = None) -> T:
        try:
            return TypeAdapter(type_).validate_python(self.render(value, extra))
        except ValidationError as error:
            raise TaskError(f"expected {type_}: {error}") from None

    def kv(self, namespace: str | None = None) -> Any:
        raise NotImplementedError("the storage tasks do not use the KV store")

    def secret(self, key: str) -> str:
        raise TaskError(f"Cannot find secret for key '{key}'")

    def metric(
        self,
        name: str,
        value: float,
        type: str = "counter",
        tags: Mapping[str, str] | None = None,
    ) -> None:
        self.metrics.append((name, value, type))

    def working_dir(self) -> Path:
        path = self.base / "work"
        path.mkdir(exist_ok=True)
        return path

    def is_killed(self) -> bool:
        return self.killed

    def wait_killed(self, timeout: float) -> bool:
        return self.killed


def local_files(directory: Path) -> list[str]:
    """Names of the files left in ``directory``."""
    return sorted(os.listdir(directory))

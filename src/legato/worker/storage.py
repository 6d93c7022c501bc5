"""The synchronous storage facade a task run sees (``sdk.run_context.TaskStorage``).

Invariants: files a task writes land under its task run's prefix
``kestra:///<namespace as path>/<flow slug>/executions/<execution>/tasks/<task slug>/<taskrun>/``;
namespace files live under ``kestra:///<namespace as path>/_files/``; only ``kestra://`` URIs
are accepted for reads; a missing file raises ``TaskError`` naming its URI.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from legato.sdk.run_context import NamespaceFiles, TaskError
from legato.store.protocols import FileStorage
from legato.store.uris import (
    SCHEME,
    namespace_files_prefix,
)
from legato.worker.bridge import Bridge


def check_uri(uri: str) -> str:
    if not isinstance(uri, str) or not uri.startswith(SCHEME):
        raise TaskError(
            f"'{uri}' is not an internal storage URI; expected one starting with kestra:///",
            retryable=False,
        )
    return uri


def _clean_name(name: str) -> str:
    parts = [p for p in PurePosixPath(name).parts if p not in ("/", ".", "..")]
    if not parts:
        raise TaskError(f"'{name}' is not a usable file name", retryable=False)
    return "/".join(parts)


class RunStorage:
    """Implements ``TaskStorage`` for one task run."""

    def __init__(self, files: FileStorage, bridge: Bridge, prefix: str, namespace: str) -> None:
        self._files = files
        self._bridge = bridge
        self._prefix = prefix
        self._namespace = namespace

    @property
    def prefix(self) -> str:
        return self._prefix

    def delete_execution_files(self) -> list[str]:
        root = self._prefix.rsplit("/tasks/", 1)[0] + "/"
        uris = self._bridge.call(self._files.list(root))
        self._bridge.call(self._files.delete_prefix(root))
        return sorted(uris)

    def put_file(self, path: Path | str, name: str | None = None) -> str:
        source = Path(path)
        if not source.is_file():
            raise TaskError(f"Cannot store '{source}': it is not a file", retryable=False)
        uri = f"{self._prefix}/{_clean_name(name or source.name)}"
        return self._bridge.call(self._files.put_file(uri, str(source)))

    def put_bytes(self, data: bytes, name: str) -> str:
        uri = f"{self._prefix}/{_clean_name(name)}"
        return self._bridge.call(self._files.put(uri, data))

    def get_bytes(self, uri: str) -> bytes:
        try:
            return self._bridge.call(self._files.get(check_uri(uri)))
        except (FileNotFoundError, KeyError):
            raise TaskError(f"File '{uri}' not found in internal storage") from None

    def open_local(self, uri: str) -> Path:
        try:
            return Path(self._bridge.call(self._files.open_local(check_uri(uri))))
        except (FileNotFoundError, KeyError):
            raise TaskError(f"File '{uri}' not found in internal storage") from None

    def exists(self, uri: str) -> bool:
        return self._bridge.call(self._files.exists(check_uri(uri)))

    def size(self, uri: str) -> int:
        try:
            return self._bridge.call(self._files.size(check_uri(uri)))
        except (FileNotFoundError, KeyError):
            raise TaskError(f"File '{uri}' not found in internal storage") from None

    def delete(self, uri: str) -> bool:
        return self._bridge.call(self._files.delete(check_uri(uri)))

    def namespace_files(self, namespace: str | None = None) -> NamespaceFiles:
        return NamespaceFileView(self._files, self._bridge, namespace or self._namespace)


class NamespaceFileView:
    """Implements ``NamespaceFiles`` for one namespace."""

    def __init__(self, files: FileStorage, bridge: Bridge, namespace: str) -> None:
        self._files = files
        self._bridge = bridge
        self._root = namespace_files_prefix(namespace)

    def uri(self, path: str) -> str:
        return f"{self._root}/{_clean_name(path)}"

    def list(self, prefix: str = "") -> list[str]:
        uris = self._bridge.call(self._files.list(self._root + "/"))
        relative = [u[len(self._root) + 1 :] for u in uris if u.startswith(self._root + "/")]
        wanted = prefix.lstrip("/")
        return sorted(r for r in relative if r.startswith(wanted))

    def get(self, path: str) -> bytes:
        try:
            return self._bridge.call(self._files.get(self.uri(path)))
        except (FileNotFoundError, KeyError):
            raise TaskError(
                f"Namespace file '{path}' not found (looked for {self.uri(path)})"
            ) from None

    def put(self, path: str, data: bytes) -> str:
        return self._bridge.call(self._files.put(self.uri(path), data))

    def delete(self, path: str) -> bool:
        return self._bridge.call(self._files.delete(self.uri(path)))

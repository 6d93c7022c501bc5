"""The expression engine's ``Platform`` bound to one task run on a worker.

Invariants: every failure raises ``ExpressionEvaluationError`` with a message naming the key or
file; ``kv(key)`` without a namespace looks in the flow's namespace then its parents (Kestra's
``KvFunction``), with a namespace only there; secrets read are registered for masking; a path that
is not a ``kestra://`` URI names a namespace file (of the flow's namespace unless one is given);
``errorLogs()`` is not available on a worker (the worker cannot read logs) and says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from legato.errors import ExpressionEvaluationError, LegatoError
from legato.runtime import render_platform
from legato.sdk.ports import LogReader
from legato.store.uris import SCHEME
from legato.worker.kv import RunKV
from legato.worker.masking import Masker
from legato.worker.secrets import EnvSecrets
from legato.worker.storage import NamespaceFileView, RunStorage

T = TypeVar("T")

#: how many ERROR lines ``errorLogs()`` returns at most (Kestra's ``LogService.errorLogs``)
ERROR_LOGS_LIMIT = 25


class WorkerPlatform:
    """Implements ``legato.expressions.platform.Platform`` for a task run."""

    def __init__(
        self,
        *,
        variables: Mapping[str, Any],
        storage: RunStorage,
        kv: Callable[[str], RunKV],
        secrets: EnvSecrets,
        masker: Masker,
        namespace: str,
        logs: LogReader | None = None,
        execution_id: str | None = None,
    ) -> None:
        self._variables = variables
        self._storage = storage
        self._kv = kv
        self._secrets = secrets
        self._masker = masker
        self._namespace = namespace
        self._logs = logs
        self._execution_id = execution_id

    def kv(self, key: str, namespace: str | None, error_on_missing: bool) -> Any:
        store = self._kv(namespace or self._namespace)
        entry = _guard(lambda: store.get(key) if namespace else store.lookup(key))
        if entry is None:
            if error_on_missing:
                raise ExpressionEvaluationError(
                    f"The key '{key}' does not exist in the namespace "
                    f"'{namespace or self._namespace}'."
                )
            return None
        return entry.value

    def secret(self, key: str, namespace: str | None, subkey: str | None) -> str:
        value = _guard(lambda: self._secrets.get(key))
        self._masker.register(value)
        if subkey is None:
            return value
        return self._subkey(key, value, subkey)

    def _subkey(self, key: str, value: str, subkey: str) -> str:
        try:
            data = json.loads(value)
        except ValueError:
            data = None
        if not isinstance(data, dict) or subkey not in data:
            raise ExpressionEvaluationError(
                f"Cannot find subkey '{subkey}' in secret '{key}': the secret must be a JSON "
                "object holding that key"
            )
        found = str(data[subkey])
        self._masker.register(found)
        return found

    def read(self, path: str, namespace: str | None) -> str:
        data = _guard(lambda: self._bytes(path, namespace))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise ExpressionEvaluationError(f"File '{path}' is not UTF-8 text") from None

    def _bytes(self, path: str, namespace: str | None) -> bytes:
        if path.startswith(SCHEME):
            return self._storage.get_bytes(path)
        return self._files(namespace).get(path)

    def _files(self, namespace: str | None) -> NamespaceFileView:
        view = self._storage.namespace_files(namespace or self._namespace)
        assert isinstance(view, NamespaceFileView)
        return view

    def file_uri(self, path: str, namespace: str | None) -> str:
        return _guard(lambda: self._files(namespace).uri(path))

    def _uri(self, path: str) -> str:
        return path if path.startswith(SCHEME) else self._files(None).uri(path)

    def file_size(self, path: str) -> int:
        return _guard(lambda: self._storage.size(self._uri(path)))

    def file_exists(self, path: str) -> bool:
        return _guard(lambda: self._storage.exists(self._uri(path)))

    def is_file_empty(self, path: str) -> bool:
        return self.file_size(path) == 0

    def error_logs(self) -> list[dict[str, Any]]:
        logs, execution_id = self._logs, self._execution_id
        if logs is None or execution_id is None:
            raise ExpressionEvaluationError(
                "errorLogs(): this platform cannot read execution logs (it was built without a "
                "'logs' port); run the flow on an engine whose worker and executor are given one"
            )
        found = _guard(lambda: logs.fetch(execution_id, min_level="ERROR"))
        return [dict(entry) for entry in found[:ERROR_LOGS_LIMIT]]

    def current_each_output(self, outputs: Any) -> Any:
        return render_platform.current_each_output(self._variables, outputs)

    def tasks_with_state(self, state: str) -> list[dict[str, Any]]:
        return render_platform.tasks_with_state(self._variables, state)


def _guard(action: Callable[[], T]) -> T:
    """Run ``action``, turning Legato errors into expression errors with the same message."""
    try:
        return action()
    except ExpressionEvaluationError:
        raise
    except LegatoError as error:
        raise ExpressionEvaluationError(error.message) from None

"""The platform functions' port: what ``kv()``, ``secret()``, ``read()``… need from an execution.

The expression engine declares these functions; a running execution binds them by passing an
object implementing ``Platform`` in the render call. Without one, calling such a function raises
an ``ExpressionEvaluationError`` saying it is only available while a flow runs.
"""

from __future__ import annotations

from typing import Any, Protocol


class Platform(Protocol):
    """Platform services reachable from expressions. Every method may raise ExpressionError."""

    def kv(self, key: str, namespace: str | None, error_on_missing: bool) -> Any: ...

    def secret(self, key: str, namespace: str | None, subkey: str | None) -> str: ...

    def read(self, path: str, namespace: str | None) -> str: ...

    def file_uri(self, path: str, namespace: str | None) -> str: ...

    def file_size(self, path: str) -> int: ...

    def file_exists(self, path: str) -> bool: ...

    def is_file_empty(self, path: str) -> bool: ...

    def error_logs(self) -> list[dict[str, Any]]: ...

    def current_each_output(self, outputs: Any) -> Any: ...

    def tasks_with_state(self, state: str) -> list[dict[str, Any]]: ...

"""Stepping on the event loop's thread unless platform functions are called.

Platform functions (``kv()``, ``read()``, ``secret()``…) reach the async store back through the
event loop, so a step that calls them must run in another thread; most steps never call them,
and a hop to a thread costs more than the step itself. ``InlineGuard`` wraps the platform of a
step tried on the loop's thread: the first platform call raises ``NeedsThread``, and the caller
runs the step again in a thread with the guard opened.

Invariants: ``NeedsThread`` derives from ``BaseException`` so that no ``except Exception`` of
the expression engine or the runtime turns it into a render failure; redoing a step is safe
because ``runtime.step`` is pure (the first attempt's result is dropped whole); an open guard
only delegates (to the platform built at its first call).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from legato.expressions.platform import Platform


class NeedsThread(BaseException):
    """A platform function was called by a step running on the event loop's thread."""


class InlineGuard:
    """A ``Platform`` refusing calls while ``inline`` (see the module docstring); the real
    platform is built by ``make`` at its first use."""

    def __init__(self, make: Callable[[], Platform | None]) -> None:
        self._make = make
        self._inner: Platform | None = None
        self.inline = True

    def _target(self) -> Platform:
        if self.inline:
            raise NeedsThread
        if self._inner is None:
            self._inner = self._make()
        if self._inner is None:
            raise NotImplementedError("no platform functions here")
        return self._inner

    def kv(self, key: str, namespace: str | None, error_on_missing: bool) -> Any:
        return self._target().kv(key, namespace, error_on_missing)

    def secret(self, key: str, namespace: str | None, subkey: str | None) -> str:
        return self._target().secret(key, namespace, subkey)

    def read(self, path: str, namespace: str | None) -> str:
        return self._target().read(path, namespace)

    def file_uri(self, path: str, namespace: str | None) -> str:
        return self._target().file_uri(path, namespace)

    def file_size(self, path: str) -> int:
        return self._target().file_size(path)

    def file_exists(self, path: str) -> bool:
        return self._target().file_exists(path)

    def is_file_empty(self, path: str) -> bool:
        return self._target().is_file_empty(path)

    def error_logs(self) -> list[dict[str, Any]]:
        return self._target().error_logs()

    def current_each_output(self, outputs: Any) -> Any:
        return self._target().current_each_output(outputs)

    def tasks_with_state(self, state: str) -> list[dict[str, Any]]:
        return self._target().tasks_with_state(state)

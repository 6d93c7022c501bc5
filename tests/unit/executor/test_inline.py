"""InlineGuard: platform calls refused while inline, delegated (built once) when open."""

from __future__ import annotations

from typing import Any

import pytest

from legato.executor.inline import InlineGuard, NeedsThread


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        def method(*args: Any) -> Any:
            self.calls.append((name, args))
            return f"{name}-result"

        return method


METHODS = [
    ("kv", ("k", "ns", True)),
    ("secret", ("s", None, None)),
    ("read", ("p", None)),
    ("file_uri", ("p", "ns")),
    ("file_size", ("p",)),
    ("file_exists", ("p",)),
    ("is_file_empty", ("p",)),
    ("error_logs", ()),
    ("current_each_output", ({"a": 1},)),
    ("tasks_with_state", ("FAILED",)),
]


@pytest.mark.parametrize(("name", "args"), METHODS)
def test_inline_guard_refuses_every_platform_call(name: str, args: tuple[Any, ...]) -> None:
    built: list[int] = []
    guard = InlineGuard(lambda: built.append(1) or _Recorder())  # type: ignore[func-returns-value]
    with pytest.raises(NeedsThread):
        getattr(guard, name)(*args)
    assert built == []  # nothing is built for a refused call


@pytest.mark.parametrize(("name", "args"), METHODS)
def test_open_guard_delegates_with_the_same_arguments(name: str, args: tuple[Any, ...]) -> None:
    inner = _Recorder()
    guard = InlineGuard(lambda: inner)
    guard.inline = False
    assert getattr(guard, name)(*args) == f"{name}-result"
    assert inner.calls == [(name, args)]


def test_open_guard_builds_the_platform_once() -> None:
    made: list[_Recorder] = []

    def make() -> Any:
        made.append(_Recorder())
        return made[-1]

    guard = InlineGuard(make)
    guard.inline = False
    guard.file_exists("a")
    guard.file_size("b")
    assert len(made) == 1
    assert made[0].calls == [("file_exists", ("a",)), ("file_size", ("b",))]


def test_needs_thread_escapes_except_exception() -> None:
    guard = InlineGuard(lambda: None)
    with pytest.raises(NeedsThread):
        try:
            guard.kv("k", None, False)
        except Exception:  # what the expression engine and the runtime catch
            pytest.fail("NeedsThread must not be an Exception")


def test_open_guard_without_platform_says_so() -> None:
    guard = InlineGuard(lambda: None)
    guard.inline = False
    with pytest.raises(NotImplementedError, match="no platform functions"):
        guard.read("x", None)

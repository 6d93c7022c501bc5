"""Execution-bound functions delegate to the Platform port; without one they say why they fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest_callables import ENV, render

from legato.errors import ExpressionEvaluationError
from legato.expressions import Environment, Limits


@dataclass
class RecordingPlatform:
    """A Platform that answers from fixed data and records every call."""

    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def kv(self, key: str, namespace: str | None, error_on_missing: bool) -> Any:
        self.calls.append(("kv", key, namespace, error_on_missing))
        return {"count": 3}

    def secret(self, key: str, namespace: str | None, subkey: str | None) -> str:
        self.calls.append(("secret", key, namespace, subkey))
        return "s3cr3t"

    def read(self, path: str, namespace: str | None) -> str:
        self.calls.append(("read", path, namespace))
        return "file content"

    def file_uri(self, path: str, namespace: str | None) -> str:
        self.calls.append(("file_uri", path, namespace))
        return "kestra:///ns/_files/" + path

    def file_size(self, path: str) -> int:
        self.calls.append(("file_size", path))
        return 42

    def file_exists(self, path: str) -> bool:
        self.calls.append(("file_exists", path))
        return True

    def is_file_empty(self, path: str) -> bool:
        self.calls.append(("is_file_empty", path))
        return False

    def error_logs(self) -> list[dict[str, Any]]:
        self.calls.append(("error_logs",))
        return [{"taskId": "t1", "message": "boom"}]

    def current_each_output(self, outputs: Any) -> Any:
        self.calls.append(("current_each_output", outputs))
        return outputs["a"]

    def tasks_with_state(self, state: str) -> list[dict[str, Any]]:
        self.calls.append(("tasks_with_state", state))
        return [{"taskId": "t1", "state": state}]


@pytest.mark.parametrize(
    ("source", "expected", "call"),
    [
        ("{{ kv('my_key').count }}", "3", ("kv", "my_key", None, True)),
        ("{{ kv('k', 'team', false) }}", '{"count":3}', ("kv", "k", "team", False)),
        ("{{ kv('k', errorOnMissing=false) }}", '{"count":3}', ("kv", "k", None, False)),
        ("{{ secret('API') }}", "s3cr3t", ("secret", "API", None, None)),
        ("{{ secret('API', subkey='x') }}", "s3cr3t", ("secret", "API", None, "x")),
        ("{{ read('a.txt') }}", "file content", ("read", "a.txt", None)),
        ("{{ read('a.txt', 'team') }}", "file content", ("read", "a.txt", "team")),
        ("{{ fileURI('a.txt') }}", "kestra:///ns/_files/a.txt", ("file_uri", "a.txt", None)),
        ("{{ fileSize('kestra:///f') }}", "42", ("file_size", "kestra:///f")),
        ("{{ fileExists('f') }}", "true", ("file_exists", "f")),
        ("{{ isFileEmpty('f') }}", "false", ("is_file_empty", "f")),
        ("{{ fileEmpty('f') }}", "false", ("is_file_empty", "f")),
        ("{{ errorLogs()[0].message }}", "boom", ("error_logs",)),
        ("{{ currentEachOutput({'a': 7}) }}", "7", ("current_each_output", {"a": 7})),
        ("{{ tasksWithState('failed')[0].state }}", "FAILED", ("tasks_with_state", "FAILED")),
    ],
)
def test_platform_functions_delegate(source: str, expected: str, call: tuple[Any, ...]) -> None:
    platform = RecordingPlatform()
    assert ENV.render(source, {}, platform=platform) == expected
    assert platform.calls == [call]


@pytest.mark.parametrize(
    "source",
    [
        "{{ kv('k') }}",
        "{{ secret('k') }}",
        "{{ read('f') }}",
        "{{ fileURI('f') }}",
        "{{ fileSize('f') }}",
        "{{ fileExists('f') }}",
        "{{ isFileEmpty('f') }}",
        "{{ fileEmpty('f') }}",
        "{{ errorLogs() }}",
        "{{ currentEachOutput(1) }}",
        "{{ tasksWithState('FAILED') }}",
    ],
)
def test_without_an_execution_platform_functions_say_so(source: str) -> None:
    name = source[3 : source.index("(")]
    with pytest.raises(ExpressionEvaluationError, match=f"function '{name}' is only available"):
        render(source)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ kv() }}", "kv: argument 'key' is required"),
        ("{{ kv(1) }}", "kv: argument 'key' must be a string, got integer"),
        ("{{ kv('k', errorOnMissing='no') }}", "kv: argument 'errorOnMissing' must be a boolean"),
        ("{{ currentEachOutput() }}", "currentEachOutput: argument 'outputs' is required"),
    ],
)
def test_argument_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=message):
        ENV.render(source, {}, platform=RecordingPlatform())


def test_read_checks_the_size_of_the_file_text() -> None:
    small = Environment(limits=Limits(max_output=5))
    with pytest.raises(ExpressionEvaluationError):
        small.render("{{ read('f') }}", {}, platform=RecordingPlatform())


@pytest.mark.parametrize("source", ["{{ encrypt('k', 'text') }}", "{{ decrypt('k', 'x') }}"])
def test_encryption_is_refused_with_an_explanation(source: str) -> None:
    with pytest.raises(
        ExpressionEvaluationError, match="needs AES-GCM and the server's encryption"
    ):
        ENV.render(source, {}, platform=RecordingPlatform())

"""kv.Set/Get/GetKeys/Delete and templating.TemplatedTask, run as a worker runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from worker_harness import run, support, worker

from legato.model.execution import StateType

SET = "io.kestra.plugin.core.kv.Set"
GET = "io.kestra.plugin.core.kv.Get"
KEYS = "io.kestra.plugin.core.kv.GetKeys"
DELETE = "io.kestra.plugin.core.kv.Delete"
TEMPLATED = "io.kestra.plugin.core.templating.TemplatedTask"


def stored(h: Any, key: str, namespace: str = "company.team") -> Any:
    return h.kv.entries[(namespace, key)]


def test_set_stores_a_rendered_value_in_the_flow_namespace(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": SET, "key": "k_{{ flow.id }}", "value": "{{ 1 + 1 }}"})
        assert (outcome.state, outcome.outputs) == (StateType.SUCCESS, None)
        entry = stored(h, "k_my_flow")
        assert (entry.value, entry.type) == (2, "NUMBER")


def test_set_keeps_maps_as_json(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        run(h, {"type": SET, "key": "m", "value": {"a": "{{ flow.id }}"}, "namespace": "other"})
        entry = stored(h, "m", "other")
        assert (entry.value, entry.type) == ({"a": "my_flow"}, "JSON")


@pytest.mark.parametrize(
    ("text", "kv_type", "value", "stored_type"),
    [
        ("42", "NUMBER", 42, "NUMBER"),
        ("1.5", "NUMBER", 1.5, "NUMBER"),
        ("TRUE", "BOOLEAN", True, "BOOLEAN"),
        ("yes", "BOOLEAN", False, "BOOLEAN"),
        ('{"a": [1]}', "JSON", {"a": [1]}, "JSON"),
        ("PT1H", "DURATION", "PT1H", "DURATION"),
        ("2024-01-02T03:04:05Z", "DATETIME", "2024-01-02T03:04:05+00:00", "DATETIME"),
        ("2024-01-02T00:00:00Z", "DATE", "2024-01-02T00:00:00+00:00", "DATETIME"),
        ("plain", "STRING", "plain", "STRING"),
    ],
)
def test_kv_type_converts_text_values(
    tmp_path: Path, text: str, kv_type: str, value: Any, stored_type: str
) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": SET, "key": "k", "value": text, "kvType": kv_type})
        assert outcome.state is StateType.SUCCESS, outcome.error
        entry = stored(h, "k")
        assert (entry.value, entry.type) == (value, stored_type)


def test_kv_type_that_does_not_fit_fails_without_retry(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": SET, "key": "k", "value": "abc", "kvType": "NUMBER"})
        assert (outcome.state, outcome.retryable) == (StateType.FAILED, False)
        assert (
            outcome.error is not None and "Cannot convert 'abc' to kvType NUMBER" in outcome.error
        )


def test_set_with_ttl_and_without_overwrite(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        run(h, {"type": SET, "key": "k", "value": "v", "ttl": "PT1H"})
        assert stored(h, "k").expiration_date == support.NOW + timedelta(hours=1)
        outcome = run(h, {"type": SET, "key": "k", "value": "w", "overwrite": False})
        assert outcome.state is StateType.FAILED
        assert stored(h, "k").value == "v"


def test_get_outputs_the_value_or_null(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        h.kv.entries[("company.team", "k")] = support.kv_entry("company.team", "k", [1, 2], "JSON")
        assert run(h, {"type": GET, "key": "k"}).outputs == {"value": [1, 2]}
        assert run(h, {"type": GET, "key": "missing"}).outputs == {"value": None}


def test_get_does_not_read_parent_namespaces(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        h.kv.entries[("company", "k")] = support.kv_entry("company", "k", "parent")
        assert run(h, {"type": GET, "key": "k"}).outputs == {"value": None}
        assert run(h, {"type": GET, "key": "k", "namespace": "company"}).outputs == {
            "value": "parent"
        }


def test_get_with_error_on_missing(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        outcome = run(h, {"type": GET, "key": "nope", "errorOnMissing": True})
        assert outcome.error == (
            "No value found for key 'nope' in namespace 'company.team' and `errorOnMissing` is "
            "set to true"
        )


def test_get_keys_lists_keys_with_a_prefix(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        for key in ("app_a", "app_b", "other"):
            h.kv.entries[("company.team", key)] = support.kv_entry("company.team", key, 1)
        assert run(h, {"type": KEYS}).outputs == {"keys": ["app_a", "app_b", "other"]}
        assert run(h, {"type": KEYS, "prefix": "app"}).outputs == {"keys": ["app_a", "app_b"]}


def test_get_keys_skips_expired_entries(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        past = datetime(2000, 1, 1, tzinfo=UTC)
        h.kv.entries[("company.team", "old")] = support.KVEntry(
            "company.team", "old", 1, "NUMBER", past, past, past
        )
        assert run(h, {"type": KEYS}).outputs == {"keys": []}


def test_delete_outputs_whether_the_key_existed(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        h.kv.entries[("company.team", "k")] = support.kv_entry("company.team", "k", 1)
        assert run(h, {"type": DELETE, "key": "k"}).outputs == {"deleted": True}
        assert run(h, {"type": DELETE, "key": "k"}).outputs == {"deleted": False}
        failed = run(h, {"type": DELETE, "key": "k", "errorOnMissing": True})
        assert failed.state is StateType.FAILED


def test_templated_task_runs_the_rendered_task(tmp_path: Path) -> None:
    spec = """
id: "{{ flow.id }}_inner"
type: io.kestra.plugin.core.debug.Return
format: "{{ '{{ flow.namespace }}' }}"
"""
    with worker(tmp_path) as h:
        outcome = run(h, {"type": TEMPLATED, "spec": spec})
        assert (outcome.state, outcome.outputs) == (StateType.SUCCESS, {"value": "company.team"})


def test_templated_task_refuses_itself_and_flowables(tmp_path: Path) -> None:
    itself = f"id: x\ntype: {TEMPLATED}\nspec: 'id: y'"
    flowable = (
        "id: x\ntype: io.kestra.plugin.core.flow.Sequential\ntasks:\n"
        "  - id: y\n    type: io.kestra.plugin.core.debug.Return\n"
    )
    with worker(tmp_path) as h:
        assert run(h, {"type": TEMPLATED, "spec": itself}).error == (
            f"The templated task cannot be of type '{TEMPLATED}'"
        )
        assert run(h, {"type": TEMPLATED, "spec": flowable}).error == (
            "The templated task must be a runnable task"
        )


def test_templated_task_with_invalid_spec(tmp_path: Path) -> None:
    with worker(tmp_path) as h:
        bad_yaml = run(h, {"type": TEMPLATED, "spec": "id: [unclosed"})
        assert bad_yaml.error is not None and bad_yaml.error.startswith(
            "The templated task spec is not valid YAML"
        )
        unknown = run(h, {"type": TEMPLATED, "spec": "id: x\ntype: io.kestra.Nope"})
        assert unknown.error is not None and unknown.error.startswith("Invalid task 'x'")

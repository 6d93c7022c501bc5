from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from worker_support import NOW, harness, kv_entry

from legato.sdk.run_context import TaskError
from legato.store.protocols import KVEntry
from legato.worker.kv import infer_type, parents, storable


@pytest.mark.parametrize(
    ("value", "kv_type"),
    [
        ("text", "STRING"),
        (None, "STRING"),
        (True, "BOOLEAN"),
        (3, "NUMBER"),
        (2.5, "NUMBER"),
        (datetime(2024, 1, 1, tzinfo=UTC), "DATETIME"),
        (date(2024, 1, 1), "DATE"),
        (timedelta(minutes=5), "DURATION"),
        ({"a": 1}, "JSON"),
        ([1, 2], "JSON"),
    ],
)
def test_type_is_inferred_as_kestra_kvtype_from(value: object, kv_type: str) -> None:
    assert infer_type(value) == kv_type


def test_dates_and_durations_are_stored_as_iso_text() -> None:
    assert storable(timedelta(minutes=90)) == "PT1H30M"
    assert storable(date(2024, 2, 3)) == "2024-02-03"


def test_parents_go_from_the_namespace_up_to_its_root() -> None:
    assert parents("a.b.c") == ["a.b.c", "a.b", "a"]


def test_put_then_get_in_the_flow_namespace(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        store = h.ctx.kv()
        store.put("answer", 42)
        entry = store.get("answer")
        assert entry is not None
        assert (entry.value, entry.type) == (42, "NUMBER")
        assert ("company.team", "answer") in h.kv.entries


def test_ttl_sets_the_expiration_date(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        h.ctx.kv().put("k", "v", ttl_seconds=60)
        assert h.kv.entries[("company.team", "k")].expiration_date == NOW + timedelta(minutes=1)


def test_put_without_overwrite_refuses_an_existing_key(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        h.ctx.kv().put("k", "v")
        with pytest.raises(TaskError, match="already exists and 'overwrite' is false"):
            h.ctx.kv().put("k", "w", overwrite=False)
        h.ctx.kv().put("other", "w", overwrite=False)


def test_overwriting_keeps_the_creation_date(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        yesterday = NOW - timedelta(days=1)
        h.kv.entries[("company.team", "k")] = KVEntry(
            "company.team", "k", "old", "STRING", yesterday, yesterday
        )
        h.ctx.kv().put("k", "new")
        entry = h.kv.entries[("company.team", "k")]
        assert (entry.value, entry.creation_date, entry.update_date) == (
            "new",
            NOW - timedelta(days=1),
            NOW,
        )


def test_get_reads_one_namespace_but_lookup_inherits_from_parents(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        h.kv.entries[("company", "shared")] = kv_entry("company", "shared", "from parent")
        assert h.ctx.kv().get("shared") is None
        found = h.ctx.kv().lookup("shared")
        assert found is not None and found.value == "from parent"


def test_invalid_key_is_refused(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(TaskError, match="not a valid KV key"):
        h.ctx.kv().put("-bad key", 1)


def test_list_and_delete_concern_the_namespace(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        store = h.ctx.kv("company.team")
        store.put("a1", 1)
        store.put("a2", 2)
        store.put("b1", 3)
        assert [e.key for e in store.list("a")] == ["a1", "a2"]
        assert store.delete("a1") is True
        assert store.delete("a1") is False

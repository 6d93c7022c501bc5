"""FlowRepository contract: revisions, deleted revisions, namespace listing."""

from __future__ import annotations

import pytest
from store_contract_support import START

from legato.store.bundle import Store

pytestmark = pytest.mark.anyio

V1 = "id: hello\nnamespace: company.team\ntasks: []\n"
V2 = V1 + "description: changed\n"


async def test_same_source_keeps_the_revision(store: Store) -> None:
    first = await store.flows.save("company.team", "hello", V1)
    again = await store.flows.save("company.team", "hello", V1)
    assert (first.revision, again.revision) == (1, 1)
    assert (first.source, first.deleted, first.updated) == (V1, False, START)
    assert len(await store.flows.revisions("company.team", "hello")) == 1


async def test_a_changed_source_is_a_new_revision(store: Store) -> None:
    await store.flows.save("company.team", "hello", V1)
    second = await store.flows.save("company.team", "hello", V2)
    assert second.revision == 2
    latest = await store.flows.get("company.team", "hello")
    assert latest is not None and (latest.revision, latest.source) == (2, V2)
    old = await store.flows.get("company.team", "hello", revision=1)
    assert old is not None and old.source == V1
    assert await store.flows.get("company.team", "hello", revision=3) is None
    assert [r.revision for r in await store.flows.revisions("company.team", "hello")] == [1, 2]


async def test_delete_writes_a_deleted_revision(store: Store) -> None:
    await store.flows.save("company.team", "hello", V1)
    deleted = await store.flows.delete("company.team", "hello")
    assert deleted is not None
    assert (deleted.revision, deleted.deleted, deleted.source) == (2, True, V1)
    assert await store.flows.get("company.team", "hello") is None
    kept = await store.flows.get("company.team", "hello", revision=2)
    assert kept is not None and kept.deleted
    assert await store.flows.list() == []
    assert await store.flows.delete("company.team", "hello") is None
    revived = await store.flows.save("company.team", "hello", V1)
    assert (revived.revision, revived.deleted) == (3, False)


async def test_unknown_flows(store: Store) -> None:
    assert await store.flows.get("company.team", "nope") is None
    assert await store.flows.delete("company.team", "nope") is None
    assert await store.flows.revisions("company.team", "nope") == []


async def test_list_shows_latest_revisions_of_a_namespace_and_its_children(store: Store) -> None:
    await store.flows.save("company", "root", V1)
    await store.flows.save("company.team", "b", V1)
    await store.flows.save("company.team", "b", V2)
    await store.flows.save("company.team.sub", "a", V1)
    await store.flows.save("companyx", "other", V1)
    await store.flows.save("company.team", "B", V1)
    await store.flows.save("company.team", "gone", V1)
    await store.flows.delete("company.team", "gone")
    listed = await store.flows.list("company.team")
    assert [(r.namespace, r.id, r.revision) for r in listed] == [
        ("company.team", "B", 1),
        ("company.team", "b", 2),
        ("company.team.sub", "a", 1),
    ]
    everything = await store.flows.list()
    assert [(r.namespace, r.id) for r in everything] == [
        ("company", "root"),
        ("company.team", "B"),
        ("company.team", "b"),
        ("company.team.sub", "a"),
        ("companyx", "other"),
    ]
    assert [r.id for r in await store.flows.list("company")] == ["root", "B", "b", "a"]

from __future__ import annotations

import asyncio

import pytest

from legato.errors import FlowValidationError
from legato.model.registry import PluginRegistry
from legato.services.flows import FlowNotFoundError, FlowService
from legato.store.memory import memory_store

FLOW = """id: hello
namespace: unit.flows
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: {message}
"""


def service() -> FlowService:
    return FlowService(memory_store().flows, PluginRegistry.from_entry_points())


def test_deploy_stores_a_first_revision() -> None:
    flows = service()
    [deployed] = asyncio.run(flows.deploy(FLOW.format(message="hi")))
    assert (deployed.record.namespace, deployed.record.id) == ("unit.flows", "hello")
    assert deployed.record.revision == 1
    assert deployed.flow.tasks[0].id == "say"


def test_a_changed_source_is_a_new_revision_an_unchanged_one_is_not() -> None:
    flows = service()

    async def scenario() -> list[int]:
        revisions = []
        for message in ("one", "one", "two"):
            [deployed] = await flows.deploy(FLOW.format(message=message))
            revisions.append(deployed.record.revision)
        return revisions

    assert asyncio.run(scenario()) == [1, 1, 2]


def test_load_pins_a_revision_and_defaults_to_the_latest() -> None:
    flows = service()

    async def scenario() -> tuple[str, str]:
        await flows.deploy(FLOW.format(message="one"))
        await flows.deploy(FLOW.format(message="two"))
        first = await flows.load("unit.flows", "hello", 1)
        latest = await flows.load("unit.flows", "hello")
        return first.flow.tasks[0].message, latest.flow.tasks[0].message  # type: ignore[attr-defined]

    assert asyncio.run(scenario()) == ("one", "two")


def test_an_invalid_document_stores_nothing() -> None:
    flows = service()
    source = FLOW.format(message="ok") + "---\nid: broken\nnamespace: unit.flows\n"
    with pytest.raises(FlowValidationError) as caught:
        asyncio.run(flows.deploy(source))
    assert any("tasks" in str(v) for v in caught.value.violations)
    with pytest.raises(FlowNotFoundError):
        asyncio.run(flows.load("unit.flows", "hello"))


def test_an_unknown_flow_is_named_in_the_error() -> None:
    with pytest.raises(FlowNotFoundError, match=r"'unit\.flows\.nope' is not deployed"):
        asyncio.run(service().load("unit.flows", "nope"))


def test_an_empty_source_is_an_error() -> None:
    with pytest.raises(FlowValidationError, match="holds no flow"):
        service().parse("", path="empty.yaml")

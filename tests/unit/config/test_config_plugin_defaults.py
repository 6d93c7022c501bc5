"""Configured ``kestra.plugins.defaults`` reach the flows the engine parses, with Kestra's
precedence: a flow's own value and its ``pluginDefaults`` beat a global non-forced default; a
forced global default beats the task's own value."""

from __future__ import annotations

from typing import Any

import pytest

from legato.config import load_settings
from legato.errors import FlowValidationError
from legato.model.registry import PluginRegistry
from legato.services.flows import FlowService
from legato.store.memory import memory_store

REGISTRY = PluginRegistry.from_entry_points()

FLOW = """\
id: pg
namespace: company.team
tasks:
  - id: query
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://flow-host:5432/flow
    sql: select 1
  - id: other
    type: io.kestra.plugin.jdbc.postgresql.Query
    sql: select 2
pluginDefaults:
  - type: io.kestra.plugin.jdbc.postgresql.Query
    values:
      username: flow-user
"""


def configured(defaults: str) -> FlowService:
    text = "kestra:\n  plugins:\n    defaults:\n" + defaults
    settings = load_settings({"KESTRA_CONFIGURATION": text})
    return FlowService(memory_store().flows, REGISTRY, settings.plugin_defaults)


def task(service: FlowService, task_id: str) -> Any:
    (flow,) = service.parse(FLOW)
    return next(t for t in flow.tasks if t.id == task_id)


def test_a_forced_global_default_overrides_the_flows_own_url() -> None:
    service = configured(
        "      - type: io.kestra.plugin.jdbc.postgresql\n"
        "        forced: true\n"
        "        values:\n"
        "          url: jdbc:postgresql://forced:5432/db\n"
        "          username: forced-user\n"
    )
    assert task(service, "query").url == "jdbc:postgresql://forced:5432/db"
    assert task(service, "query").username == "forced-user"
    assert task(service, "other").url == "jdbc:postgresql://forced:5432/db"


def test_a_global_default_fills_only_what_the_flow_left_unset() -> None:
    service = configured(
        "      - type: io.kestra.plugin.jdbc.postgresql\n"
        "        values:\n"
        "          url: jdbc:postgresql://global:5432/db\n"
        "          username: global-user\n"
        "          password: global-password\n"
    )
    query, other = task(service, "query"), task(service, "other")
    assert query.url == "jdbc:postgresql://flow-host:5432/flow"
    assert other.url == "jdbc:postgresql://global:5432/db"
    assert query.username == "flow-user"
    assert query.password == "global-password"


def test_without_configured_defaults_a_task_lacking_its_url_is_invalid() -> None:
    service = FlowService(memory_store().flows, REGISTRY)
    with pytest.raises(FlowValidationError, match=r"tasks\[1\].url: required property 'url'"):
        service.parse(FLOW)

"""Core key-value store tasks: ``kv.Set``, ``kv.Get``, ``kv.GetKeys``, ``kv.Delete``.

Invariants: ``key`` is required on Set/Get/Delete and ``value`` on Set; ``namespace`` defaults to
the flow's namespace (Kestra's default is the expression ``{{ flow.namespace }}``, kept as text
here and rendered at run time); ``errorOnMissing`` defaults to false.
"""

from __future__ import annotations

from typing import Any, Literal

from legato.model.property import Duration, Dyn
from legato.sdk import RunnableTask, plugin

FLOW_NAMESPACE = "{{ flow.namespace }}"

KvType = Literal["STRING", "NUMBER", "BOOLEAN", "DATETIME", "DATE", "DURATION", "JSON"]


@plugin("io.kestra.plugin.core.kv.Set", title="Store a value under a key in the KV store.")
class Set(RunnableTask):
    """Store ``value`` under ``key`` in ``namespace``'s KV store."""

    key: str
    value: Any
    namespace: str = FLOW_NAMESPACE
    overwrite: Dyn[bool] = True
    ttl: Dyn[Duration] | None = None
    kvType: Dyn[KvType] | None = None


@plugin("io.kestra.plugin.core.kv.Get", title="Read the value of a key from the KV store.")
class Get(RunnableTask):
    """Read the value stored under ``key``."""

    key: str
    namespace: str = FLOW_NAMESPACE
    errorOnMissing: Dyn[bool] = False


@plugin("io.kestra.plugin.core.kv.GetKeys", title="List the keys of the KV store.")
class GetKeys(RunnableTask):
    """List the keys of ``namespace``'s KV store, optionally those starting with ``prefix``."""

    prefix: str | None = None
    namespace: str = FLOW_NAMESPACE


@plugin("io.kestra.plugin.core.kv.Delete", title="Delete a key from the KV store.")
class Delete(RunnableTask):
    """Delete ``key`` from ``namespace``'s KV store."""

    key: str
    namespace: str = FLOW_NAMESPACE
    errorOnMissing: Dyn[bool] = False

"""Core key-value store tasks: ``kv.Set``, ``kv.Get``, ``kv.GetKeys``, ``kv.Delete``.

Invariants: ``key`` is required on Set/Get/Delete and ``value`` on Set; ``namespace`` defaults to
the flow's namespace (Kestra's default is the expression ``{{ flow.namespace }}``, kept as text
here and rendered at run time); ``errorOnMissing`` defaults to false.

At run time (as Kestra's tasks): ``Set`` renders ``value`` typed (a lone ``{{ }}`` keeps its
type) and, with ``kvType``, converts a text value (NUMBER/JSON parsed as JSON, BOOLEAN true only
for "true", DATETIME/DATE as an ISO instant, DURATION as ISO-8601), the stored type then being
inferred from the converted value; ``Get``/``GetKeys``/``Delete`` read only the given namespace.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Literal

from legato.model.property import Duration, Dyn, parse_duration
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext, TaskError

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

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Store the rendered value; no outputs."""
        namespace = ctx.render_string(self.namespace)
        key = ctx.render_string(self.key)
        value = ctx.render(self.value)
        if self.kvType is not None and isinstance(value, str):
            value = convert(value, ctx.render_string(self.kvType).upper())
        ttl = None if self.ttl is None else ctx.render_as(self.ttl, timedelta)
        ctx.kv(namespace).put(
            key,
            value,
            ttl_seconds=None if ttl is None else ttl.total_seconds(),
            overwrite=ctx.render_as(self.overwrite, bool),
        )
        return None


def convert(text: str, kv_type: str) -> Any:
    """A text value converted as Kestra's ``Set`` does for ``kvType``."""
    try:
        if kv_type in ("NUMBER", "JSON"):
            parsed = json.loads(text)
            if kv_type == "NUMBER" and (
                isinstance(parsed, bool) or not isinstance(parsed, int | float)
            ):
                raise ValueError("not a number")
            return parsed
        if kv_type == "BOOLEAN":
            return text.lower() == "true"
        if kv_type in ("DATETIME", "DATE"):
            return _instant(text)
        if kv_type == "DURATION":
            return parse_duration(text)
    except ValueError as error:
        raise TaskError(
            f"Cannot convert '{text}' to kvType {kv_type}: {error}", retryable=False
        ) from None
    return text


def _instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.strip())
    if parsed.tzinfo is None or "T" not in text:
        raise ValueError("expected an ISO-8601 instant such as 2024-01-31T10:00:00Z")
    return parsed


def _missing(key: str, namespace: str) -> TaskError:
    return TaskError(
        f"No value found for key '{key}' in namespace '{namespace}' and `errorOnMissing` is set "
        "to true",
        retryable=False,
    )


@plugin("io.kestra.plugin.core.kv.Get", title="Read the value of a key from the KV store.")
class Get(RunnableTask):
    """Read the value stored under ``key``."""

    key: str
    namespace: str = FLOW_NAMESPACE
    errorOnMissing: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Output ``value``: the stored value, null when absent (unless ``errorOnMissing``)."""
        namespace = ctx.render_string(self.namespace)
        key = ctx.render_string(self.key)
        entry = ctx.kv(namespace).get(key)
        if entry is None and ctx.render_as(self.errorOnMissing, bool):
            raise _missing(key, namespace)
        return {"value": None if entry is None else entry.value}


@plugin("io.kestra.plugin.core.kv.GetKeys", title="List the keys of the KV store.")
class GetKeys(RunnableTask):
    """List the keys of ``namespace``'s KV store, optionally those starting with ``prefix``."""

    prefix: str | None = None
    namespace: str = FLOW_NAMESPACE

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Output ``keys``: the namespace's keys (starting with ``prefix`` when given)."""
        prefix = None if self.prefix is None else ctx.render_string(self.prefix)
        entries = ctx.kv(ctx.render_string(self.namespace)).list(prefix or None)
        return {"keys": [e.key for e in entries if prefix is None or e.key.startswith(prefix)]}


@plugin("io.kestra.plugin.core.kv.Delete", title="Delete a key from the KV store.")
class Delete(RunnableTask):
    """Delete ``key`` from ``namespace``'s KV store."""

    key: str
    namespace: str = FLOW_NAMESPACE
    errorOnMissing: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Output ``deleted``: whether the key existed."""
        namespace = ctx.render_string(self.namespace)
        key = ctx.render_string(self.key)
        deleted = ctx.kv(namespace).delete(key)
        if not deleted and ctx.render_as(self.errorOnMissing, bool):
            raise _missing(key, namespace)
        return {"deleted": deleted}

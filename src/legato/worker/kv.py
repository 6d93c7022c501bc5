"""The KV store as a task run sees it (``sdk.run_context.NamespaceKV``) and Kestra's KV types.

Invariants: keys match ``[a-zA-Z0-9][a-zA-Z0-9._-]*``; a value's type is inferred as Kestra's
``KVType.from`` does (str STRING, bool BOOLEAN, number NUMBER, datetime DATETIME, date DATE,
timedelta DURATION, anything else JSON) and dates/durations are stored as ISO text; ``put`` with
``overwrite`` False fails on an existing key; ``lookup`` reads the namespace, then its parents.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from legato._kernel.clock import Clock
from legato.model.property import format_duration
from legato.sdk.run_context import KVEntryView, TaskError
from legato.store.protocols import KVEntry, KVStore
from legato.worker.bridge import Bridge

KEY_PATTERN = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]*$")
KV_TYPES = ("STRING", "NUMBER", "BOOLEAN", "DATETIME", "DATE", "DURATION", "JSON")


def infer_type(value: Any) -> str:
    """Kestra's KV type of ``value``."""
    if value is None or isinstance(value, str):
        return "STRING"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int | float):
        return "NUMBER"
    if isinstance(value, datetime):
        return "DATETIME"
    if isinstance(value, date):
        return "DATE"
    if isinstance(value, timedelta):
        return "DURATION"
    return "JSON"


def storable(value: Any) -> Any:
    """``value`` as JSON-like data (dates and durations as ISO-8601 text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return format_duration(value)
    return value


def check_key(key: str) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise TaskError(
            f"'{key}' is not a valid KV key: use letters, digits, '.', '_' and '-', "
            "starting with a letter or digit",
            retryable=False,
        )
    return key


def parents(namespace: str) -> list[str]:
    """``a.b.c`` → ``[a.b.c, a.b, a]``."""
    parts = namespace.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


class RunKV:
    """Implements ``NamespaceKV`` for one namespace over the ``KVStore`` port."""

    def __init__(self, store: KVStore, bridge: Bridge, clock: Clock, namespace: str) -> None:
        self._store = store
        self._bridge = bridge
        self._clock = clock
        self._namespace = namespace

    @property
    def namespace(self) -> str:
        return self._namespace

    def get(self, key: str) -> KVEntryView | None:
        check_key(key)
        return self._bridge.call(self._store.get(self._namespace, key, self._clock.now()))

    def lookup(self, key: str) -> KVEntryView | None:
        """The entry of ``key`` in this namespace or the nearest parent that has it."""
        check_key(key)
        now = self._clock.now()
        for namespace in parents(self._namespace):
            found = self._bridge.call(self._store.get(namespace, key, now))
            if found is not None:
                return found
        return None

    def put(
        self,
        key: str,
        value: Any,
        *,
        type: str | None = None,
        ttl_seconds: float | None = None,
        overwrite: bool = True,
    ) -> None:
        check_key(key)
        now = self._clock.now()
        existing = self._bridge.call(self._store.get(self._namespace, key, now))
        if existing is not None and not overwrite:
            raise TaskError(
                f"Cannot set value for key '{key}' in namespace '{self._namespace}': the key "
                "already exists and 'overwrite' is false",
                retryable=False,
            )
        expires = now + timedelta(seconds=ttl_seconds) if ttl_seconds is not None else None
        entry = KVEntry(
            namespace=self._namespace,
            key=key,
            value=storable(value),
            type=type or infer_type(value),
            creation_date=existing.creation_date if existing is not None else now,
            update_date=now,
            expiration_date=expires,
        )
        self._bridge.call(self._store.put(entry))

    def delete(self, key: str) -> bool:
        check_key(key)
        return self._bridge.call(self._store.delete(self._namespace, key))

    def list(self, prefix: str | None = None) -> list[KVEntryView]:
        entries = self._bridge.call(self._store.list(self._namespace, self._clock.now(), prefix))
        return list(entries)

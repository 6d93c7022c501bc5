"""Secrets of the open-source edition: environment variables ``SECRET_<NAME>`` holding base64.

Invariants: a key is looked up upper-cased (``secret('my_key')`` reads ``SECRET_MY_KEY``); the
variable's value is base64 with newlines ignored and is decoded as UTF-8; a missing key or a value
that is not base64 raises ``SecretNotFound`` naming the variable to set.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping

from legato.errors import LegatoError

PREFIX = "SECRET_"


class SecretNotFound(LegatoError):
    """A secret is missing."""


class EnvSecrets:
    """Secrets read from an environment mapping (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ if environ is not None else os.environ

    def get(self, key: str) -> str:
        """The decoded secret ``key``; ``SecretNotFound`` when it is absent or not base64."""
        name = PREFIX + key.upper()
        raw = self._environ.get(name)
        if raw is None:
            raise SecretNotFound(
                f"Cannot find secret for key '{key}': set the environment variable {name} "
                "to its base64-encoded value"
            )
        return decode(raw, name)

    def values(self) -> list[str]:
        """Every decodable secret value (to mask them all in logs)."""
        found: list[str] = []
        for name, raw in self._environ.items():
            if name.startswith(PREFIX):
                try:
                    found.append(decode(raw, name))
                except SecretNotFound:
                    continue
        return found


def decode(raw: str, name: str) -> str:
    """Decode a base64 secret value (line breaks ignored)."""
    text = "".join(raw.split())
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise SecretNotFound(
            f"The environment variable {name} is not valid base64: encode the secret value "
            "with base64 (e.g. `echo -n value | base64`)"
        ) from None

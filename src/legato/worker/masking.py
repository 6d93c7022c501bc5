"""Masking of secret values in what a task run writes (log lines and outputs).

Invariants: every registered value is replaced by ``******`` wherever it occurs in a string
(longest values first, so a secret containing another is masked whole); empty values are never
registered; ``mask_value`` rebuilds lists and dicts (keys too) and leaves non-strings alone.
A masker is shared by the threads of one task run, so registration is lock-protected.
"""

from __future__ import annotations

import threading
from typing import Any

MASK = "******"


class Masker:
    """The secret values of one task run and how to hide them."""

    def __init__(self) -> None:
        self._values: list[str] = []
        self._lock = threading.Lock()

    def register(self, value: str) -> None:
        """Hide ``value`` from now on (empty values are ignored)."""
        if not value:
            return
        with self._lock:
            if value not in self._values:
                self._values = sorted([*self._values, value], key=len, reverse=True)

    def mask(self, text: str) -> str:
        """``text`` with every registered value replaced by ``******``."""
        for secret in self._values:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def mask_value(self, value: Any) -> Any:
        """``value`` with secrets masked in every string it holds."""
        if not self._values:
            return value
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, dict):
            return {self.mask_value(k): self.mask_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.mask_value(v) for v in value]
        return value

"""Kernel utilities shared by every layer: JSON-like types, ids, the injected clock."""

from __future__ import annotations

"""One module per command group (``flow``, ``expression``…)."""

from __future__ import annotations

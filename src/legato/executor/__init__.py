"""The executor: feeds stored events through ``runtime.step`` and commits the transitions."""

from __future__ import annotations

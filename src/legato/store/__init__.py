"""Persistence: narrow ports (``protocols``) and their adapters (memory, SQLite, PostgreSQL,
local files). Only the composition root and tests import adapters."""

from __future__ import annotations

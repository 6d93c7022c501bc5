"""The flow language as data: models of flows, tasks, triggers and inputs, and their rules."""

from __future__ import annotations

"""The flow language as data: pydantic models for flows, tasks, triggers, inputs, and their rules."""

from __future__ import annotations

"""Legato: a workflow orchestrator that runs Kestra flows unchanged."""

from __future__ import annotations

__version__ = "0.1.0"

"""Peer engines (Prefect, Dagster) measured on bench/engine.py's scenarios; see run.py."""

from __future__ import annotations

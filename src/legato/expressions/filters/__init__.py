"""Pebble and Kestra filters, one module per family; ``FILTERS`` gathers them all."""

from __future__ import annotations

from legato.expressions.callables import Callables

FILTERS = Callables()

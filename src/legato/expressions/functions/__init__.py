"""Pebble and Kestra functions, one module per family; ``FUNCTIONS`` gathers them all."""

from __future__ import annotations

from legato.expressions.callables import Callables

FUNCTIONS = Callables()

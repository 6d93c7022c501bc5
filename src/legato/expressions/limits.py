"""Render limits: the bounds that keep any template, however hostile, cheap to render.

Each limit, when exceeded, raises an ``ExpressionEvaluationError`` (or, for parse depth, an
``ExpressionSyntaxError``) that names the limit and its value.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bounds applied by an ``Environment``."""

    max_range: int = 100_000
    """Most items a ``..`` range may produce."""
    max_output: int = 10_000_000
    """Most characters a rendered string (or a produced string, via ``check_size``) may hold."""
    max_render_depth: int = 20
    """Most nested ``render()`` calls."""
    max_parse_depth: int = 100
    """Deepest nesting of parentheses, literals, interpolations and tags."""
    max_iterations: int = 1_000_000
    """Most ``for`` loop iterations in one render, all loops together."""
    max_macro_depth: int = 50
    """Deepest chain of macro calls (a recursive macro stops here)."""

"""Legato's Pebble: Kestra's template language, as a sandboxed tree-walking interpreter.

Public API::

    parse(source) -> Template                      # raises ExpressionSyntaxError
    render(source, variables, *, platform=None) -> str
    render_typed(source, variables, *, platform=None) -> Any   # native value of a lone {{ x }}
    Environment(callables=, clock=, random=, limits=)          # same three methods
    Limits, Template, UndefinedError

The module-level functions use one default ``Environment`` built on first use from the default
filters, functions and tests. Pipeline: ``lexer`` → ``parser``/``statements`` → ``nodes`` →
``evaluator``/``binary``/``renderer`` (closures) → ``values`` (output rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from legato.expressions.environment import Environment, Template, has_markup
from legato.expressions.evaluator import UndefinedError
from legato.expressions.limits import Limits

if TYPE_CHECKING:
    from legato.expressions.platform import Platform

__all__ = [
    "Environment",
    "Limits",
    "Template",
    "UndefinedError",
    "default_environment",
    "has_markup",
    "parse",
    "render",
    "render_typed",
]

_default: Environment | None = None


def default_environment() -> Environment:
    """The shared default environment (created on first use)."""
    global _default
    if _default is None:
        _default = Environment()
    return _default


def parse(source: str) -> Template:
    """Parse ``source`` with the default environment; raises ``ExpressionSyntaxError``."""
    return default_environment().parse(source)


def render(source: str, variables: Mapping[str, Any], *, platform: Platform | None = None) -> str:
    """Render ``source`` against ``variables`` with the default environment."""
    return default_environment().render(source, variables, platform=platform)


def render_typed(
    source: str, variables: Mapping[str, Any], *, platform: Platform | None = None
) -> Any:
    """The native value of a lone ``{{ expr }}``, else the rendered string (default env)."""
    return default_environment().render_typed(source, variables, platform=platform)

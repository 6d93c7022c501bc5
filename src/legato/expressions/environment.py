"""Environment: the configured engine (callables, clock, random source, limits, parse cache).

``Environment.parse`` turns a source into a ``Template`` (cached per source, LRU);
``render`` writes it to a string; ``render_typed`` returns the native value of a source that is
exactly one ``{{ expr }}`` (surrounding whitespace allowed) and the rendered string otherwise.

Invariants:

* text without ``{{``, ``{%`` or ``{#`` is returned unchanged, without parsing;
* each environment owns a copy of the default callables tables, so registering a filter on one
  never changes another;
* rendering is not recursive: markup inside a variable's value is written as is; only the
  ``render()`` function (via ``CallContext.render``) renders again, at most
  ``Limits.max_render_depth`` levels deep.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from legato._kernel.clock import Clock, SystemClock
from legato.errors import ExpressionEvaluationError
from legato.expressions import lexer
from legato.expressions.callables import Callables
from legato.expressions.context import Frame, MacroFn, RandomSource, RenderState
from legato.expressions.limits import Limits
from legato.expressions.renderer import Run, TemplateCompiler
from legato.expressions.statements import TemplateParser
from legato.expressions.tests import TESTS

if TYPE_CHECKING:
    from legato.expressions.platform import Platform

_MARKERS = ("{{", "{%", "{#")


def has_markup(source: str) -> bool:
    """True when ``source`` holds Pebble markup and must be parsed."""
    return "{{" in source or "{%" in source or "{#" in source


class SystemRandom:
    """The default random source: the operating system's (``secrets``)."""

    def randrange(self, start: int, stop: int) -> int:
        return start + secrets.randbelow(stop - start)


def default_callables() -> Callables:
    """A fresh copy of the built-in filters, functions and tests."""
    from legato.expressions.filters import FILTERS
    from legato.expressions.functions import FUNCTIONS

    merged = Callables()
    for table in (FILTERS, FUNCTIONS, TESTS):
        merged.filters.update(table.filters)
        merged.functions.update(table.functions)
        merged.tests.update(table.tests)
    return merged


@dataclass(frozen=True)
class Template:
    """A parsed template, ready to render many times."""

    source: str
    run: Run
    macros: Mapping[str, MacroFn]
    single: Callable[[Frame], Any] | None
    """For a source that is one ``{{ expr }}`` (plus whitespace): the expression's closure."""


class Environment:
    """A Pebble engine configured with callables, clock, random source and limits."""

    def __init__(
        self,
        *,
        callables: Callables | None = None,
        clock: Clock | None = None,
        random: RandomSource | None = None,
        limits: Limits | None = None,
        cache_size: int = 2048,
    ) -> None:
        self.callables = callables.copy() if callables is not None else default_callables()
        self.clock: Clock = clock or SystemClock()
        self.random: RandomSource = random or SystemRandom()
        self.limits = limits or Limits()
        self._parse = functools.lru_cache(maxsize=cache_size)(self._parse_uncached)

    def parse(self, source: str) -> Template:
        """Parse ``source`` (cached); raises ``ExpressionSyntaxError`` on bad syntax."""
        return self._parse(source)

    def _parse_uncached(self, source: str) -> Template:
        tokens = lexer.Lexer(source).tokenize()
        parser = TemplateParser(
            tokens,
            source,
            filters=self.callables.filters,
            tests=self.callables.tests,
            max_depth=self.limits.max_parse_depth,
        )
        body = parser.template()
        compiler = TemplateCompiler(source, self.callables, self.limits)
        run = compiler.body(body)
        return Template(source, run, compiler.macros, _single(compiler, body))

    def render(
        self, source: str, variables: Mapping[str, Any], *, platform: Platform | None = None
    ) -> str:
        """Render ``source`` against ``variables`` to a string."""
        if not has_markup(source):
            return source
        return self._write(self.parse(source), variables, self._state(platform))

    def render_typed(
        self, source: str, variables: Mapping[str, Any], *, platform: Platform | None = None
    ) -> Any:
        """The native value of a lone ``{{ expr }}``; otherwise the rendered string."""
        if not has_markup(source):
            return source
        template = self.parse(source)
        state = self._state(platform)
        if template.single is None:
            return self._write(template, variables, state)
        return template.single(Frame(dict(variables), state, template.macros))

    def render_nested(self, source: str, variables: Mapping[str, Any], state: RenderState) -> str:
        """Render ``source`` inside another render, sharing its state and depth budget."""
        if not has_markup(source):
            return source
        if state.depth >= self.limits.max_render_depth:
            raise ExpressionEvaluationError(
                f"render() is nested too deeply (more than {self.limits.max_render_depth} levels)"
            )
        state.depth += 1
        try:
            return self._write(self.parse(source), variables, state)
        finally:
            state.depth -= 1

    def _state(self, platform: Platform | None) -> RenderState:
        return RenderState(
            self, clock=self.clock, random=self.random, limits=self.limits, platform=platform
        )

    def _write(self, template: Template, variables: Mapping[str, Any], state: RenderState) -> str:
        out: list[str] = []
        template.run(Frame(dict(variables), state, template.macros), out)
        text = "".join(out)
        if len(text) > self.limits.max_output:
            state.check_size(len(text), "The rendered output")
        return text


def _single(compiler: TemplateCompiler, body: tuple[Any, ...]) -> Callable[[Frame], Any] | None:
    from legato.expressions import nodes

    meaningful = [s for s in body if not (isinstance(s, nodes.Text) and not s.text.strip())]
    if len(meaningful) == 1 and isinstance(meaningful[0], nodes.Print):
        return compiler.compile(meaningful[0].expr)
    return None

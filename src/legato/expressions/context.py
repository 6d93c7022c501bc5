"""Render context: the state of one ``render()`` call and the scopes inside it.

``RenderState`` is shared by a whole render (nested ``render()`` calls included): platform,
limits, loop-iteration budget, nesting depth. ``Frame`` is one variable scope (the top level, a
``for`` body, a macro body) and is what callables receive as their ``CallContext``.

Invariants: the caller's variables are never mutated (the top frame copies them); time and
randomness come only from the environment's injected clock and random source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from legato._kernel.clock import Clock
from legato.errors import ExpressionEvaluationError
from legato.expressions.limits import Limits

if TYPE_CHECKING:
    from legato.expressions.platform import Platform


class RandomSource(Protocol):
    """Where random integers come from (``random.Random`` satisfies it)."""

    def randrange(self, start: int, stop: int) -> int: ...


class NestedRenderer(Protocol):
    """What a render needs from its environment to render another template inside itself."""

    def render_nested(
        self, source: str, variables: Mapping[str, Any], state: RenderState
    ) -> str: ...


MacroFn = Callable[["Frame", list[Any], dict[str, Any]], str]


class RenderState:
    """What one top-level render shares across its frames and nested renders."""

    __slots__ = ("clock", "depth", "iterations", "limits", "platform", "random", "renderer")

    def __init__(
        self,
        renderer: NestedRenderer,
        *,
        clock: Clock,
        random: RandomSource,
        limits: Limits,
        platform: Platform | None,
    ) -> None:
        self.renderer = renderer
        self.clock = clock
        self.random = random
        self.limits = limits
        self.platform = platform
        self.depth = 0
        self.iterations = 0

    def count_iterations(self, count: int) -> None:
        self.iterations += count
        if self.iterations > self.limits.max_iterations:
            raise ExpressionEvaluationError(
                f"Too many loop iterations: more than {self.limits.max_iterations} in one render"
            )

    def check_size(self, length: int, what: str) -> None:
        if length > self.limits.max_output:
            raise ExpressionEvaluationError(
                f"{what} is too large: {length} characters or items, "
                f"more than the limit {self.limits.max_output}"
            )


BLOCK_PREFIX = "\x00block:"
"""Key prefix of ``{% block %}`` bodies among a template's macros (not a Pebble identifier, so no
macro or function name can collide with it); ``block('name')`` renders them."""


class Frame:
    """One variable scope; implements ``callables.CallContext`` for filters and functions."""

    __slots__ = ("macro_depth", "macros", "scope", "state")

    def __init__(
        self,
        scope: dict[str, Any],
        state: RenderState,
        macros: Mapping[str, MacroFn],
        macro_depth: int = 0,
    ) -> None:
        self.scope = scope
        self.state = state
        self.macros = macros
        self.macro_depth = macro_depth

    def child(self) -> Frame:
        """A new scope seeing this one's variables; its assignments stay inside it."""
        return Frame(dict(self.scope), self.state, self.macros, self.macro_depth)

    @property
    def variables(self) -> Mapping[str, Any]:
        return self.scope

    @property
    def platform(self) -> Platform | None:
        return self.state.platform

    def now(self) -> datetime:
        return self.state.clock.now()

    def random_int(self, lower: int, upper_exclusive: int) -> int:
        if upper_exclusive <= lower:
            raise ExpressionEvaluationError(
                f"Random bounds are empty: {lower} must be lower than {upper_exclusive}"
            )
        return self.state.random.randrange(lower, upper_exclusive)

    def render(self, template: str, variables: Mapping[str, Any], *, recursive: bool) -> Any:
        """Render ``template``; when ``recursive``, render the result again until it is stable."""
        state = self.state
        result = state.renderer.render_nested(template, variables, state)
        rounds = 1
        while recursive and result != template:
            rounds += 1
            if rounds > state.limits.max_render_depth:
                raise ExpressionEvaluationError(
                    f"Recursive render did not settle after {state.limits.max_render_depth} rounds"
                )
            template = result
            result = state.renderer.render_nested(template, variables, state)
        return result

    def check_size(self, length: int, what: str) -> None:
        self.state.check_size(length, what)

"""The contract between the evaluator and the filters, functions and tests it calls.

A filter, function or test is a plain Python function plus the names of its arguments, as in
Pebble (``getArgumentNames``). The evaluator binds a call's positional arguments to those names
in order, then its named arguments by name; an unknown name or too many arguments is an
``ExpressionEvaluationError`` naming the callable. Arguments not given are absent from ``args``:
each callable applies its own defaults.

Signatures:

* filter:   ``fn(value, args, ctx) -> result``  (``{{ value | name(args) }}``)
* function: ``fn(args, ctx) -> result``         (``{{ name(args) }}``)
* test:     ``fn(value, args, ctx) -> bool``    (``{{ value is name }}``)

Callables raise ``ExpressionEvaluationError`` with a message that names the callable and the
bad argument; the evaluator adds the position. Values are JSON-like (None, bool, int, float, str,
list, dict) plus ``datetime``/``date``/``time``/``timedelta`` and ``decimal.Decimal``.

Callables are collected into ``Callables`` tables; each ``Environment`` copies the default tables,
so extension is per environment, never global (Jinja's ``DEFAULT_FILTERS.copy()``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from legato.expressions.platform import Platform


class CallContext(Protocol):
    """What a callable may reach besides its arguments: never a Python object of the host."""

    @property
    def variables(self) -> Mapping[str, Any]:
        """The render context's variables (read-only)."""
        ...

    @property
    def platform(self) -> Platform | None:
        """Platform services (kv, secret, files…) when rendering inside an execution, else None."""
        ...

    def now(self) -> datetime:
        """The current instant, timezone-aware, from the environment's injected clock."""
        ...

    def random_int(self, lower: int, upper_exclusive: int) -> int:
        """A random integer from the environment's injected random source."""
        ...

    def render(self, template: str, variables: Mapping[str, Any], *, recursive: bool) -> Any:
        """Render ``template`` against ``variables`` (for the ``render``/``renderOnce`` functions).

        Recursion depth is bounded by the environment; exceeding it raises an error.
        """
        ...

    def check_size(self, length: int, what: str) -> None:
        """Raise ``ExpressionEvaluationError`` if a produced string or list is too big."""
        ...


FilterFn = Callable[[Any, Mapping[str, Any], CallContext], Any]
FunctionFn = Callable[[Mapping[str, Any], CallContext], Any]
TestFn = Callable[[Any, Mapping[str, Any], CallContext], bool]


@dataclass(frozen=True)
class Filter:
    """A named filter and its argument names, in positional order."""

    name: str
    fn: FilterFn
    arg_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Function:
    """A named function and its argument names, in positional order."""

    name: str
    fn: FunctionFn
    arg_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Test:
    """A named test (``is name``) and its argument names."""

    name: str
    fn: TestFn
    arg_names: tuple[str, ...] = ()


@dataclass
class Callables:
    """The filter, function and test tables of one environment."""

    filters: dict[str, Filter] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    tests: dict[str, Test] = field(default_factory=dict)

    def copy(self) -> Callables:
        return Callables(dict(self.filters), dict(self.functions), dict(self.tests))

    def filter(self, name: str, *arg_names: str) -> Callable[[FilterFn], FilterFn]:
        """Decorator registering a filter under ``name`` with its argument names."""

        def register(fn: FilterFn) -> FilterFn:
            self.filters[name] = Filter(name, fn, arg_names)
            return fn

        return register

    def function(self, name: str, *arg_names: str) -> Callable[[FunctionFn], FunctionFn]:
        """Decorator registering a function under ``name`` with its argument names."""

        def register(fn: FunctionFn) -> FunctionFn:
            self.functions[name] = Function(name, fn, arg_names)
            return fn

        return register

    def test(self, name: str, *arg_names: str) -> Callable[[TestFn], TestFn]:
        """Decorator registering a test under ``name`` with its argument names."""

        def register(fn: TestFn) -> TestFn:
            self.tests[name] = Test(name, fn, arg_names)
            return fn

        return register

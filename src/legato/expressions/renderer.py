"""Renderer: compile statement nodes into closures that append text to an output list.

Each statement becomes ``fn(frame, out)``. ``for`` runs its body in a child frame (so ``set``
inside a loop stays inside it, as Pebble's loop scope), with ``loop`` = ``{index (0-based),
length, first, last, revindex}``; one loop variable over a map gets ``{key, value}`` entries, two
get the key and the value; a ``block`` renders in place and again wherever the
``block('name')`` function asks for it (in the caller's scope); ``null`` renders nothing at all
(not even the ``else`` branch, as Pebble's ``ForNode`` returns early), while an empty list or map
runs the ``else`` branch. Macros and blocks are collected for the whole template (callable before
their definition, as Pebble registers them at parse time); macros see only their arguments.

Invariant: loops are bounded by ``Limits.max_iterations``, macro and block recursion by
``max_macro_depth``, and output by ``max_output``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from legato.expressions import nodes
from legato.expressions.context import BLOCK_PREFIX, Frame, MacroFn
from legato.expressions.evaluator import ExpressionCompiler, bind
from legato.expressions.values import stringify, type_name

Run = Callable[[Frame, list[str]], None]


class TemplateCompiler(ExpressionCompiler):
    """Compiles the statements of one template (and collects its macros)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.macros: dict[str, MacroFn] = {}

    def body(self, statements: tuple[nodes.Stmt, ...]) -> Run:
        runs = [self.statement(s) for s in statements]
        if len(runs) == 1:
            return runs[0]

        def run(frame: Frame, out: list[str]) -> None:
            for step in runs:
                step(frame, out)

        return run

    def statement(self, node: nodes.Stmt) -> Run:
        method: Callable[[Any], Run] = getattr(self, "_stmt_" + type(node).__name__)
        return method(node)

    def _stmt_Text(self, node: nodes.Text) -> Run:
        text = node.text
        return lambda frame, out: out.append(text)

    def _stmt_Print(self, node: nodes.Print) -> Run:
        expr = self.compile(node.expr)
        return lambda frame, out: out.append(stringify(expr(frame)))

    def _stmt_If(self, node: nodes.If) -> Run:
        branches = [(self.compile(c), c, self.body(b)) for c, b in node.branches]
        otherwise = self.body(node.otherwise)

        def run(frame: Frame, out: list[str]) -> None:
            for condition, where, body in branches:
                if self.truth(condition(frame), where):
                    body(frame, out)
                    return
            otherwise(frame, out)

        return run

    def _stmt_Set(self, node: nodes.Set) -> Run:
        name, expr = node.name, self.compile(node.expr)

        def run(frame: Frame, out: list[str]) -> None:
            frame.scope[name] = expr(frame)

        return run

    def _deeper(self, frame: Frame, what: str, node: nodes.Node) -> int:
        """The call depth inside ``what`` called from ``frame``; too deep fails naming it."""
        depth = frame.macro_depth + 1
        if depth > frame.state.limits.max_macro_depth:
            raise self.fail(
                f"{what} is nested too deeply "
                f"(more than {frame.state.limits.max_macro_depth} calls)",
                node,
            )
        return depth

    def _stmt_Block(self, node: nodes.Block) -> Run:
        body, name = self.body(node.body), node.name

        def call(frame: Frame, positional: list[Any], named: dict[str, Any]) -> str:
            depth = self._deeper(frame, f"Block '{name}'", node)
            out: list[str] = []
            body(Frame(dict(frame.scope), frame.state, frame.macros, depth), out)
            return "".join(out)

        self.macros[BLOCK_PREFIX + name] = call
        return body

    def _stmt_For(self, node: nodes.For) -> Run:
        iterable, body, otherwise = (
            self.compile(node.iterable),
            self.body(node.body),
            self.body(node.otherwise),
        )
        targets = node.targets

        def run(frame: Frame, out: list[str]) -> None:
            value = iterable(frame)
            if value is None:
                return
            items = self.items(value, len(targets), node)
            if not items:
                otherwise(frame, out)
                return
            self.checked(lambda: frame.state.count_iterations(len(items)), node)
            inner, length = frame.child(), len(items)
            scope = inner.scope
            for index, item in enumerate(items):
                if len(targets) == 1:
                    scope[targets[0]] = item
                else:
                    scope[targets[0]], scope[targets[1]] = item
                scope["loop"] = {
                    "index": index,
                    "length": length,
                    "first": index == 0,
                    "last": index == length - 1,
                    "revindex": length - index - 1,
                }
                body(inner, out)
                if index % 1024 == 1023:
                    self.check_output(frame, out, node)

        return run

    def check_output(self, frame: Frame, out: list[str], node: nodes.For) -> None:
        size = sum(map(len, out))
        self.checked(lambda: frame.state.check_size(size, "The rendered output"), node)

    def items(self, value: Any, targets: int, node: nodes.For) -> list[Any]:
        """The sequence a ``for`` iterates over: list items, or map entries."""
        if isinstance(value, dict):
            if targets == 2:
                return list(value.items())
            return [{"key": k, "value": v} for k, v in value.items()]
        if isinstance(value, list | tuple) and targets == 1:
            return list(value)
        if isinstance(value, list | tuple):
            raise self.fail("Two loop variables need a map to iterate over, not a list", node)
        raise self.fail(f"Cannot iterate over a {type_name(value)}: expected a list or map", node)

    def _stmt_FilterBlock(self, node: nodes.FilterBlock) -> Run:
        body = self.body(node.body)
        slot = "\x00body"  # not a Pebble identifier: templates cannot read or shadow it
        value: nodes.Expr = nodes.Name(node.line, node.column, slot)
        for name, args in node.filters:
            value = nodes.FilterCall(node.line, node.column, value, name, args)
        chain = self.compile(value)

        def run(frame: Frame, out: list[str]) -> None:
            inner: list[str] = []
            body(frame, inner)
            scoped = frame.child()
            scoped.scope[slot] = "".join(inner)
            out.append(stringify(chain(scoped)))

        return run

    def _stmt_Macro(self, node: nodes.Macro) -> Run:
        body = self.body(node.body)
        defaults = {name: self.compile(expr) for name, expr in node.defaults}
        params, name = node.params, node.name

        def call(frame: Frame, positional: list[Any], named: dict[str, Any]) -> str:
            depth = self._deeper(frame, f"Macro '{name}'", node)
            scope = bind("Macro", name, params, positional, named)
            inner = Frame(scope, frame.state, frame.macros, depth)
            for param in params:
                if param not in scope:
                    default = defaults.get(param)
                    scope[param] = default(inner) if default is not None else None
            out: list[str] = []
            body(inner, out)
            return "".join(out)

        self.macros[name] = call
        return lambda frame, out: None

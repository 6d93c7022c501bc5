"""Evaluator: compile expression nodes into Python closures over JSON-like values.

Each node becomes a closure ``fn(frame) -> value`` built once per template (a tree-walking
interpreter whose dispatch happens at compile time, not per render). Sandboxed by construction:
``a.b`` and ``a[k]`` read dict keys and list indexes only, never Python attributes.

Undefined values (strict, as Kestra's ``strictVariables``): an unknown variable, a missing map
key, an out-of-range index or an attribute of anything but a map or list raises
``UndefinedError``. Exactly four constructs evaluate their operand leniently, catching
``UndefinedError``: ``a ?? b`` (also when ``a`` is null), ``a ??? b``, ``a is [not] defined``,
and the filters named in ``LENIENT_FILTERS`` (``default``), which receive None for an undefined
input.

Errors: every failure is an ``ExpressionEvaluationError`` carrying the position of the failing
node; a callable's own errors get that position added; any other exception a callable raises is
wrapped into one naming the callable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from legato.errors import ExpressionEvaluationError, LegatoError
from legato.expressions import binary, nodes, operators
from legato.expressions.callables import Callables
from legato.expressions.context import BLOCK_PREFIX, Frame
from legato.expressions.limits import Limits
from legato.expressions.parser import describe, describe_key, suggest
from legato.expressions.values import NotBoolean, stringify, truth, type_name

Eval = Callable[[Frame], Any]
ArgsEval = Callable[[Frame], tuple[list[Any], dict[str, Any]]]
LENIENT_FILTERS = frozenset({"default"})


class UndefinedError(ExpressionEvaluationError):
    """A variable or attribute does not exist (use ``??`` or ``| default`` to allow it)."""


def bind(
    kind: str, name: str, arg_names: tuple[str, ...], pos: list[Any], named: dict[str, Any]
) -> dict[str, Any]:
    """Bind positional then named arguments to ``arg_names``, as the callables contract says."""
    if len(pos) > len(arg_names):
        raise ExpressionEvaluationError(
            f"{kind} '{name}' takes at most {len(arg_names)} argument(s) but got {len(pos)}"
        )
    bound = dict(zip(arg_names, pos, strict=False))
    for key, value in named.items():
        if key not in arg_names:
            hint = suggest(key, arg_names)
            raise ExpressionEvaluationError(f"{kind} '{name}' has no argument '{key}'.{hint}")
        if key in bound:
            raise ExpressionEvaluationError(f"{kind} '{name}' got argument '{key}' twice")
        bound[key] = value
    return bound


def _index(key: Any) -> int | None:
    """A list index from ``key``: an int, or a string of digits (Pebble parses the name)."""
    if type(key) is int:
        return key
    if isinstance(key, str) and key.lstrip("-").isdigit() and key.count("-") <= 1:
        return int(key)
    return None


class ExpressionCompiler:
    """Compiles the expressions of one template source."""

    def __init__(self, source: str, callables: Callables, limits: Limits) -> None:
        self.source = source
        self.callables = callables
        self.limits = limits

    # --- errors ----------------------------------------------------------------------------

    def fail(self, message: str, node: nodes.Node, undefined: bool = False) -> Exception:
        cls = UndefinedError if undefined else ExpressionEvaluationError
        return cls(message, line=node.line, column=node.column, source=self.source)

    def locate(self, error: ExpressionEvaluationError, node: nodes.Node) -> Exception:
        """Add ``node``'s position to an error raised without one."""
        if error.line is None:
            located = self.fail(error.reason, node, isinstance(error, UndefinedError))
            located.__cause__ = error.__cause__
            return located
        return error

    def guard(self, fn: Callable[[], Any], what: str, node: nodes.Node) -> Any:
        """Run a callable's body, giving any error it raises a position."""
        try:
            return fn()
        except ExpressionEvaluationError as error:
            raise self.locate(error, node) from None
        except LegatoError:
            raise
        except Exception as error:
            raise self.fail(f"{what} failed: {type(error).__name__}: {error}", node) from error

    def checked(self, check: Callable[[], None], node: nodes.Node) -> None:
        """Run a limit check, giving its error ``node``'s position."""
        try:
            check()
        except ExpressionEvaluationError as error:
            raise self.locate(error, node) from None

    def truth(self, value: Any, node: nodes.Node) -> bool:
        try:
            return truth(value)
        except NotBoolean:
            raise self.fail(f"Expected a boolean but got {type_name(value)}", node) from None

    # --- dispatch --------------------------------------------------------------------------

    def compile(self, node: nodes.Expr) -> Eval:
        method: Callable[[Any], Eval] = getattr(self, "_" + type(node).__name__)
        return method(node)

    def _Literal(self, node: nodes.Literal) -> Eval:
        value = node.value
        return lambda frame: value

    def _Interpolation(self, node: nodes.Interpolation) -> Eval:
        parts = [self.compile(p) if isinstance(p, nodes.Expr) else p for p in node.parts]

        def run(frame: Frame) -> str:
            return "".join(p if isinstance(p, str) else stringify(p(frame)) for p in parts)

        return run

    def _ListLiteral(self, node: nodes.ListLiteral) -> Eval:
        items = [self.compile(item) for item in node.items]
        return lambda frame: [item(frame) for item in items]

    def _MapLiteral(self, node: nodes.MapLiteral) -> Eval:
        entries = [(self.compile(k), self.compile(v)) for k, v in node.entries]

        def run(frame: Frame) -> dict[Any, Any]:
            result: dict[Any, Any] = {}
            for key_fn, value_fn in entries:
                key = key_fn(frame)
                if isinstance(key, list | dict):
                    raise self.fail(f"A map key cannot be a {type_name(key)}", node)
                result[key] = value_fn(frame)
            return result

        return run

    def _Name(self, node: nodes.Name) -> Eval:
        name = node.name

        def run(frame: Frame) -> Any:
            try:
                return frame.scope[name]
            except KeyError:
                raise self.fail(f"Variable '{name}' is not defined", node, True) from None

        return run

    def _GetAttr(self, node: nodes.GetAttr) -> Eval:
        target_fn, key_fn = self.compile(node.target), self.compile(node.key)
        lookup = self.lookup
        if isinstance(node.key, nodes.Literal) and isinstance(node.key.value, str):
            key = node.key.value

            def fixed(frame: Frame) -> Any:
                target = target_fn(frame)
                if type(target) is dict and key in target:
                    return target[key]
                return lookup(target, key, node)

            return fixed
        return lambda frame: lookup(target_fn(frame), key_fn(frame), node)

    def lookup(self, target: Any, key: Any, node: nodes.GetAttr) -> Any:
        """Read ``target[key]`` for a map or list; anything else is undefined."""
        owner = describe(node.target)
        shown = describe_key(nodes.Literal(0, 0, key)) if isinstance(key, str | int) else "key"
        if isinstance(target, dict):
            if isinstance(key, str | int) and not isinstance(key, bool):
                if key in target:
                    return target[key]
                if str(key) in target:
                    return target[str(key)]
            keys = ", ".join(sorted(map(str, target))[:10])
            message = f"Attribute {shown} of '{owner}' does not exist (keys: {keys or 'none'})"
        elif isinstance(target, list | tuple) and (index := _index(key)) is not None:
            if 0 <= index < len(target):
                return target[index]
            message = f"Index {shown} of '{owner}' is out of range (size {len(target)})"
        elif target is None:
            message = f"Attribute {shown} of '{owner}' does not exist: '{owner}' is null"
        else:
            message = (
                f"Attribute {shown} of '{owner}' does not exist: a {type_name(target)} has none"
            )
        raise self.fail(message, node, True)

    def _Unary(self, node: nodes.Unary) -> Eval:
        operand = self.compile(node.operand)
        if node.op == "not":
            return lambda frame: not self.truth(operand(frame), node)
        apply = operators.negate if node.op == "-" else operators.plus
        return lambda frame: self.operate(lambda: apply(operand(frame)), node)

    def operate(self, fn: Callable[[], Any], node: nodes.Node) -> Any:
        try:
            return fn()
        except operators.OperatorError as error:
            raise self.fail(str(error), node) from None

    def _Ternary(self, node: nodes.Ternary) -> Eval:
        condition, then = self.compile(node.condition), self.compile(node.then)
        otherwise = self.compile(node.otherwise)

        def run(frame: Frame) -> Any:
            if self.truth(condition(frame), node.condition):
                return then(frame)
            return otherwise(frame)

        return run

    def _Binary(self, node: nodes.Binary) -> Eval:
        return binary.compile_binary(self, node)

    def lenient(self, fn: Eval) -> Callable[[Frame], tuple[bool, Any]]:
        """Wrap ``fn`` to return (defined, value) instead of raising ``UndefinedError``."""

        def run(frame: Frame) -> tuple[bool, Any]:
            try:
                return True, fn(frame)
            except UndefinedError:
                return False, None

        return run

    # --- calls -----------------------------------------------------------------------------

    def arguments(self, args: nodes.Arguments) -> ArgsEval:
        positional = [self.compile(a) for a in args.positional]
        named = [(k, self.compile(v)) for k, v in args.named]
        if not positional and not named:
            return lambda frame: ([], {})
        return lambda frame: ([p(frame) for p in positional], {k: v(frame) for k, v in named})

    def _FilterCall(self, node: nodes.FilterCall) -> Eval:
        spec = self.callables.filters[node.name]
        value_fn, args_fn = self.compile(node.value), self.arguments(node.args)
        if node.name in LENIENT_FILTERS:
            inner, value_fn = self.lenient(value_fn), lambda frame: inner(frame)[1]
        what = f"Filter '{node.name}'"

        def run(frame: Frame) -> Any:
            value = value_fn(frame)
            pos, named = args_fn(frame)

            def call() -> Any:
                return spec.fn(value, bind("Filter", spec.name, spec.arg_names, pos, named), frame)

            return self.guard(call, what, node)

        return run

    def _TestCall(self, node: nodes.TestCall) -> Eval:
        spec = self.callables.tests[node.name]
        value_fn, args_fn, negated = (
            self.compile(node.value),
            self.arguments(node.args),
            node.negated,
        )
        what = f"Test '{node.name}'"
        checked = self.lenient(value_fn) if node.name == "defined" else None

        def run(frame: Frame) -> bool:
            if checked is not None:
                defined, value = checked(frame)
                if not defined:
                    return negated
            else:
                value = value_fn(frame)
            pos, named = args_fn(frame)

            def call() -> bool:
                return bool(
                    spec.fn(value, bind("Test", spec.name, spec.arg_names, pos, named), frame)
                )

            return bool(self.guard(call, what, node)) != negated

        return run

    def _FunctionCall(self, node: nodes.FunctionCall) -> Eval:
        name, args_fn, functions = node.name, self.arguments(node.args), self.callables.functions
        what = f"Function '{name}'"

        def run(frame: Frame) -> Any:
            pos, named = args_fn(frame)
            macro = frame.macros.get(name)
            if macro is not None:
                return self.guard(lambda: macro(frame, pos, named), f"Macro '{name}'", node)
            if name == "block" and "block" not in functions:
                return self.block(frame, pos, named, node)
            spec = functions.get(name)
            if spec is None:
                hint = suggest(name, [m for m in [*functions, *frame.macros] if m[0] != "\x00"])
                raise self.fail(f"Unknown function '{name}'.{hint}", node)
            return self.guard(
                lambda: spec.fn(bind("Function", name, spec.arg_names, pos, named), frame),
                what,
                node,
            )

        return run

    def block(
        self, frame: Frame, pos: list[Any], named: dict[str, Any], node: nodes.FunctionCall
    ) -> Any:
        """Pebble's ``block('name')``: the named ``{% block %}`` rendered in the caller's scope."""

        def call() -> Any:
            name = bind("Function", "block", ("name",), pos, named).get("name")
            body = frame.macros.get(BLOCK_PREFIX + str(name))
            if body is None:
                raise ExpressionEvaluationError(f"Function 'block': no block named '{name}'")
            return body(frame, [], {})

        return self.guard(call, "Function 'block'", node)

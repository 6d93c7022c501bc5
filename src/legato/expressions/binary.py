"""Binary operators compiled to closures: logic, coalescing, comparison, arithmetic, ranges.

Split from ``evaluator`` to keep one concept per module; see ``operators`` for the value rules
and ``evaluator`` for how ``??``/``???`` treat undefined operands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from legato.expressions import nodes, operators
from legato.expressions.values import stringify

if TYPE_CHECKING:
    from legato.expressions.context import Frame
    from legato.expressions.evaluator import Eval, ExpressionCompiler


def compile_binary(compiler: ExpressionCompiler, node: nodes.Binary) -> Eval:
    """The closure computing ``node``."""
    op = node.op
    left, right = compiler.compile(node.left), compiler.compile(node.right)
    if op in ("and", "or"):
        return _logic(compiler, node, left, right)
    if op in ("??", "???"):
        return _coalesce(compiler, node, left, right)
    if op == "~":
        return _concat(compiler, node, left, right)
    if op in ("==", "equals"):
        return lambda frame: operators.equals(left(frame), right(frame))
    if op == "!=":
        return lambda frame: not operators.equals(left(frame), right(frame))
    if op == "..":
        limit = compiler.limits.max_range
        return lambda frame: compiler.operate(
            lambda: operators.range_of(left(frame), right(frame), limit), node
        )
    if op in ("in", "isIn", "not in", "isNotIn"):
        wanted = op in ("in", "isIn")
        return lambda frame: operators.is_in(left(frame), right(frame)) is wanted
    if op == "contains":
        return lambda frame: compiler.operate(
            lambda: operators.contains(left(frame), right(frame)), node
        )
    if op in ("<", ">", "<=", ">="):
        return lambda frame: compiler.operate(
            lambda: operators.compare(op, left(frame), right(frame)), node
        )
    return _arithmetic(compiler, node, left, right)


def _logic(compiler: ExpressionCompiler, node: nodes.Binary, left: Eval, right: Eval) -> Eval:
    truth = compiler.truth
    if node.op == "and":
        return lambda frame: truth(left(frame), node.left) and truth(right(frame), node.right)
    return lambda frame: truth(left(frame), node.left) or truth(right(frame), node.right)


def _coalesce(compiler: ExpressionCompiler, node: nodes.Binary, left: Eval, right: Eval) -> Eval:
    checked = compiler.lenient(left)
    null_too = node.op == "??"

    def run(frame: Frame) -> Any:
        defined, value = checked(frame)
        if not defined or (null_too and value is None):
            return right(frame)
        return value

    return run


def _concat(compiler: ExpressionCompiler, node: nodes.Binary, left: Eval, right: Eval) -> Eval:
    def run(frame: Frame) -> str:
        text = stringify(left(frame)) + stringify(right(frame))
        if len(text) > compiler.limits.max_output:
            compiler.checked(lambda: frame.state.check_size(len(text), "The result of '~'"), node)
        return text

    return run


def _arithmetic(compiler: ExpressionCompiler, node: nodes.Binary, left: Eval, right: Eval) -> Eval:
    op, operate, limit = node.op, compiler.operate, compiler.limits.max_output

    def run(frame: Frame) -> Any:
        result = operate(lambda: operators.arithmetic(op, left(frame), right(frame)), node)
        if isinstance(result, str | list) and len(result) > limit:
            what = f"The result of '{op}'"
            compiler.checked(lambda: frame.state.check_size(len(result), what), node)
        return result

    return run

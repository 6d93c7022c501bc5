"""Loop helpers: ``loopOutputs(outputs, name)``, one declared output of every iteration of a
``flow.Loop`` as a list.

``outputs`` is the Loop's ``outputs`` output (a list of ``{item, outputs}`` entries) and ``name``
the id of a declared output; the result has one element per entry, in order: that entry's value,
or null when the entry is not a map or has no such output. A missing or null argument, a
non-list ``outputs`` or a non-string ``name`` raises an error naming the function.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import fail, type_name

TABLE = Callables()


@TABLE.function("loopOutputs", "outputs", "name")
def loop_outputs(args: Mapping[str, Any], ctx: CallContext) -> Any:
    outputs, name = args.get("outputs"), args.get("name")
    if outputs is None:
        fail("loopOutputs", "argument 'outputs' is required, e.g. outputs.my_loop.outputs")
    if not isinstance(outputs, list):
        fail("loopOutputs", f"argument 'outputs' must be a list, got {type_name(outputs)}")
    if name is None:
        fail("loopOutputs", "argument 'name' is required: the id of a declared output")
    if not isinstance(name, str):
        fail("loopOutputs", f"argument 'name' must be a string, got {type_name(name)}")
    result: list[Any] = []
    for entry in outputs:
        declared = entry.get("outputs") if isinstance(entry, Mapping) else None
        result.append(declared.get(name) if isinstance(declared, Mapping) else None)
    return result

"""Resolution of an execution's inputs: given values + definitions → typed ``inputs`` variables.

Resolution, per input, in dependency order (``dependsOn.inputs`` first, then flow order):

1. If a dependency is disabled, left out or invalid, or ``dependsOn.condition`` does not render
   to true, the input is disabled: it is left out of the result.
2. SELECT/MULTISELECT ``expression`` is rendered to the list of allowed values.
3. The given value is taken; a missing or null one falls back to ``defaults`` (rendered first
   when it holds an expression, with the inputs resolved so far as ``inputs``).
4. Still null: an error if ``required``, else the input is null.
5. Otherwise the value is coerced to its type and its constraints are checked; the fields of
   an OBJECT or of each TABLE row are then resolved the same way (``input_records``).

Invariants:

* Every problem is collected; one ``InputError`` lists them all, each naming the input, the value
  given and the form expected. Its ``input_id`` is set when exactly one input failed.
* Given values whose id no definition has are ignored, as Kestra does.
* A dotted id ``a.b`` becomes the nested value ``{"a": {"b": …}}`` in the result.
* A ``dependsOn`` cycle or an unknown dependency is an ``InputError``, never an endless loop.
* Rendering goes through the ``render`` callable (typed rendering: a lone ``{{ expr }}`` gives a
  native value); by default ``legato.expressions.render_typed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from legato.errors import InputError, LegatoError
from legato.model import input_coercion, input_records, inputs
from legato.model.input_coercion import Mismatch, input_to_json, show
from legato.model.property import is_expression

__all__ = ["Render", "StoreFile", "coerce_input_value", "input_to_json", "resolve_inputs"]

#: Typed rendering of an expression: ``(source, variables) -> value``.
Render = Callable[[str, Mapping[str, Any]], Any]
#: Stores a FILE input given as something other than a ``kestra://`` URI (a local path, bytes…)
#: and returns its ``kestra://`` URI. Supplied by the API/CLI layer that receives uploads.
StoreFile = Callable[[inputs.FileInput, Any], str]

_MISSING = object()


def resolve_inputs(
    definitions: Sequence[inputs.Input],
    given: Mapping[str, Any] | None,
    *,
    render: Render | None = None,
    variables: Mapping[str, Any] | None = None,
    store_file: StoreFile | None = None,
) -> dict[str, Any]:
    """Resolve the ``inputs`` variables of an execution.

    Args:
        definitions: the flow's input definitions, in flow order (FORMs are flattened).
        given: the values sent, by input id (strings or native values); unknown ids are ignored.
        render: typed rendering for ``dependsOn.condition``, ``expression`` and ``defaults``.
        variables: other variables visible to those expressions (``flow``, ``execution``…);
            ``inputs`` is always the inputs resolved so far.
        store_file: turns a FILE value that is not a ``kestra://`` URI into one.

    Returns:
        The typed values by id, dotted ids nested; disabled inputs are left out.

    Raises:
        InputError: listing every input that is missing, invalid, or could not be rendered.
    """
    resolver = _Resolver(given or {}, render or _default_render, variables or {}, store_file)
    for definition in _ordered(inputs.flatten_inputs(definitions)):
        resolver.resolve(definition)
    resolver.raise_errors()
    return nest(resolver.values)


def coerce_input_value(
    definition: inputs.Input, value: Any, *, store_file: StoreFile | None = None
) -> Any:
    """Coerce one non-null ``value`` to ``definition``'s type and check its constraints.

    SELECT/MULTISELECT choices come from ``values``; one whose ``expression`` is not rendered yet
    has no choices checked. OBJECT properties and TABLE columns are coerced and checked the
    same way (``legato.model.input_records``). Raises ``InputError`` naming the input (and the
    row and field of a record) and the expected form.
    """
    if isinstance(definition, inputs.FileInput) and store_file is not None and not _is_uri(value):
        value = store_file(definition, value)
    input_id = definition.id
    typed = _checked(definition, value, f"input '{input_id}'", input_id)

    def coerce_field(field: inputs.Input, item: Any, label: str) -> Any:
        return _checked(field, item, label, input_id)

    return input_records.coerce_record(definition, typed, coerce_field)


def _checked(definition: inputs.Input, value: Any, label: str, input_id: str) -> Any:
    """``value`` coerced to ``definition``'s type with its constraints checked; errors start
    with ``label`` and carry ``input_id``."""
    try:
        typed = _coerce(definition, value)
    except Mismatch as mismatch:
        message = _mismatch_message(definition, value, mismatch, label)
        raise InputError(message, input_id=input_id) from None
    broken = input_coercion.check_constraints(definition, typed)
    if broken is not None:
        shown = _shown(definition, value)
        raise InputError(f"{label}: invalid value {shown}, {broken}", input_id=input_id)
    return typed


def _is_uri(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(input_coercion.FILE_SCHEME)


def _coerce(definition: inputs.Input, value: Any) -> Any:
    typed = input_coercion.coerce_value(definition.input_type, value)
    item_type = _item_type(definition)
    if item_type is None:
        return typed
    items = []
    for index, item in enumerate(typed):
        try:
            items.append(input_coercion.coerce_value(item_type, item))
        except Mismatch:
            expected = f"{input_coercion.EXPECTED[item_type]} ({item_type})"
            raise Mismatch(f"item {index} is {show(item)}, expected {expected}") from None
    return items


def _item_type(definition: inputs.Input) -> inputs.InputType | None:
    if isinstance(definition, inputs.ArrayInput | inputs.MultiselectInput):
        return definition.itemType
    return None


def _mismatch_message(definition: inputs.Input, value: Any, mismatch: Mismatch, label: str) -> str:
    kind = definition.input_type
    expected = f"{input_coercion.EXPECTED[kind]} ({kind})"
    item_type = _item_type(definition)
    if item_type is not None:
        expected = f"{input_coercion.EXPECTED[kind]} of {item_type} ({kind})"
    text = f"{label}: expected {expected}, got {_shown(definition, value)}"
    return f"{text}: {mismatch.detail}" if mismatch.detail else text


def _shown(definition: inputs.Input, value: Any) -> str:
    return "'******'" if isinstance(definition, inputs.SecretInput) else show(value)


class _Resolver:
    """Walks the definitions in dependency order, keeping values, disabled ids and errors."""

    def __init__(
        self,
        given: Mapping[str, Any],
        render: Render,
        variables: Mapping[str, Any],
        store_file: StoreFile | None,
    ) -> None:
        self.given = given
        self.render = render
        self.variables = variables
        self.store_file = store_file
        self.values: dict[str, Any] = {}
        self.left_out: set[str] = set()
        self.errors: list[InputError] = []

    def resolve(self, definition: inputs.Input) -> None:
        try:
            if not self._enabled(definition):
                self.left_out.add(definition.id)
                return
            definition = self._with_choices(definition)
            value = self._value_of(definition)
            if value is None:
                self._missing(definition)
            else:
                self.values[definition.id] = coerce_input_value(
                    definition, value, store_file=self.store_file
                )
        except InputError as error:
            self.left_out.add(definition.id)
            self.errors.append(error)

    def _enabled(self, definition: inputs.Input) -> bool:
        depends = definition.dependsOn
        if depends is None:
            return True
        if any(dep in self.left_out for dep in depends.inputs):
            return False
        condition = depends.condition
        if isinstance(condition, str):
            condition = self._render(definition, "dependsOn.condition", condition)
        return condition is None or condition is True or _is_true_text(condition)

    def _with_choices(self, definition: inputs.Input) -> inputs.Input:
        if not isinstance(definition, inputs.SelectInput | inputs.MultiselectInput):
            return definition
        if definition.expression is None:
            return definition
        rendered = self._render(definition, "expression", definition.expression)
        if not isinstance(rendered, list):
            message = (
                f"input '{definition.id}': 'expression' must render to a list of values, "
                f"got {show(rendered)}"
            )
            raise InputError(message, input_id=definition.id)
        values = [input_coercion.java_text(v) for v in rendered if v is not None]
        update: dict[str, Any] = {"values": values}
        if isinstance(definition, inputs.MultiselectInput):
            update["options"] = None
        return definition.model_copy(update=update)

    def _value_of(self, definition: inputs.Input) -> Any:
        value = _lookup(self.given, definition.id)
        if value is not _MISSING and value is not None:
            return value
        default = definition.defaults
        if is_expression(default):
            return self._render(definition, "defaults", default)
        return default

    def _missing(self, definition: inputs.Input) -> None:
        if definition.required:
            message = f"Missing required input: '{definition.id}' ({definition.type}); give a value"
            raise InputError(message, input_id=definition.id)
        self.values[definition.id] = None

    def _render(self, definition: inputs.Input, what: str, source: str) -> Any:
        context = {**self.variables, "inputs": nest(self.values)}
        try:
            return self.render(source, context)
        except LegatoError as error:
            message = f"input '{definition.id}': cannot render '{what}' ({source}): {error}"
            raise InputError(message, input_id=definition.id) from None

    def raise_errors(self) -> None:
        if not self.errors:
            return
        if len(self.errors) == 1:
            raise self.errors[0]
        lines = "\n".join(f"- {e.message}" for e in self.errors)
        raise InputError(f"{len(self.errors)} invalid inputs:\n{lines}")


def _is_true_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() == "true"


def _lookup(given: Mapping[str, Any], input_id: str) -> Any:
    """The value sent for ``input_id``: under the id itself, or nested under its dotted parts."""
    if input_id in given:
        return given[input_id]
    current: Any = given
    for part in input_id.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return _MISSING
        current = current[part]
    return current


def _ordered(definitions: Sequence[inputs.Input]) -> list[inputs.Input]:
    """The definitions with every ``dependsOn`` target before its dependents, else flow order."""
    by_id = {d.id: d for d in definitions}
    ordered: list[inputs.Input] = []
    state: dict[str, str] = {}  # id -> "visiting" | "done"

    def visit(definition: inputs.Input, chain: tuple[str, ...]) -> None:
        mark = state.get(definition.id)
        if mark == "done":
            return
        if mark == "visiting":
            cycle = " -> ".join((*chain[chain.index(definition.id) :], definition.id))
            raise InputError(f"inputs depend on each other in a cycle: {cycle}; break the cycle")
        state[definition.id] = "visiting"
        for dep in definition.dependsOn.inputs if definition.dependsOn else ():
            if dep not in by_id:
                message = f"input '{definition.id}' depends on unknown input '{dep}'"
                raise InputError(message, input_id=definition.id)
            visit(by_id[dep], (*chain, definition.id))
        state[definition.id] = "done"
        ordered.append(definition)

    for definition in definitions:
        visit(definition, ())
    return ordered


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Turn dotted ids into nested maps: ``{"a.b": 1}`` → ``{"a": {"b": 1}}``."""
    result: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, leaf = key.split(".")
        node = result
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise InputError(f"input '{key}' clashes with input '{part}'; rename one of them")
            node = child
        if isinstance(node.get(leaf), dict) and not isinstance(value, dict):
            raise InputError(f"input '{key}' clashes with inputs under '{key}.'; rename one")
        node[leaf] = value
    return result


def _default_render(source: str, variables: Mapping[str, Any]) -> Any:
    from legato import expressions  # deferred: the expression engine is loaded on first use

    return expressions.render_typed(source, dict(variables))

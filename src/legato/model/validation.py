"""Cross-cutting flow rules: the checks Kestra runs over a whole flow, not one property.

Invariants:

* Rules read the YAML data (with the registry to recognise tasks), not the pydantic model, so
  they are reported together with property errors even when the model cannot be built: a flow
  with a missing property *and* a duplicate task id gets both violations in one report.
* A task is any mapping with a string ``id`` and a ``type`` the registry knows as a task, found
  anywhere under the flow's task-holding properties (``tasks``, ``errors``, ``finally``,
  ``afterExecution``, ``listeners``) at any depth: flowable children in any field are covered
  without the rule knowing the flowable.
* Every string holding Pebble markup under a rendered property (tasks, triggers, outputs, SLAs,
  checks, plugin defaults; ``description`` aside) must parse, whatever the property's type:
  Kestra renders such strings, so a syntax error would only surface at run time otherwise.
* A reference written ``inputs.my-input`` or ``outputs.my-task.x`` is refused (Pebble would read
  a subtraction); Kestra's message asks for bracket notation, ``inputs['my-input']``.
* A ``dependsOn`` cycle is reported on each input that is part of it (Kestra also reports the
  inputs that merely depend on a cycle; that adds noise and no information).
* Messages are Kestra's: ``Duplicate task id with name [x]``, ``Duplicate trigger id with name
  [x]``, ``Duplicate input with name [x]``, ``Duplicate property with name [x]``, ``Duplicate
  column with name [x]`` (OBJECT/TABLE fields), ``Duplicate output with name [x]``,
  ``Recursive call to flow [ns.id]``, ``Input with id 'a' depends on a non-existent input
  'b'.``, ``Cycle dependency detected for input with id 'a': [a, b]``, ``System labels can
  only be set by Kestra itself, offending label: k=v``, ``invalid expression: …``. A duplicate
  is reported at each repeat, with the line of the first occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from legato import expressions
from legato.errors import ExpressionSyntaxError
from legato.model.labels import READ_ONLY, SYSTEM_PREFIX, label_text
from legato.model.plugin import PluginKind
from legato.model.property import is_expression
from legato.model.registry import PluginRegistry
from legato.model.violations import Loc, Violation, format_path
from legato.model.yamlsource import Document

Rule = Callable[[Document, PluginRegistry], list[Violation]]

#: top-level properties that may hold tasks, at any depth
TASK_HOLDERS = ("tasks", "errors", "finally", "afterExecution", "listeners")
#: last segments of the types that start a flow execution (Kestra's ExecutableTask)
_EXECUTABLE = {"Subflow", "ForEachItem"}
_LEGACY_SUBFLOW = "io.kestra.core.tasks.flows.Flow"


def check(document: Document, registry: PluginRegistry) -> list[Violation]:
    """Every violation of every rule, in rule order."""
    found: list[Violation] = []
    for rule in RULES:
        found.extend(rule(document, registry))
    return found


def tasks_in(data: Any, registry: PluginRegistry) -> Iterator[tuple[Loc, Mapping[str, Any]]]:
    """Every task mapping under the task-holding properties, in document order."""
    if not isinstance(data, Mapping):
        return
    for holder in TASK_HOLDERS:
        if holder in data:
            yield from _tasks_under(data[holder], (holder,), registry)


def _tasks_under(
    value: Any, loc: Loc, registry: PluginRegistry
) -> Iterator[tuple[Loc, Mapping[str, Any]]]:
    if isinstance(value, Mapping):
        if _is_task(value, registry):
            yield loc, value
        for key, item in value.items():
            yield from _tasks_under(item, (*loc, key), registry)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _tasks_under(item, (*loc, index), registry)


def _is_task(value: Mapping[str, Any], registry: PluginRegistry) -> bool:
    kind = value.get("type")
    return (
        isinstance(value.get("id"), str)
        and isinstance(kind, str)
        and registry.resolve(PluginKind.TASK, kind) is not None
    )


def _duplicates(document: Document, items: Sequence[tuple[Loc, Any]], what: str) -> list[Violation]:
    """A violation at each repeat of an id: ``items`` are (location of the id, id)."""
    first: dict[Any, Loc] = {}
    found: list[Violation] = []
    for loc, value in items:
        if not isinstance(value, str | int | float):
            continue
        if value not in first:
            first[value] = loc
            continue
        message = f"Duplicate {what} with name [{value}]"
        where = document.position(first[value])
        if where is not None:
            message += f" (first defined at line {where[0]})"
        found.append(document.violation(loc, format_path(loc), message))
    return found


def unique_task_ids(document: Document, registry: PluginRegistry) -> list[Violation]:
    """Task ids are unique across the whole tree."""
    ids = [((*loc, "id"), task["id"]) for loc, task in tasks_in(document.data, registry)]
    return _duplicates(document, ids, "task id")


def _entries(document: Document, key: str) -> list[tuple[int, Mapping[str, Any]]]:
    data = document.data
    items = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, Mapping)]


def _input_id(item: Mapping[str, Any]) -> tuple[str, Any]:
    """The key holding an input's id (``id``, or the deprecated ``name``) and its value."""
    return ("id", item["id"]) if "id" in item else ("name", item.get("name"))


def unique_trigger_ids(document: Document, registry: PluginRegistry) -> list[Violation]:
    """Trigger ids are unique."""
    ids = [(("triggers", i, "id"), t.get("id")) for i, t in _entries(document, "triggers")]
    return _duplicates(document, ids, "trigger id")


def unique_input_ids(document: Document, registry: PluginRegistry) -> list[Violation]:
    """Input ids are unique."""
    ids: list[tuple[Loc, Any]] = []
    for index, item in _entries(document, "inputs"):
        key, value = _input_id(item)
        ids.append((("inputs", index, key), value))
    return _duplicates(document, ids, "input")


def unique_record_field_ids(document: Document, registry: PluginRegistry) -> list[Violation]:
    """The ``properties`` of an OBJECT input and the ``columns`` of a TABLE input (also inside a
    FORM) have unique ids."""
    found: list[Violation] = []
    records: list[tuple[Loc, Mapping[str, Any]]] = []
    for index, item in _entries(document, "inputs"):
        records.append((("inputs", index), item))
        children = item.get("inputs") if item.get("type") == "FORM" else None
        for child_index, child in enumerate(children if isinstance(children, list) else []):
            if isinstance(child, Mapping):
                records.append((("inputs", index, "inputs", child_index), child))
    for loc, record in records:
        key, what = _RECORD_FIELDS.get(str(record.get("type")), ("", ""))
        fields = record.get(key) if key else None
        if not isinstance(fields, list):
            continue
        ids = [((*loc, key, i, "id"), f.get("id")) for i, f in enumerate(fields) if _is_map(f)]
        found.extend(_duplicates(document, ids, what))
    return found


#: input type -> (key holding its fields, what a field is called in messages)
_RECORD_FIELDS = {"OBJECT": ("properties", "property"), "TABLE": ("columns", "column")}


def _is_map(value: Any) -> bool:
    return isinstance(value, Mapping)


def unique_output_ids(document: Document, registry: PluginRegistry) -> list[Violation]:
    """Output ids are unique."""
    ids = [(("outputs", i, "id"), o.get("id")) for i, o in _entries(document, "outputs")]
    return _duplicates(document, ids, "output")


def no_recursive_subflow(document: Document, registry: PluginRegistry) -> list[Violation]:
    """A Subflow or ForEachItem task may not start the flow it belongs to."""
    data = document.data
    if not isinstance(data, Mapping):
        return []
    namespace, flow_id = data.get("namespace"), data.get("id")
    found: list[Violation] = []
    for loc, task in tasks_in(data, registry):
        if _starts_a_flow(task, registry) and (task.get("namespace"), task.get("flowId")) == (
            namespace,
            flow_id,
        ):
            message = f"Recursive call to flow [{namespace}.{flow_id}]"
            found.append(document.violation(loc, format_path(loc), message))
    return found


def _starts_a_flow(task: Mapping[str, Any], registry: PluginRegistry) -> bool:
    cls = registry.resolve(PluginKind.TASK, str(task["type"]))
    if cls is None:
        return False
    return cls.plugin_type.rsplit(".", 1)[-1] in _EXECUTABLE or cls.plugin_type == _LEGACY_SUBFLOW


def input_dependencies(document: Document, registry: PluginRegistry) -> list[Violation]:
    """``dependsOn.inputs`` name existing inputs and form no cycle."""
    graph: dict[str, list[str]] = {}
    places: dict[str, Loc] = {}
    found: list[Violation] = []
    for index, item in _entries(document, "inputs"):
        key, input_id = _input_id(item)
        if not isinstance(input_id, str):
            continue
        places.setdefault(input_id, ("inputs", index, key))
        graph.setdefault(input_id, []).extend(_depends_on(item))
    for input_id, targets in graph.items():
        for position, target in enumerate(targets):
            if target not in graph:
                loc = (*places[input_id][:2], "dependsOn", "inputs", position)
                message = f"Input with id '{input_id}' depends on a non-existent input '{target}'."
                found.append(document.violation(loc, format_path(loc), message))
        cycle = _cycle_from(input_id, graph)
        if cycle:
            loc = places[input_id][:2]
            path = ", ".join(cycle)
            message = f"Cycle dependency detected for input with id '{input_id}': [{path}]"
            found.append(document.violation(loc, format_path(loc), message))
    return found


def _depends_on(item: Mapping[str, Any]) -> list[str]:
    depends = item.get("dependsOn")
    targets = depends.get("inputs") if isinstance(depends, Mapping) else None
    if not isinstance(targets, list):
        return []
    return [str(t) for t in targets]


def _cycle_from(start: str, graph: Mapping[str, list[str]]) -> list[str]:
    """A dependency path from ``start`` back to itself, or [] when there is none."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for target in graph.get(node, []):
            if target == start:
                return path
            if target not in seen and target in graph:
                seen.add(target)
                stack.append((target, [*path, target]))
    return []


def system_labels(document: Document, registry: PluginRegistry) -> list[Violation]:
    """Flows set no ``system.`` label but ``system.readOnly``; SLAs set none at all."""
    data = document.data
    if not isinstance(data, Mapping):
        return []
    found = _system_labels(document, data.get("labels"), ("labels",), allowed={READ_ONLY})
    for index, sla in _entries(document, "sla"):
        found += _system_labels(document, sla.get("labels"), ("sla", index, "labels"), set())
    return found


def _system_labels(document: Document, labels: Any, loc: Loc, allowed: set[str]) -> list[Violation]:
    found: list[Violation] = []
    for where, key, value in _label_items(labels, loc):
        if isinstance(key, str) and key.startswith(SYSTEM_PREFIX) and key not in allowed:
            message = (
                "System labels can only be set by Kestra itself, offending label: "
                f"{key}={label_text(value)}"
            )
            found.append(document.violation(where, format_path(where), message))
    return found


def _label_items(labels: Any, loc: Loc) -> Iterator[tuple[Loc, Any, Any]]:
    if isinstance(labels, Mapping):
        for key, value in labels.items():
            yield (*loc, key), key, value
    elif isinstance(labels, list):
        for index, item in enumerate(labels):
            if isinstance(item, Mapping):
                yield (*loc, index, "key"), item.get("key"), item.get("value")


#: top-level properties whose strings are rendered with Pebble, hence syntax-checked
RENDERED = (*TASK_HOLDERS, "triggers", "outputs", "sla", "checks", "pluginDefaults")


def expression_syntax(document: Document, registry: PluginRegistry) -> list[Violation]:
    """Every string holding Pebble markup in a rendered property parses (descriptions aside)."""
    data = document.data
    if not isinstance(data, Mapping):
        return []
    found: list[Violation] = []
    for key in RENDERED:
        for loc, text in _strings(data.get(key), (key,)):
            try:
                expressions.parse(text)
            except ExpressionSyntaxError as error:
                message = f"invalid expression: {error}"
                found.append(document.violation(loc, format_path(loc), message))
    return found


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        if is_expression(value):
            yield loc, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key != "description":
                yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


_DASH_ADVICE = "keys with dashes require bracket notation, offending"


def dashed_references(document: Document, registry: PluginRegistry) -> list[Violation]:
    """``inputs.a-b`` / ``outputs.a-b.x`` in a task or flow output: Pebble reads ``a - b``."""
    data = document.data
    if not isinstance(data, Mapping):
        return []
    input_ids = [str(_input_id(item)[1]) for _, item in _entries(document, "inputs")]
    tasks = list(tasks_in(data, registry))
    input_refs = [
        _pattern(r"\{\{\s*inputs\." + re.escape(i) + r"\s*\}\}") for i in input_ids if "-" in i
    ]
    output_refs = [
        _pattern(r"\{\{\s*outputs\." + re.escape(str(t["id"])) + r"\.[^}]+\s*\}\}")
        for _, t in tasks
        if "-" in str(t["id"])
    ]
    found: list[Violation] = []
    for loc, task in tasks:
        own = list(_own_strings(task, registry))
        if _mentions(own, input_refs):
            found.append(_dash(document, loc, "input", "inputs", f"tasks: [{task['id']}]"))
        if _mentions(own, output_refs):
            found.append(_dash(document, loc, "output", "outputs", f"tasks: [{task['id']}]"))
    for index, output in _entries(document, "outputs"):
        if _mentions([text for _, text in _strings(output, ())], output_refs):
            where = f"outputs: [{output.get('id')}]"
            found.append(_dash(document, ("outputs", index), "output", "outputs", where))
    return found


def _mentions(texts: list[str], patterns: list[re.Pattern[str]]) -> bool:
    return any(p.search(text) for p in patterns for text in texts)


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _dash(document: Document, loc: Loc, what: str, var: str, offending: str) -> Violation:
    message = (
        f"Invalid {what} reference: use {var}[key-name] instead of {var}.key-name — "
        f"{_DASH_ADVICE} {offending}"
    )
    return document.violation(loc, format_path(loc), message)


def _own_strings(task: Mapping[str, Any], registry: PluginRegistry) -> Iterator[str]:
    """The strings of a task's own properties, not those of the tasks nested in it."""
    stack: list[Any] = [v for k, v in task.items() if k != "description"]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping) and not _is_task(value, registry):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


RULES: tuple[Rule, ...] = (
    unique_task_ids,
    unique_trigger_ids,
    unique_input_ids,
    unique_record_field_ids,
    unique_output_ids,
    no_recursive_subflow,
    input_dependencies,
    system_labels,
    expression_syntax,
    dashed_references,
)

"""YAML text → validated ``Flow``, or a ``FlowValidationError`` holding every violation found.

Steps, per YAML document:

1. Load the YAML with source positions (``yamlsource``); bad syntax or a duplicate key stops here.
2. Read the flow's own ``pluginDefaults`` (and the deprecated ``taskDefaults``) from the raw data
   and put them before the global ``defaults`` given by the caller. As in Kestra, a non-forced
   default fills only what the plugin left unset and the first match wins (flow beats global); a
   forced default overwrites and the last match wins (global beats flow).
3. Validate the data as a ``Flow`` with a ``ParseContext`` (registry + defaults); nested plugins
   resolve through the registry and get their defaults before required properties are checked.
4. Run the cross-cutting rules of ``validation`` over the data, whether or not step 3 passed.

Invariants:

* A ``FlowValidationError`` carries *all* violations of the document, sorted by position; each
  is a ``violations.Violation`` with a property path, a clear message, line/column and file.
* A valid flow keeps its YAML text in ``flow.source`` (the whole text for ``parse_flow``; for
  ``parse_documents``, the document's own text without its opening ``---`` line) and its
  deprecation notes in ``flow.warnings`` (``"path: message"`` strings: legacy type aliases,
  ``taskDefaults``, ``listeners``, input ``name``…). Warnings never fail a flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from legato.errors import FlowValidationError
from legato.model import diagnostics, validation, yamlsource
from legato.model.flow import Flow
from legato.model.flow_parts import PluginDefaultSpec
from legato.model.plugin import ParseContext, PluginDefault
from legato.model.registry import PluginRegistry
from legato.model.violations import Violation

_DEPRECATED_KEYS = {
    "taskDefaults": "'taskDefaults' is deprecated; rename it to 'pluginDefaults'",
    "listeners": "'listeners' are deprecated; use flow triggers or 'afterExecution' instead",
}


def parse_flow(
    source: str,
    registry: PluginRegistry,
    *,
    path: str | None = None,
    defaults: Iterable[PluginDefault] = (),
) -> Flow:
    """Parse and validate the one flow in ``source``.

    Raises ``FlowValidationError`` with every violation found; a file holding several YAML
    documents is an error here (use ``parse_documents``).
    """
    documents = yamlsource.load_documents(source, file=path)
    if not documents:
        message = "the file holds no flow; a flow needs at least 'id', 'namespace' and 'tasks'"
        raise FlowValidationError([Violation("", message, None, None, path)])
    if len(documents) > 1:
        second = documents[1]
        message = (
            f"expected one flow but found {len(documents)} YAML documents separated by '---'; "
            "keep one flow per file or read them with parse_documents"
        )
        raise FlowValidationError([Violation("", message, second.first_line, 1, path)])
    return _flow_or_raise(documents[0], registry, list(defaults), source)


def parse_documents(
    source: str,
    registry: PluginRegistry,
    *,
    path: str | None = None,
    defaults: Iterable[PluginDefault] = (),
) -> list[Flow | FlowValidationError]:
    """Parse every YAML document of ``source``: a ``Flow`` or the error, per document, in order."""
    results: list[Flow | FlowValidationError] = []
    global_defaults = list(defaults)
    for document in yamlsource.load_documents(source, file=path):
        try:
            source_text = _without_separator(document.text)
            results.append(_flow_or_raise(document, registry, global_defaults, source_text))
        except FlowValidationError as error:
            results.append(error)
    return results


def _flow_or_raise(
    document: yamlsource.Document | yamlsource.BrokenDocument,
    registry: PluginRegistry,
    global_defaults: list[PluginDefault],
    source: str,
) -> Flow:
    if isinstance(document, yamlsource.BrokenDocument):
        raise FlowValidationError(list(document.violations))
    data = document.data
    if not isinstance(data, Mapping):
        message = "a flow must be a mapping of properties (id, namespace, tasks…)"
        raise FlowValidationError([document.violation((), "", message)])
    context = ParseContext(registry, [*flow_defaults(data), *global_defaults])
    flow: Flow | None = None
    violations: list[Violation] = []
    try:
        flow = Flow.model_validate(data, context=context)
    except ValidationError as error:
        violations.extend(diagnostics.violations_from(error, document, registry, Flow))
    violations.extend(validation.check(document, registry))
    if violations or flow is None:
        ordered: list[Violation] = sorted(dict.fromkeys(violations), key=_position)
        raise FlowValidationError(list(ordered))
    return flow.attach(source=source, warnings=_warnings(data, context))


def flow_defaults(data: Mapping[str, Any]) -> list[PluginDefault]:
    """The valid entries of the flow's ``pluginDefaults`` then ``taskDefaults``, in order.

    Invalid entries are skipped here; validating the flow reports them.
    """
    found: list[PluginDefault] = []
    for key in ("pluginDefaults", "taskDefaults"):
        entries = data.get(key)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            try:
                found.append(PluginDefaultSpec.model_validate(entry).to_default())
            except ValidationError:
                continue
    return found


def _warnings(data: Mapping[str, Any], context: ParseContext) -> tuple[str, ...]:
    notes = [message for key, message in _DEPRECATED_KEYS.items() if key in data]
    notes.extend(f"{where}: {message}" for where, message in context.warnings)
    return tuple(dict.fromkeys(notes))


def _without_separator(text: str) -> str:
    """A document's text without the bare ``---`` line that opened it."""
    first, _, rest = text.partition("\n")
    return rest if first.strip() == "---" else text


def _position(violation: Violation) -> tuple[int, int]:
    return (violation.line or 0, violation.column or 0)

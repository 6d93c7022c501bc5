"""The flow: Kestra's top-level document, as a validated pydantic model.

Invariants:

* Every top-level property Kestra knows is a field, with Kestra's name (``finally`` is the
  ``finally_`` attribute); anything else is an error. ``workerGroup`` (Enterprise only) is
  rejected with a message saying so.
* ``id`` matches ``^[a-zA-Z0-9][a-zA-Z0-9._-]*$`` (≤ 100 chars); ``namespace`` matches
  ``^[a-z0-9][a-z0-9._-]*$`` (≤ 150 chars); ``tasks`` is required and not empty.
* Nested tasks, triggers and conditions are resolved through the registry of the ``ParseContext``
  given as validation context; validate flows with ``legato.model.parsing``, which also runs the
  cross-cutting rules (unique ids, recursion, labels…) of ``legato.model.validation``.
* ``source`` (the YAML text, as Kestra stores it) and ``warnings`` (deprecation notes) are not
  properties of the flow language: they are attached by the parser and are not serialized.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)

from legato.model import flow_parts, tree
from legato.model.inputs import AnyInput
from legato.model.labels import Labels
from legato.model.outputs import Output
from legato.model.plugin import ParseContext
from legato.model.property import WorkerGroup
from legato.model.retry import Retry
from legato.model.tasks import Task, Tasks
from legato.model.triggers import Triggers
from legato.model.violations import PropertyError

FLOW_ID_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9._-]*$"
NAMESPACE_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"

#: the task lists at the top level of a flow, by their Kestra names
TASK_LISTS = ("tasks", "errors", "finally", "afterExecution")


class Flow(BaseModel):
    """A Kestra flow."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Annotated[str, Field(pattern=FLOW_ID_PATTERN, max_length=100)]
    namespace: Annotated[str, Field(pattern=NAMESPACE_PATTERN, max_length=150)]
    revision: Annotated[int, Field(ge=1)] | None = None
    description: str | None = None
    labels: Labels | None = None
    inputs: list[AnyInput] | None = None
    variables: dict[str, Any] | None = None
    tasks: Annotated[Tasks, Field(min_length=1)]
    errors: Tasks | None = None
    finally_: Tasks | None = Field(None, alias="finally")
    afterExecution: Tasks | None = None
    listeners: list[flow_parts.Listener] | None = None
    triggers: Triggers | None = None
    pluginDefaults: list[flow_parts.PluginDefaultSpec] | None = None
    taskDefaults: list[flow_parts.PluginDefaultSpec] | None = None
    concurrency: flow_parts.Concurrency | None = None
    outputs: list[Output] | None = None
    retry: Retry | None = None
    disabled: bool = False
    deleted: bool = False
    sla: list[flow_parts.Sla] | None = None
    checks: list[flow_parts.Check] | None = None
    workerGroup: WorkerGroup = None

    _source: str = PrivateAttr(default="")
    _warnings: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="before")
    @classmethod
    def _kestra_names_only(cls, data: Any, info: ValidationInfo) -> Any:
        """In a parsed flow, ``finally_`` is not a property: only Kestra's ``finally`` is."""
        parsed = isinstance(info.context, ParseContext)
        if parsed and isinstance(data, Mapping) and "finally_" in data:
            raise PropertyError("unknown property 'finally_'; did you mean 'finally'?", "finally_")
        return data

    @property
    def source(self) -> str:
        """The YAML text this flow was parsed from ("" when built in code)."""
        return self._source

    @property
    def warnings(self) -> tuple[str, ...]:
        """Non-fatal notes found while parsing (deprecated properties and types)."""
        return self._warnings

    def attach(self, *, source: str, warnings: tuple[str, ...] = ()) -> Flow:
        """Record the YAML text and parse warnings on this flow; returns the flow."""
        self._source = source
        self._warnings = warnings
        return self

    @property
    def uid(self) -> str:
        """``namespace.id``, how Kestra names a flow in messages."""
        return f"{self.namespace}.{self.id}"

    @property
    def plugin_defaults(self) -> list[flow_parts.PluginDefaultSpec]:
        """``pluginDefaults`` followed by the deprecated ``taskDefaults``."""
        return [*(self.pluginDefaults or []), *(self.taskDefaults or [])]

    def all_tasks(self) -> Iterator[Task]:
        """Every task of the flow, nested ones included, in document order."""
        for _, task in tree.plugins_of(self, Task):
            yield task

    def find_task(self, task_id: str) -> Task | None:
        """The task with ``task_id`` anywhere in the flow, or None."""
        return next((t for t in self.all_tasks() if t.id == task_id), None)

"""Core flowables that start other flows: ``Subflow`` and ``ForEachItem``.

Invariants: ``namespace`` and ``flowId`` are plain fields (strings, possibly expressions) so the
flow validator can detect a flow calling itself; ``revision`` is ≥ 1; labels are a map or a
``{key, value}`` list without ``system.*`` keys. ``Subflow.outputs`` is deprecated (0.15) but
accepted.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    ValidationInfo,
    model_validator,
)

from legato.model.execution import StateType
from legato.model.property import Dyn
from legato.plugins.core import values
from legato.plugins.core.flow.base import BranchingTask, render_labels
from legato.plugins.core.values import note_deprecated_properties
from legato.sdk import FlowableTask, Task, plugin
from legato.sdk.flowable import FlowableContext, NextRun, SubflowRequest, flag
from legato.sdk.flowable_utils import sequence_decision

RestartBehavior = Literal["RETRY_FAILED", "NEW_EXECUTION"]


@plugin(
    "io.kestra.plugin.core.flow.Subflow",
    aliases=("io.kestra.core.tasks.flows.Subflow", "io.kestra.core.tasks.flows.Flow"),
    title="Start an execution of another flow.",
)
class Subflow(FlowableTask):
    """Start an execution of flow ``namespace``/``flowId`` and (by default) wait for it."""

    namespace: str = Field(min_length=1)
    flowId: str = Field(min_length=1)
    revision: PositiveInt | None = None
    inputs: dict[str, Any] | None = None
    labels: values.Labels | None = None
    wait: bool = True
    transmitFailed: bool = True
    inheritLabels: Dyn[bool] = False
    outputs: dict[str, Any] | None = None
    scheduleDate: Dyn[AwareDatetime] | None = None
    restartBehavior: RestartBehavior = "RETRY_FAILED"

    @model_validator(mode="before")
    @classmethod
    def _deprecated_properties(cls, data: Any, info: ValidationInfo) -> Any:
        return note_deprecated_properties(
            data, info, {"outputs": "declare 'outputs' on the subflow itself"}
        )

    def subflow_request(self, ctx: FlowableContext) -> SubflowRequest:
        """The child execution: namespace, flow id, inputs and labels rendered."""
        schedule = ctx.render(self.scheduleDate)
        if isinstance(schedule, str):
            from datetime import datetime

            schedule = datetime.fromisoformat(schedule.replace("Z", "+00:00"))
        return SubflowRequest(
            namespace=str(ctx.render(self.namespace)),
            flow_id=str(ctx.render(self.flowId)),
            revision=self.revision,
            inputs=dict(ctx.render(self.inputs or {})),
            labels=render_labels(ctx, self.labels),
            wait=self.wait,
            transmit_failed=self.transmitFailed,
            schedule_date=schedule,
            inherit_labels=flag(ctx.render(self.inheritLabels)),
        )

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        """No children: the task run ends when the child execution reports."""
        return [], None

    def flowable_outputs(self, ctx: FlowableContext) -> dict[str, Any] | None:
        return None


class Batch(BaseModel):
    """How ``ForEachItem`` splits its items: by ``rows`` (default 1), ``bytes`` or
    ``partitions``."""

    model_config = ConfigDict(extra="forbid")

    rows: Dyn[PositiveInt] | None = 1
    bytes: str | None = None
    partitions: Dyn[PositiveInt] | None = None
    separator: str = "\n"


@plugin(
    "io.kestra.plugin.core.flow.ForEachItem",
    aliases=("io.kestra.core.tasks.flows.ForEachItem",),
    title="Split a file into batches and start one subflow execution per batch.",
)
class ForEachItem(BranchingTask):
    """Split ``items`` (an internal-storage URI) into batches; run flow ``flowId`` per batch."""

    items: str = Field(min_length=1)
    batch: Batch = Field(default_factory=Batch)
    namespace: str = Field(min_length=1)
    flowId: str = Field(min_length=1)
    revision: PositiveInt | None = None
    inputs: dict[str, Any] | None = None
    labels: values.Labels | None = None
    wait: bool = True
    transmitFailed: bool = True
    inheritLabels: bool = False
    scheduleDate: Dyn[AwareDatetime] | None = None
    restartBehavior: RestartBehavior = "RETRY_FAILED"

    def internal_tasks(self) -> list[Task]:
        """``<id>_split``, ``<id>_items`` and ``<id>_merge`` (built once per object)."""
        cached = _INTERNAL.get(id(self))
        if cached is not None and cached[0] is self:
            return cached[1]
        from legato.plugins.core.flow import foreach_item as internal

        base = internal.BASE
        tasks: list[Task] = [
            internal.ForEachItemSplit(
                id=f"{self.id}_split",
                type=base + "ForEachItemSplit",
                items=self.items,
                rows=self.batch.rows if not (self.batch.bytes or self.batch.partitions) else None,
                bytes=self.batch.bytes,
                partitions=self.batch.partitions,
                separator=self.batch.separator,
            ),
            internal.ForEachItemExecutable(
                id=f"{self.id}_items",
                type=base + "ForEachItemExecutable",
                splits="{{ outputs['" + self.id + "_split'].splits }}",
                namespace=self.namespace,
                flowId=self.flowId,
                revision=self.revision,
                inputs=self.inputs,
                labels=[list(pair) for pair in _plain_labels(self.labels)],
                wait=self.wait,
                transmitFailed=self.transmitFailed,
                inheritLabels=self.inheritLabels,
            ),
            internal.ForEachItemMergeOutputs(
                id=f"{self.id}_merge",
                type=base + "ForEachItemMergeOutputs",
                subflowOutputs="{{ outputs['" + self.id + "_items'].subflowOutputs ?? [] }}",
            ),
        ]
        if len(_INTERNAL) > 1024:
            _INTERNAL.clear()
        _INTERNAL[id(self)] = (self, tasks)
        return tasks

    def decide(self, ctx: FlowableContext) -> tuple[list[NextRun], StateType | None]:
        """Split, start the batches' executions, merge their outputs: in sequence."""
        tasks = self.internal_tasks() if self.wait else self.internal_tasks()[:2]
        return sequence_decision(ctx, tasks, self.errors, self.finally_)

    def final_outputs(self, ctx: FlowableContext) -> dict[str, Any]:
        """``numberOfBatches`` and ``iterations`` of the batches, ``uri`` of merged outputs."""
        items = ctx.child(f"{self.id}_items", None)
        merge = ctx.child(f"{self.id}_merge", None)
        outputs = dict((items.outputs or {}) if items is not None else {})
        result: dict[str, Any] = {
            k: outputs[k] for k in ("numberOfBatches", "iterations") if k in outputs
        }
        if merge is not None and merge.outputs and "subflowOutputs" in merge.outputs:
            result["uri"] = merge.outputs["subflowOutputs"]
        return result


#: internal tasks per ForEachItem object
_INTERNAL: dict[int, tuple[ForEachItem, list[Task]]] = {}


def _plain_labels(labels: Any) -> list[tuple[str, str]]:
    """Literal labels (a map or ``{key, value}`` list) as pairs; expressions are not allowed
    in ForEachItem labels here."""
    if isinstance(labels, dict):
        return [(str(k), str(v)) for k, v in labels.items()]
    if isinstance(labels, list):
        return [(str(item.key), str(item.value)) for item in labels]
    return []

"""The three internal task runs of ``ForEachItem``: ``<id>_split``, ``<id>_items``, ``<id>_merge``.

Kestra runs a ForEachItem as a sequence of three internal tasks, shown as task runs of the
ForEachItem:

* ``<id>_split`` (worker): splits the ``items`` file into batches (``batch.rows`` lines,
  ``bytes`` or ``partitions``) and outputs ``splits``, the batch URIs in order;
* ``<id>_items`` (executor): starts one execution of the subflow per batch, with
  ``taskrun.items`` the batch URI and ``taskrun.iteration`` its 0-based index while rendering
  ``inputs``; it ends when every child ended, outputs ``numberOfBatches``, ``iterations`` (count
  per state) and ``subflowOutputs`` (the children's outputs, in the order they ended);
* ``<id>_merge`` (worker): writes those outputs as one JSON line each to a file; output
  ``subflowOutputs`` is its URI.

Invariants: the internal classes are registered under Kestra's inner-class type names
(``io.kestra.plugin.core.flow.ForEachItem$ForEachItemSplit``…) so workers can load them from a
dispatched task; their objects are built once per ForEachItem object.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from legato.model.property import Dyn
from legato.plugins.core import storage_split
from legato.sdk import RunnableTask, plugin
from legato.sdk.flowable import FlowableContext, SubflowRequest
from legato.sdk.run_context import RunContext, TaskError

BASE = "io.kestra.plugin.core.flow.ForEachItem$"


@plugin(BASE + "ForEachItemSplit", title="Split the items of a ForEachItem into batches.")
class ForEachItemSplit(RunnableTask):
    """Split ``items`` into batch files; outputs ``splits`` (their URIs)."""

    items: str
    rows: Dyn[int] | None = None
    bytes: str | None = None
    partitions: Dyn[int] | None = None
    separator: str = "\n"

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Split the file and store every batch."""
        source = str(ctx.render(self.items))
        rule = storage_split.SplitRule(
            bytes=storage_split.readable_bytes(self.bytes) if self.bytes else None,
            partitions=int(ctx.render(self.partitions)) if self.partitions else None,
            rows=int(ctx.render(self.rows)) if self.rows else None,
            separator=self.separator,
        )
        if rule.bytes is None and rule.partitions is None and rule.rows is None:
            raise TaskError("a ForEachItem batch needs 'rows', 'bytes' or 'partitions'")
        local = ctx.storage.open_local(source)
        extension = storage_split.extension_of(source)
        parts = storage_split.split_file(str(local), rule, str(ctx.working_dir()), extension)
        return {"splits": [ctx.storage.put_file(part) for part in parts]}


@plugin(BASE + "ForEachItemExecutable", title="Start one subflow execution per batch.")
class ForEachItemExecutable(RunnableTask):
    """Start one execution of ``namespace.flowId`` per batch of the split task run."""

    runs_in_executor: ClassVar[bool] = True

    splits: str
    namespace: str
    flowId: str
    revision: int | None = None
    inputs: dict[str, Any] | None = None
    labels: list[list[str]] | None = None
    wait: bool = True
    transmitFailed: bool = True
    inheritLabels: bool = False

    def subflow_requests(self, ctx: FlowableContext) -> list[SubflowRequest]:
        """One child execution per batch URI, ``inputs`` rendered for that batch."""
        splits = ctx.render(self.splits)
        if isinstance(splits, str):
            splits = json.loads(splits)
        requests = []
        for iteration, uri in enumerate(splits):
            extra = {"taskrun": {"items": uri, "iteration": iteration}}
            requests.append(
                SubflowRequest(
                    namespace=str(ctx.render(self.namespace)),
                    flow_id=str(ctx.render(self.flowId)),
                    revision=self.revision,
                    inputs=dict(ctx.render(self.inputs or {}, extra)),
                    labels=tuple((k, v) for k, v in self.labels or []),
                    wait=self.wait,
                    transmit_failed=self.transmitFailed,
                    inherit_labels=self.inheritLabels,
                )
            )
        return requests


@plugin(BASE + "ForEachItemMergeOutputs", title="Merge the outputs of a ForEachItem's subflows.")
class ForEachItemMergeOutputs(RunnableTask):
    """Write the subflows' outputs (one JSON line each) to a file."""

    subflowOutputs: Dyn[list[Any]] | None = None

    def run(self, ctx: RunContext) -> dict[str, Any] | None:
        """Store the merged outputs; output ``subflowOutputs`` (the file URI)."""
        values = ctx.render(self.subflowOutputs) or []
        lines = "".join(json.dumps(value, separators=(",", ":")) + "\n" for value in values)
        return {"subflowOutputs": ctx.storage.put_bytes(lines.encode(), "outputs.jsonl")}


INTERNAL: list[type[RunnableTask]] = [
    ForEachItemSplit,
    ForEachItemExecutable,
    ForEachItemMergeOutputs,
]

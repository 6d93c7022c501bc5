"""Execution documents and job payloads without redoing work: the JSON of unchanged task runs
is reused when an execution is written, the parsed execution is reused when its own document is
read back, and a worker job claimed in the process that queued it gets its payload back without
parsing it (``JobPayloads``).

Why: an execution is one JSON document that grows with its task runs, and the executor
rewrites it at every step; serializing and parsing it whole made long flows quadratic.

Invariants: ``write`` returns JSON equal (as data) to ``Execution.to_json``; a task run's
cached JSON is reused only for the very same (frozen) ``TaskRun`` object; ``read`` returns the
cached ``Execution`` only when the stored document is exactly the one this process wrote for
it. Both caches are bounded and drop executions that reached a terminal state. A job payload
is handed back once, only for the very text stored with it; it is the executor's own object
(JSON-like values, as ``DispatchTask`` payloads are; readers never mutate it).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from legato.model.execution import Execution, TaskRun
from legato.store import rules


def read_execution(document: str) -> Execution:
    """Parse a stored execution document."""
    return Execution.model_validate_json(document)


def _task_run_json(run: TaskRun) -> str:
    return run.model_dump_json(by_alias=True, exclude_none=True)


class ExecutionDocuments:
    """The documents this store wrote last, per execution (for one process)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._written: OrderedDict[str, tuple[str, Execution]] = OrderedDict()
        self._runs: dict[str, dict[str, tuple[TaskRun, str]]] = {}

    def write(self, execution: Execution) -> str:
        """The document of ``execution``, reusing the JSON of unchanged task runs."""
        known = self._runs.get(execution.id, {})
        fresh: dict[str, tuple[TaskRun, str]] = {}
        parts: list[str] = []
        for run in execution.taskRunList:
            hit = known.get(run.id)
            text = hit[1] if hit is not None and hit[0] is run else _task_run_json(run)
            fresh[run.id] = (run, text)
            parts.append(text)
        head = execution.model_dump_json(by_alias=True, exclude_none=True, exclude={"taskRunList"})
        document = f'{head[:-1]},"taskRunList":[{",".join(parts)}]}}'
        if not execution.state.current.is_terminal:
            self._runs[execution.id] = fresh
        return document

    def read(self, execution_id: str, document: str) -> Execution:
        """The execution stored as ``document``; parsed unless this process wrote it."""
        known = self._written.get(execution_id)
        if known is not None and known[0] == document:
            self._written.move_to_end(execution_id)
            return known[1]
        self._written.pop(execution_id, None)  # another process wrote it since
        return read_execution(document)

    def only_document_changed(self, execution: Execution) -> bool:
        """Whether the stored row of ``execution`` differs from its new state only by its
        document: this process wrote the row last (and read it back unchanged, or wrote it
        since) and the indexed columns — state, dates, labels — hold the same values."""
        known = self._written.get(execution.id)
        if known is None:
            return False
        before = known[1]
        return (
            before.state.current == execution.state.current
            and before.state.startDate == execution.state.startDate
            and before.state.endDate == execution.state.endDate
            and before.labels == execution.labels
            and before.namespace == execution.namespace
            and before.flowId == execution.flowId
        )

    def remember(self, document: str, execution: Execution) -> None:
        """``document`` of ``execution`` is now stored (call after the commit succeeded)."""
        if execution.state.current.is_terminal:
            self._written.pop(execution.id, None)
            self._runs.pop(execution.id, None)
            return
        self._written[execution.id] = (document, execution)
        self._written.move_to_end(execution.id)
        while len(self._written) > self._size:
            oldest, _ = self._written.popitem(last=False)
            self._runs.pop(oldest, None)
        for stale in [i for i in self._runs if i not in self._written]:
            if len(self._runs) <= self._size:
                break
            del self._runs[stale]


class JobPayloads:
    """Payloads of the jobs this process queued, until a worker of this process claims them."""

    def __init__(self, size: int = 8192) -> None:
        self._size = size
        self._known: dict[str, tuple[str, dict[str, Any]]] = {}

    def remember(self, job_id: str, text: str, payload: dict[str, Any]) -> None:
        """Job ``job_id`` is stored with ``text``, the JSON of ``payload`` (after the commit)."""
        self._known[job_id] = (text, payload)
        while len(self._known) > self._size:
            del self._known[next(iter(self._known))]

    def take(self, job_id: str, text: str) -> dict[str, Any] | None:
        """The payload remembered for this job and text (forgotten then), else None."""
        known = self._known.pop(job_id, None)
        return known[1] if known is not None and known[0] == text else None


def shared_json(values: Sequence[dict[str, Any]], expand: int = 3) -> list[str]:
    """``rules.dumps`` of each value, serializing once the containers they share.

    Worker job payloads of one commit share big subtrees (the ``tasks`` states and ``outputs``
    of a loop with a thousand iterations): dicts are written key by key down to ``expand``
    levels, and the containers below are serialized once per object. The text equals
    ``rules.dumps(value)`` (compact JSON, same key order)."""
    memo: dict[int, tuple[Any, str]] = {}

    def text(value: Any, depth: int) -> str:
        if isinstance(value, dict) and value:
            if depth < expand and all(type(key) is str for key in value):
                items = ",".join(f"{rules.dumps(k)}:{text(v, depth + 1)}" for k, v in value.items())
                return "{" + items + "}"
            return cached(value)
        if isinstance(value, list) and value:
            return cached(value)
        return rules.dumps(value)

    def cached(value: Any) -> str:
        hit = memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        out = rules.dumps(value)
        memo[id(value)] = (value, out)
        return out

    return [text(value, 0) for value in values]

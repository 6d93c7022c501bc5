"""Core internal-storage tasks: write, concatenate, split, delete, size, filter, deduplicate and
reverse files, the deprecated ``LocalFiles``, and ``PurgeCurrentExecutionFiles``.

Invariants: ``from`` (a Python keyword) is declared as ``from_`` with the alias ``from``; file
properties are strings (internal-storage URIs or expressions); enum properties take Kestra's
upper-case values; defaults are Kestra's (``extension`` ``.tmp`` for Concat, ``filterType``
INCLUDE, ``errorOrNullBehavior`` FAIL, ``errorOnMissing`` false).
"""

from __future__ import annotations

import codecs
import json
from typing import Any, Literal

from pydantic import Field, PositiveInt

from legato.model.property import Dyn
from legato.plugins.core import storage_files, storage_items, storage_split
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import RunContext, TaskError

_LEGACY = "io.kestra.core.tasks.storages."


@plugin(
    "io.kestra.plugin.core.storage.Write",
    title="Write a string content to a file in internal storage.",
)
class Write(RunnableTask):
    """Write ``content`` to a new internal-storage file."""

    content: str
    extension: str | None = None

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: a new file holding the rendered ``content``."""
        data = ctx.render_string(self.content).encode("utf-8")
        extension = ctx.render_string(self.extension) if self.extension is not None else ".tmp"
        path = storage_files.temp_file(ctx, extension)
        path.write_bytes(data)
        return {"uri": ctx.storage.put_file(path)}


@plugin(
    "io.kestra.plugin.core.storage.Concat",
    aliases=(_LEGACY + "Concat",),
    title="Concatenate files into one.",
)
class Concat(RunnableTask):
    """Concatenate ``files`` (a list, or a JSON-array string) into one file."""

    files: list[str] | str
    separator: str | None = None
    extension: str = ".tmp"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the files in order, each followed by ``separator`` when given."""
        separator = None if self.separator is None else ctx.render_string(self.separator)
        path = storage_files.temp_file(ctx, ctx.render_string(self.extension))
        with path.open("wb") as out:
            for uri in _uri_list(ctx, self.files, "files"):
                storage_files.copy_into(ctx, uri, out)
                if separator is not None:
                    out.write(separator.encode("utf-8"))
        return {"uri": ctx.storage.put_file(path)}


@plugin(
    "io.kestra.plugin.core.storage.Split",
    aliases=(_LEGACY + "Split",),
    title="Split a file into several by size, partitions or rows.",
)
class Split(RunnableTask):
    """Split file ``from`` by ``bytes`` (e.g. ``10MB``), ``partitions`` or ``rows``."""

    from_: str = Field(alias="from")
    bytes: str | None = None
    partitions: Dyn[PositiveInt] | None = None
    rows: Dyn[PositiveInt] | None = None
    regexPattern: str | None = None
    separator: str = "\n"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uris``: the parts, in order (see ``storage_split``)."""
        source = ctx.render_string(self.from_)
        rule = storage_split.SplitRule(
            bytes=_readable_bytes(ctx.render_string(self.bytes)) if self.bytes else None,
            partitions=None if self.partitions is None else ctx.render_as(self.partitions, int),
            rows=None if self.rows is None else ctx.render_as(self.rows, int),
            regex=None if self.regexPattern is None else ctx.render_string(self.regexPattern),
            separator=ctx.render_string(self.separator),
        )
        directory = ctx.working_dir()
        local = str(ctx.storage.open_local(source))
        try:
            parts = storage_split.split_file(
                local, rule, str(directory), storage_split.extension_of(source)
            )
        except ValueError as error:
            raise TaskError(str(error), retryable=False) from None
        return {"uris": [ctx.storage.put_file(part) for part in parts]}


@plugin(
    "io.kestra.plugin.core.storage.Delete",
    aliases=(_LEGACY + "Delete",),
    title="Delete a file from internal storage.",
)
class Delete(RunnableTask):
    """Delete the internal-storage file ``uri``."""

    uri: str
    errorOnMissing: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri`` and ``deleted`` (false when the file did not exist)."""
        uri = ctx.render_string(self.uri)
        deleted = ctx.storage.delete(uri)
        if not deleted and ctx.render_as(self.errorOnMissing, bool):
            raise TaskError(f"Unable to find file '{uri}'", retryable=False)
        return {"uri": uri, "deleted": deleted}


@plugin(
    "io.kestra.plugin.core.storage.Size",
    aliases=(_LEGACY + "Size",),
    title="Get the size of a file in internal storage.",
)
class Size(RunnableTask):
    """Output the size in bytes of the internal-storage file ``uri``."""

    uri: str

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``size``, in bytes."""
        return {"size": ctx.storage.size(ctx.render_string(self.uri))}


@plugin(
    "io.kestra.plugin.core.storage.FilterItems",
    aliases=(_LEGACY + "FilterItems",),
    title="Keep or drop the items of an ION file matching a condition.",
)
class FilterItems(RunnableTask):
    """Keep (INCLUDE) or drop (EXCLUDE) the items of ``from`` for which ``filterCondition``
    holds."""

    from_: str = Field(alias="from")
    filterCondition: str
    filterType: Dyn[Literal["INCLUDE", "EXCLUDE"]] = "INCLUDE"
    errorOrNullBehavior: Dyn[Literal["FAIL", "INCLUDE", "EXCLUDE"]] = "FAIL"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``, ``processedItemsTotal`` and ``droppedItemsTotal``."""
        filter_type = ctx.render_string(self.filterType).upper()
        on_error = ctx.render_string(self.errorOrNullBehavior).upper()
        source = ctx.render_string(self.from_)
        keep = filter_type == "INCLUDE"
        return storage_items.filter_items(ctx, source, self.filterCondition, keep, on_error)


@plugin(
    "io.kestra.plugin.core.storage.DeduplicateItems",
    aliases=(_LEGACY + "DeduplicateItems",),
    title="Remove the items of an ION file that have the same key.",
)
class DeduplicateItems(RunnableTask):
    """Keep the last item of ``from`` for each key computed by ``expr``."""

    from_: str = Field(alias="from")
    expr: str

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``, ``numKeys``, ``processedItemsTotal`` and ``droppedItemsTotal``."""
        return storage_items.deduplicate_items(ctx, ctx.render_string(self.from_), self.expr)


@plugin(
    "io.kestra.plugin.core.storage.Reverse",
    aliases=(_LEGACY + "Reverse",),
    title="Reverse the lines of a file.",
)
class Reverse(RunnableTask):
    """Write the lines of ``from`` in reverse order."""

    from_: str = Field(alias="from")
    separator: str = "\n"
    charset: str = "UTF-8"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the lines of ``from``, last first, each followed by ``separator``."""
        source = ctx.render_string(self.from_)
        charset = ctx.render_string(self.charset)
        separator = ctx.render_string(self.separator)
        try:
            codecs.lookup(charset)
        except LookupError:
            raise TaskError(f"Unknown charset '{charset}'", retryable=False) from None
        path = storage_files.temp_file(ctx, storage_split.extension_of(source))
        local = ctx.storage.open_local(source)
        storage_files.reverse_lines(local, path, charset, separator, ctx.working_dir())
        return {"uri": ctx.storage.put_file(path)}


@plugin(
    "io.kestra.plugin.core.storage.LocalFiles",
    aliases=(_LEGACY + "LocalFiles",),
    title="Create local files for the next tasks (deprecated: use WorkingDirectory).",
    deprecated=True,
)
class LocalFiles(RunnableTask):
    """Create local files from ``inputs`` and expose ``outputs`` globs (deprecated)."""

    inputs: dict[str, Any] | str | None = None
    outputs: list[str] | None = None

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Write ``inputs`` into the working directory; output ``uris`` of the ``outputs``."""
        storage_files.write_inputs(ctx, _json_map(ctx, self.inputs, "inputs"))
        globs = [ctx.render_string(g) for g in self.outputs or []]
        return {"uris": storage_files.upload_outputs(ctx, globs)}


@plugin(
    "io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles",
    aliases=(_LEGACY + "PurgeExecution", "io.kestra.plugin.core.storage.PurgeExecution"),
    title="Delete every internal-storage file of the current execution.",
)
class PurgeCurrentExecutionFiles(RunnableTask):
    """Delete every internal-storage file created by the current execution."""

    includeChildExecutions: Dyn[bool] = False
    includeStates: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uris``: the deleted files of the current execution."""
        return {"uris": ctx.storage.delete_execution_files()}


def _uri_list(ctx: RunContext, value: list[str] | str, name: str) -> list[str]:
    """A list property given as a list or as a JSON array (rendered), each item rendered."""
    items: Any = value
    if isinstance(value, str):
        rendered = ctx.render(value)
        try:
            items = json.loads(rendered) if isinstance(rendered, str) else rendered
        except json.JSONDecodeError:
            items = None
    if not isinstance(items, list):
        raise TaskError(f"'{name}' must be a list or a JSON array, got {value!r}", retryable=False)
    return [ctx.render_string(item) for item in items]


def _json_map(ctx: RunContext, value: dict[str, Any] | str | None, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    rendered = ctx.render(value)
    if isinstance(rendered, str):
        try:
            rendered = json.loads(rendered)
        except json.JSONDecodeError:
            rendered = None
    if not isinstance(rendered, dict):
        raise TaskError(f"'{name}' must be a map or a JSON object, got {value!r}", retryable=False)
    return rendered


def _readable_bytes(text: str) -> int:
    try:
        return storage_split.readable_bytes(text)
    except ValueError as error:
        raise TaskError(str(error), retryable=False) from None

"""Core internal-storage tasks: write, concatenate, split, delete, size, filter, deduplicate and
reverse files, the deprecated ``LocalFiles``, and ``PurgeCurrentExecutionFiles``.

Invariants: ``from`` (a Python keyword) is declared as ``from_`` with the alias ``from``; file
properties are strings (internal-storage URIs or expressions); enum properties take Kestra's
upper-case values; defaults are Kestra's (``extension`` ``.tmp`` for Concat, ``filterType``
INCLUDE, ``errorOrNullBehavior`` FAIL, ``errorOnMissing`` false).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PositiveInt

from legato.model.property import Dyn
from legato.sdk import RunnableTask, plugin

_LEGACY = "io.kestra.core.tasks.storages."


@plugin(
    "io.kestra.plugin.core.storage.Write",
    title="Write a string content to a file in internal storage.",
)
class Write(RunnableTask):
    """Write ``content`` to a new internal-storage file."""

    content: str
    extension: str | None = None


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
    separator: str = "\n"


@plugin(
    "io.kestra.plugin.core.storage.Delete",
    aliases=(_LEGACY + "Delete",),
    title="Delete a file from internal storage.",
)
class Delete(RunnableTask):
    """Delete the internal-storage file ``uri``."""

    uri: str
    errorOnMissing: Dyn[bool] = False


@plugin(
    "io.kestra.plugin.core.storage.Size",
    aliases=(_LEGACY + "Size",),
    title="Get the size of a file in internal storage.",
)
class Size(RunnableTask):
    """Output the size in bytes of the internal-storage file ``uri``."""

    uri: str


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


@plugin(
    "io.kestra.plugin.core.storage.DeduplicateItems",
    aliases=(_LEGACY + "DeduplicateItems",),
    title="Remove the items of an ION file that have the same key.",
)
class DeduplicateItems(RunnableTask):
    """Keep the last item of ``from`` for each key computed by ``expr``."""

    from_: str = Field(alias="from")
    expr: str


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


@plugin(
    "io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles",
    aliases=(_LEGACY + "PurgeExecution", "io.kestra.plugin.core.storage.PurgeExecution"),
    title="Delete every internal-storage file of the current execution.",
)
class PurgeCurrentExecutionFiles(RunnableTask):
    """Delete every internal-storage file created by the current execution."""

    includeChildExecutions: Dyn[bool] = False
    includeStates: Dyn[bool] = False

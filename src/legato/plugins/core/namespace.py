"""Core namespace-file tasks: ``UploadFiles``, ``DownloadFiles``, ``DeleteFiles``.

Invariants: ``namespace`` is required on all three; ``files`` is required to download or delete;
to upload, give ``files`` (globs, or a map destination path → file) or ``filesMap``; ``conflict`` is
OVERWRITE, ERROR or SKIP (default OVERWRITE); ``destination`` defaults to ``/``.
"""

from __future__ import annotations

from typing import Any, Literal

from legato.model.property import Dyn
from legato.sdk import RunnableTask, plugin


@plugin(
    "io.kestra.plugin.core.namespace.UploadFiles",
    title="Upload files into a namespace's files.",
)
class UploadFiles(RunnableTask):
    """Upload ``files`` (globs) or ``filesMap`` entries under ``destination`` in ``namespace``."""

    namespace: str
    files: Dyn[list[str]] | dict[str, Any] | None = None
    filesMap: dict[str, Any] | str | None = None
    destination: str = "/"
    conflict: Dyn[Literal["OVERWRITE", "ERROR", "SKIP"]] = "OVERWRITE"


@plugin(
    "io.kestra.plugin.core.namespace.DownloadFiles",
    title="Download namespace files into the execution's storage.",
)
class DownloadFiles(RunnableTask):
    """Download the ``files`` (globs) of ``namespace``."""

    namespace: str
    files: Dyn[list[str]] | str
    destination: str = ""


@plugin(
    "io.kestra.plugin.core.namespace.DeleteFiles",
    title="Delete namespace files.",
)
class DeleteFiles(RunnableTask):
    """Delete the ``files`` (globs) of ``namespace``."""

    namespace: str
    files: Dyn[list[str]] | str
    deleteParentFolder: Dyn[bool] = False

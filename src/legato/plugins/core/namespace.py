"""Core namespace-file tasks: ``UploadFiles``, ``DownloadFiles``, ``DeleteFiles``.

Invariants: ``namespace`` is required on all three; ``files`` is required to download or delete;
to upload, give ``files`` (globs, or a map destination path → file) or ``filesMap``; ``conflict`` is
OVERWRITE, ERROR or SKIP (default OVERWRITE); ``destination`` defaults to ``/``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from legato.model.property import Dyn
from legato.plugins.core import globs
from legato.sdk import RunnableTask, plugin
from legato.sdk.run_context import NamespaceFiles, RunContext, TaskError


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

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Upload; output ``files``: namespace path → URI of each file written."""
        if self.files is None and self.filesMap is None:
            raise TaskError("UploadFiles needs 'files' or 'filesMap'", retryable=False)
        namespace = ctx.render_string(self.namespace)
        upload = _Upload(
            ctx,
            ctx.storage.namespace_files(namespace),
            namespace,
            _leading_slash(ctx.render_string(self.destination)),
            ctx.render_string(self.conflict),
        )
        files = ctx.render(self.files)
        if isinstance(files, dict):
            upload.mapping(files, joined=False)
        elif files is not None:
            upload.patterns(_string_list(files, "files"))
        if self.filesMap is not None:
            upload.mapping(_map(ctx.render(self.filesMap), "filesMap"), joined=True)
        return {"files": upload.written}


@plugin(
    "io.kestra.plugin.core.namespace.DownloadFiles",
    title="Download namespace files into the execution's storage.",
)
class DownloadFiles(RunnableTask):
    """Download the ``files`` (globs) of ``namespace``."""

    namespace: str
    files: Dyn[list[str]] | str
    destination: str = ""

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Copy matching namespace files to internal storage; output ``files`` (path → URI)."""
        namespace = ctx.render_string(self.namespace)
        patterns = _string_list(ctx.render(self.files), "files")
        source = ctx.storage.namespace_files(namespace)
        prefix = ctx.render_string(self.destination).strip("/")
        downloaded: dict[str, str] = {}
        for relative in _matching(source, patterns):
            name = f"{prefix}/{relative}" if prefix else relative
            downloaded["/" + relative] = ctx.storage.put_bytes(source.get(relative), name)
            ctx.logger.debug(f"Downloaded /{relative}")
        ctx.metric("downloaded", len(downloaded))
        return {"files": downloaded}


@plugin(
    "io.kestra.plugin.core.namespace.DeleteFiles",
    title="Delete namespace files.",
)
class DeleteFiles(RunnableTask):
    """Delete the ``files`` (globs) of ``namespace``."""

    namespace: str
    files: Dyn[list[str]] | str
    deleteParentFolder: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Delete matching namespace files; output ``files`` (path → URI of each deleted file).

        Folders are implicit in namespace storage, so ``deleteParentFolder`` has nothing left
        to remove once a folder's last file is gone.
        """
        namespace = ctx.render_string(self.namespace)
        patterns = _string_list(ctx.render(self.files), "files")
        target = ctx.storage.namespace_files(namespace)
        deleted: dict[str, str] = {}
        for relative in _matching(target, patterns):
            uri = target.uri(relative)
            if target.delete(relative):
                deleted["/" + relative] = uri
                ctx.logger.debug(f"Deleted /{relative}")
        ctx.metric("deleted", len(deleted))
        return {"files": deleted}


class _Upload:
    """One UploadFiles run: writes into ``target`` honouring ``conflict``."""

    def __init__(
        self,
        ctx: RunContext,
        target: NamespaceFiles,
        namespace: str,
        destination: str,
        conflict: str,
    ) -> None:
        self.ctx, self.target, self.namespace = ctx, target, namespace
        self.destination, self.conflict = destination, conflict
        self.written: dict[str, str] = {}

    def patterns(self, patterns: list[str]) -> None:
        """Working-directory files matching the globs; a ``kestra://`` item uploads that file."""
        uris = [p for p in patterns if p.startswith("kestra://")]
        for uri in uris:
            if self.ctx.storage.exists(uri):
                name = uri.rstrip("/").rsplit("/", 1)[-1]
                self._put(_join(self.destination, name), self.ctx.storage.get_bytes(uri))
        globbed = [p for p in patterns if not p.startswith("kestra://")]
        if not globbed:
            return
        root = self.ctx.working_dir()
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = path.relative_to(root).as_posix()
            if globs.matches(relative, globbed):
                self._put(_join(self.destination, relative), path.read_bytes())

    def mapping(self, files: dict[str, Any], *, joined: bool) -> None:
        """Target path → source URI (missing sources are skipped, as Kestra does)."""
        for target, source in files.items():
            if not isinstance(source, str):
                raise TaskError("filesMap must map file names to kestra:// URIs", retryable=False)
            if self.ctx.storage.exists(source):
                path = self.destination + str(target) if joined else str(target)
                self._put(path, self.ctx.storage.get_bytes(source))

    def _put(self, path: str, data: bytes) -> None:
        relative = path.lstrip("/")
        if self.conflict != "OVERWRITE" and relative in _listed(self.target, relative):
            if self.conflict == "SKIP":
                return
            raise TaskError(
                f"File '/{relative}' already exists in namespace '{self.namespace}' and conflict "
                "is set to ERROR; set conflict to OVERWRITE or SKIP",
                retryable=False,
            )
        self.written["/" + relative] = self.target.put(relative, data)


def _matching(files: NamespaceFiles, patterns: list[str]) -> list[str]:
    every = sorted({path.lstrip("/") for path in files.list("")})
    return [path for path in every if globs.matches(path, patterns)]


def _listed(files: NamespaceFiles, relative: str) -> set[str]:
    return {path.lstrip("/") for path in files.list(relative)}


def _string_list(value: Any, name: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise TaskError(f"'{name}' must be a string or a list of strings", retryable=False)


def _map(value: Any, name: str) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None
    if not isinstance(value, dict):
        raise TaskError(f"'{name}' must be a map (or a JSON object) of path → URI", retryable=False)
    return value


def _leading_slash(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def _join(destination: str, relative: str) -> str:
    return destination.rstrip("/") + "/" + relative.lstrip("/")

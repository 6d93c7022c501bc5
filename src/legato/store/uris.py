"""The internal storage layout: where Kestra puts the files of executions and namespaces.

Invariants (reference §8): a URI is ``kestra:///`` followed by a relative path whose first
segments are the namespace with ``.`` as ``/``; flow and task ids appear slugified; a path
never contains ``.``/``..`` segments or backslashes (``relative_path`` refuses them).

Pure (no I/O): the file adapters, the worker and the services all build URIs here, so the layout
has one definition.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import PurePosixPath

from legato.errors import LegatoError

SCHEME = "kestra://"


class StorageURIError(LegatoError):
    """A URI is not a usable internal storage URI."""


@functools.lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Kestra's slug of an id: accents dropped, lower-cased, runs of space/_/- made one ``-``."""
    ascii_text = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode()
    kept = re.sub(r"[^\w\s-]", "", ascii_text).strip()
    return re.sub(r"[\s_-]+", "-", kept).lower()


def namespace_path(namespace: str) -> str:
    return namespace.replace(".", "/")


def execution_prefix(namespace: str, flow_id: str, execution_id: str) -> str:
    """``kestra:///<ns path>/<flow slug>/executions/<execution>`` (no trailing slash)."""
    return f"{SCHEME}/{namespace_path(namespace)}/{slugify(flow_id)}/executions/{execution_id}"


def task_run_prefix(
    namespace: str, flow_id: str, execution_id: str, task_id: str, task_run_id: str
) -> str:
    """``…/executions/<execution>/tasks/<task slug>/<taskrun>`` (no trailing slash)."""
    execution = execution_prefix(namespace, flow_id, execution_id)
    return f"{execution}/tasks/{slugify(task_id)}/{task_run_id}"


def input_prefix(namespace: str, flow_id: str, execution_id: str, input_id: str) -> str:
    """``…/executions/<execution>/inputs/<input id>`` where an uploaded FILE input lands."""
    return f"{execution_prefix(namespace, flow_id, execution_id)}/inputs/{input_id}"


def namespace_files_prefix(namespace: str) -> str:
    """``kestra:///<ns path>/_files`` (namespace files live below it)."""
    return f"{SCHEME}/{namespace_path(namespace)}/_files"


def relative_path(uri: str) -> str:
    """The storage path of ``uri`` without the scheme (``a/b/file.txt``).

    Raises StorageURIError for another scheme, an empty path, or a ``.``/``..`` segment."""
    if not uri.startswith(SCHEME + "/"):
        raise StorageURIError(f"'{uri}' is not an internal storage URI: write kestra:///path")
    path = uri[len(SCHEME) + 1 :]
    if "\\" in path or "\x00" in path:
        raise StorageURIError(f"'{uri}' contains a backslash or NUL: use '/' between segments")
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise StorageURIError(f"'{uri}' contains '.' or '..': name the file by its full path")
    return str(PurePosixPath(*parts)) if parts else ""


def to_uri(path: str) -> str:
    """The URI of a storage path (``a/b`` → ``kestra:///a/b``)."""
    return f"{SCHEME}/{path.lstrip('/')}"

"""``FileStorage`` on a local folder: ``kestra:///a/b.txt`` is ``<base>/a/b.txt``.

Invariants: no URI reaches outside the base folder (``..`` segments are refused and resolved
paths are checked, so symlinks cannot escape either); writes are atomic (a temporary file
renamed into place), so readers never see half a file; a missing file raises
FileNotFoundError naming its URI. Blocking disk work runs in a thread.
"""

from __future__ import annotations

import asyncio
import builtins
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from legato.store.uris import StorageURIError, relative_path, to_uri

T = TypeVar("T")


def default_storage_path(env: dict[str, str] | None = None) -> Path:
    """``$LEGATO_HOME/storage`` (``~/.legato/storage`` when unset)."""
    values = os.environ if env is None else env
    return Path(values.get("LEGATO_HOME") or "~/.legato").expanduser().absolute() / "storage"


class LocalFileStorage:
    """Internal storage in ``base`` (created on first write)."""

    def __init__(self, base: Path) -> None:
        self.base = base.expanduser().absolute()

    def path_of(self, uri: str) -> Path:
        """The local path of ``uri``; StorageURIError when it would leave the base folder."""
        relative = relative_path(uri)
        path = self.base / relative if relative else self.base
        base = self.base.resolve()
        if not path.resolve().is_relative_to(base):
            raise StorageURIError(f"'{uri}' leads outside the storage folder")
        return path

    async def put(self, uri: str, data: bytes) -> str:
        path = self.path_of(uri)
        await _thread(lambda: _write_atomic(path, lambda target: target.write_bytes(data)))
        return uri

    async def put_file(self, uri: str, source_path: str) -> str:
        path = self.path_of(uri)
        await _thread(
            lambda: _write_atomic(path, lambda target: shutil.copyfile(source_path, target))
        )
        return uri

    async def get(self, uri: str) -> bytes:
        return await _thread(lambda: self._existing(uri).read_bytes())

    async def open_local(self, uri: str) -> str:
        return str(await _thread(lambda: self._existing(uri)))

    async def exists(self, uri: str) -> bool:
        return await _thread(lambda: self.path_of(uri).is_file())

    async def size(self, uri: str) -> int:
        return await _thread(lambda: self._existing(uri).stat().st_size)

    async def delete(self, uri: str) -> bool:
        path = self.path_of(uri)

        def remove() -> bool:
            try:
                path.unlink()
            except (FileNotFoundError, IsADirectoryError):
                return False
            return True

        return await _thread(remove)

    async def list(self, prefix_uri: str) -> list[str]:
        return await _thread(lambda: [to_uri(p) for p in self._files_under(prefix_uri)])

    async def delete_prefix(self, prefix_uri: str) -> int:
        def remove_all() -> int:
            found = self._files_under(prefix_uri)
            for relative in found:
                (self.base / relative).unlink(missing_ok=True)
            return len(found)

        return await _thread(remove_all)

    def _existing(self, uri: str) -> Path:
        path = self.path_of(uri)
        if not path.is_file():
            raise FileNotFoundError(f"no file at {uri} in internal storage")
        return path

    def _files_under(self, prefix_uri: str) -> builtins.list[str]:
        """Relative paths starting with ``prefix_uri``: a folder when it ends with ``/``, else a
        name prefix (``…/run1`` also matches ``…/run10/x``, as object stores do)."""
        relative = relative_path(prefix_uri)
        folder = self.path_of(prefix_uri)
        if not prefix_uri.endswith("/"):
            folder = folder.parent
        if not folder.is_dir():
            return []
        base = self.base
        found = [
            p.relative_to(base).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".legato-tmp-")
        ]
        wanted = relative + "/" if prefix_uri.endswith("/") and relative else relative
        return sorted(p for p in found if p.startswith(wanted))


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".legato-tmp-", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


async def _thread(work: Callable[[], T]) -> T:
    return await asyncio.to_thread(work)

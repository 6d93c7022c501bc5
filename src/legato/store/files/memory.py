"""``FileStorage`` in memory, for unit tests: same URI rules as the local adapter.

Invariants: contents live in a dict keyed by storage path; ``open_local`` writes a copy into a
private temporary folder (removed by ``close``), since callers need a real path.
"""

from __future__ import annotations

import builtins
import shutil
import tempfile
from pathlib import Path

from legato.store.uris import relative_path, to_uri


class MemoryFileStorage:
    """Internal storage held in memory."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}
        self._scratch: Path | None = None

    async def put(self, uri: str, data: bytes) -> str:
        self._files[_key(uri)] = bytes(data)
        return uri

    async def put_file(self, uri: str, source_path: str) -> str:
        return await self.put(uri, Path(source_path).read_bytes())

    async def get(self, uri: str) -> bytes:
        key = _key(uri)
        if key not in self._files:
            raise FileNotFoundError(f"no file at {uri} in internal storage")
        return self._files[key]

    async def open_local(self, uri: str) -> str:
        data = await self.get(uri)
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="legato-files-"))
        path = self._scratch / _key(uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(path)

    async def exists(self, uri: str) -> bool:
        return _key(uri) in self._files

    async def size(self, uri: str) -> int:
        return len(await self.get(uri))

    async def delete(self, uri: str) -> bool:
        return self._files.pop(_key(uri), None) is not None

    async def list(self, prefix_uri: str) -> list[str]:
        return [to_uri(key) for key in self._under(prefix_uri)]

    async def delete_prefix(self, prefix_uri: str) -> int:
        found = self._under(prefix_uri)
        for key in found:
            del self._files[key]
        return len(found)

    def close(self) -> None:
        """Remove the temporary copies made by ``open_local``."""
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _under(self, prefix_uri: str) -> builtins.list[str]:
        relative = relative_path(prefix_uri)
        wanted = relative + "/" if prefix_uri.endswith("/") and relative else relative
        return sorted(key for key in self._files if key.startswith(wanted))


def _key(uri: str) -> str:
    key = relative_path(uri)
    if not key:
        raise IsADirectoryError(f"{uri} names the storage root, not a file")
    return key

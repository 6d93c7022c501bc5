"""Local internal storage: no escape through symlinks, atomic writes, default folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from legato.store.files.local import LocalFileStorage, default_storage_path
from legato.store.uris import StorageURIError

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_files_land_below_the_base_folder(tmp_path: Path) -> None:
    storage = LocalFileStorage(tmp_path / "storage")
    await storage.put("kestra:///company/team/_files/a.txt", b"x")
    assert (tmp_path / "storage/company/team/_files/a.txt").read_bytes() == b"x"
    leftovers = [p.name for p in (tmp_path / "storage/company/team/_files").iterdir()]
    assert leftovers == ["a.txt"]


async def test_a_symlink_cannot_lead_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"s")
    base = tmp_path / "storage"
    base.mkdir()
    (base / "link").symlink_to(outside)
    storage = LocalFileStorage(base)
    with pytest.raises(StorageURIError, match="outside the storage folder"):
        await storage.get("kestra:///link/secret")
    with pytest.raises(StorageURIError):
        await storage.put("kestra:///link/new", b"x")
    assert not (outside / "new").exists()


def test_default_storage_path_follows_legato_home(tmp_path: Path) -> None:
    assert default_storage_path({"LEGATO_HOME": str(tmp_path)}) == tmp_path / "storage"
    assert default_storage_path({}) == Path("~/.legato/storage").expanduser()

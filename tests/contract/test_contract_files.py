"""FileStorage contract on the local-folder and in-memory adapters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from legato.store.files.local import LocalFileStorage
from legato.store.files.memory import MemoryFileStorage
from legato.store.protocols import FileStorage
from legato.store.uris import StorageURIError

pytestmark = pytest.mark.anyio

PREFIX = "kestra:///company/team/hello/executions/e1/tasks/log/tr1"


@pytest.fixture(params=["memory", "local"])
def files(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FileStorage]:
    if request.param == "local":
        yield LocalFileStorage(tmp_path / "storage")
        return
    storage = MemoryFileStorage()
    yield storage
    storage.close()


async def test_put_get_size_exists_delete(files: FileStorage) -> None:
    uri = f"{PREFIX}/out.txt"
    assert await files.exists(uri) is False
    assert await files.put(uri, b"hello\n") == uri
    assert await files.get(uri) == b"hello\n"
    assert await files.size(uri) == 6
    assert await files.exists(uri) is True
    assert Path(await files.open_local(uri)).read_bytes() == b"hello\n"
    await files.put(uri, b"again")
    assert await files.get(uri) == b"again"
    assert await files.delete(uri) is True
    assert await files.delete(uri) is False
    with pytest.raises(FileNotFoundError, match=r"out\.txt"):
        await files.get(uri)
    with pytest.raises(FileNotFoundError):
        await files.size(uri)
    with pytest.raises(FileNotFoundError):
        await files.open_local(uri)


async def test_put_file_copies_a_local_file(files: FileStorage, tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(b"a,b\n1,2\n")
    uri = f"{PREFIX}/data.csv"
    assert await files.put_file(uri, str(source)) == uri
    source.write_bytes(b"changed")
    assert await files.get(uri) == b"a,b\n1,2\n"


async def test_list_and_delete_prefix(files: FileStorage) -> None:
    names = ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    for name in names:
        await files.put(f"{PREFIX}/{name}", name.encode())
    await files.put("kestra:///company/team/hello/executions/e1/tasks/log/tr10/x.txt", b"x")
    assert await files.list(PREFIX + "/") == [f"{PREFIX}/{name}" for name in names]
    below_sub = [f"{PREFIX}/sub/b.txt", f"{PREFIX}/sub/deeper/c.txt"]
    assert await files.list(PREFIX + "/sub/") == below_sub
    assert await files.list("kestra:///nowhere/") == []
    assert await files.delete_prefix(PREFIX + "/") == 3
    assert await files.list(PREFIX + "/") == []
    assert await files.exists("kestra:///company/team/hello/executions/e1/tasks/log/tr10/x.txt")


@pytest.mark.parametrize(
    "uri",
    [
        "kestra:///company/../../etc/passwd",
        "kestra:///a/./b.txt",
        "file:///etc/passwd",
        "/etc/passwd",
        "kestra:///a\\..\\b",
    ],
)
async def test_uris_cannot_escape_or_use_another_scheme(files: FileStorage, uri: str) -> None:
    with pytest.raises(StorageURIError):
        await files.put(uri, b"x")
    with pytest.raises(StorageURIError):
        await files.get(uri)


async def test_list_with_a_name_prefix(files: FileStorage) -> None:
    for name in ("run1/a", "run10/b", "run2/c"):
        await files.put(f"kestra:///x/{name}", b"")
    assert await files.list("kestra:///x/run1") == ["kestra:///x/run1/a", "kestra:///x/run10/b"]
    assert await files.list("kestra:///x/run1/") == ["kestra:///x/run1/a"]

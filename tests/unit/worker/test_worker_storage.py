from __future__ import annotations

from pathlib import Path

import pytest
from worker_support import EXECUTION_ID, TASK_RUN_ID, harness

from legato.sdk.run_context import TaskError
from legato.store.uris import slugify, task_run_prefix

PREFIX = f"kestra:///company/team/my-flow/executions/{EXECUTION_ID}/tasks/t/{TASK_RUN_ID}"


def test_slug_of_ids_follows_kestra() -> None:
    assert slugify("My_Flow  Name") == "my-flow-name"
    assert slugify("café-déjà") == "cafe-deja"


def test_task_run_prefix_has_namespace_path_and_slugs() -> None:
    assert task_run_prefix("company.team", "my_flow", "e", "Task_1", "r") == (
        "kestra:///company/team/my-flow/executions/e/tasks/task-1/r"
    )


def test_put_bytes_lands_under_the_task_run_prefix(tmp_path: Path) -> None:
    with harness(tmp_path, extra_variables={}) as h:
        uri = h.ctx.storage.put_bytes(b"hello", "out.txt")
        assert uri == f"{PREFIX}/out.txt"
        assert h.ctx.storage.get_bytes(uri) == b"hello"
        assert h.ctx.storage.size(uri) == 5
        assert h.ctx.storage.exists(uri)


def test_put_file_keeps_the_file_name_unless_one_is_given(tmp_path: Path) -> None:
    source = tmp_path / "data.csv"
    source.write_text("a,b\n")
    with harness(tmp_path) as h:
        assert h.ctx.storage.put_file(source) == f"{PREFIX}/data.csv"
        assert h.ctx.storage.put_file(source, "renamed.csv") == f"{PREFIX}/renamed.csv"
        assert h.files.data[f"{PREFIX}/renamed.csv"] == b"a,b\n"


def test_names_cannot_escape_the_prefix(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        assert h.ctx.storage.put_bytes(b"x", "../../etc/passwd") == f"{PREFIX}/etc/passwd"


def test_reading_a_missing_file_is_a_task_error_naming_it(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(TaskError, match=r"kestra:///nope.*not found"):
        h.ctx.storage.get_bytes("kestra:///nope")


def test_only_internal_storage_uris_are_read(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(TaskError, match="not an internal storage URI"):
        h.ctx.storage.get_bytes("/etc/passwd")


def test_open_local_gives_a_readable_copy(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        uri = h.ctx.storage.put_bytes(b"content", "f.bin")
        assert h.ctx.storage.open_local(uri).read_bytes() == b"content"


def test_delete_execution_files_removes_only_this_execution(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        mine = h.ctx.storage.put_bytes(b"1", "a")
        other = "kestra:///company/team/my-flow/executions/other/tasks/t/r/a"
        h.files.data[other] = b"2"
        assert h.ctx.storage.delete_execution_files() == [mine]
        assert list(h.files.data) == [other]


def test_namespace_files_live_under_the_files_folder(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        files = h.ctx.storage.namespace_files()
        uri = files.put("scripts/run.py", b"print(1)")
        assert uri == "kestra:///company/team/_files/scripts/run.py"
        files.put("readme.md", b"#")
        assert files.list() == ["readme.md", "scripts/run.py"]
        assert files.list("scripts") == ["scripts/run.py"]
        assert files.get("scripts/run.py") == b"print(1)"
        assert files.delete("readme.md")
        other = h.ctx.storage.namespace_files("company")
        assert other.uri("x.txt") == "kestra:///company/_files/x.txt"
        with pytest.raises(TaskError, match=r"Namespace file .x\.txt. not found"):
            other.get("x.txt")

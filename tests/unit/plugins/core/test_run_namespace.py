"""Namespace-file tasks run: UploadFiles (working-directory globs, filesMap, destination,
conflict), DownloadFiles and DeleteFiles (globs over ``/<ns path>/_files/``), as Kestra's."""

from __future__ import annotations

from typing import Any

import pytest
from core_support import task
from run_support import FakeRunContext

from legato.sdk.run_context import TaskError

N = "io.kestra.plugin.core.namespace."
FILES = "kestra:///company/team/_files/"


def run(ctx: FakeRunContext, type_name: str, **props: Any) -> dict[str, Any]:
    raw = {"id": "t", "type": N + type_name, "namespace": "{{ flow.namespace }}", **props}
    outputs: dict[str, Any] = task(raw).run(ctx)
    return outputs


def namespace_files(ctx: FakeRunContext, namespace: str = "company.team") -> dict[str, bytes]:
    prefix = "kestra:///" + namespace.replace(".", "/") + "/_files/"
    return {u[len(prefix) :]: d for u, d in ctx.storage.files.items() if u.startswith(prefix)}


def seed(ctx: FakeRunContext, files: dict[str, bytes]) -> None:
    ns = ctx.storage.namespace_files("company.team")
    for path, data in files.items():
        ns.put(path, data)


def workdir(ctx: FakeRunContext, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = ctx.working_dir() / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_upload_globs_from_working_directory(ctx: FakeRunContext) -> None:
    workdir(ctx, {"dbt/models/a.sql": "select 1", "dbt/x.yml": "y", "other.txt": "o"})
    outputs = run(ctx, "UploadFiles", files=["glob:**/dbt/**"])
    assert namespace_files(ctx) == {"dbt/models/a.sql": b"select 1", "dbt/x.yml": b"y"}
    assert outputs["files"] == {
        "/dbt/models/a.sql": FILES + "dbt/models/a.sql",
        "/dbt/x.yml": FILES + "dbt/x.yml",
    }


def test_upload_under_destination(ctx: FakeRunContext) -> None:
    workdir(ctx, {"a.txt": "a", "b.csv": "b"})
    run(ctx, "UploadFiles", files=["*.txt"], destination="scripts")
    assert namespace_files(ctx) == {"scripts/a.txt": b"a"}


def test_upload_files_map_renames_storage_files(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"licence", "LICENSE")
    ctx.variables["outputs"] = {"unzip": {"files": {"scripts-main/LICENSE": uri}}}
    run(
        ctx,
        "UploadFiles",
        filesMap={"LICENCE": "{{ outputs.unzip.files['scripts-main/LICENSE'] }}"},
    )
    assert namespace_files(ctx) == {"LICENCE": b"licence"}


def test_upload_files_map_as_json_string_skips_missing_sources(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"1", "one.txt")
    ctx.variables["outputs"] = {"unzip": {"files": {"one.txt": uri, "gone.txt": "kestra:///x"}}}
    run(ctx, "UploadFiles", filesMap="{{ outputs.unzip.files }}", destination="/in/")
    assert namespace_files(ctx) == {"in/one.txt": b"1"}


def test_upload_conflict_overwrite_by_default(ctx: FakeRunContext) -> None:
    seed(ctx, {"a.txt": b"old"})
    workdir(ctx, {"a.txt": "new"})
    run(ctx, "UploadFiles", files=["a.txt"])
    assert namespace_files(ctx) == {"a.txt": b"new"}


def test_upload_conflict_skip_keeps_existing(ctx: FakeRunContext) -> None:
    seed(ctx, {"a.txt": b"old"})
    workdir(ctx, {"a.txt": "new", "b.txt": "b"})
    outputs = run(ctx, "UploadFiles", files=["*.txt"], conflict="SKIP")
    assert namespace_files(ctx) == {"a.txt": b"old", "b.txt": b"b"}
    assert list(outputs["files"]) == ["/b.txt"]


def test_upload_conflict_error_fails(ctx: FakeRunContext) -> None:
    seed(ctx, {"a.txt": b"old"})
    workdir(ctx, {"a.txt": "new"})
    with pytest.raises(TaskError, match="already exists"):
        run(ctx, "UploadFiles", files=["a.txt"], conflict="ERROR")


def test_upload_needs_files_or_files_map(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="filesMap"):
        run(ctx, "UploadFiles")


def test_upload_to_another_namespace(ctx: FakeRunContext) -> None:
    workdir(ctx, {"a.txt": "a"})
    run(ctx, "UploadFiles", files=["a.txt"], namespace="other.ns")
    assert namespace_files(ctx, "other.ns") == {"a.txt": b"a"}


def test_download_matching_files(ctx: FakeRunContext) -> None:
    seed(ctx, {"input.txt": b"1", "dir/input.txt": b"2", "dir/other.csv": b"3"})
    outputs = run(ctx, "DownloadFiles", files=["**input.txt"])
    assert sorted(outputs["files"]) == ["/dir/input.txt", "/input.txt"]
    assert ctx.storage.get_bytes(outputs["files"]["/dir/input.txt"]) == b"2"
    assert ("downloaded", 2, "counter") in ctx.metrics


def test_download_single_pattern_string(ctx: FakeRunContext) -> None:
    seed(ctx, {"dir/a.csv": b"a", "b.csv": b"b"})
    assert list(run(ctx, "DownloadFiles", files="/dir/*")["files"]) == ["/dir/a.csv"]


def test_delete_matching_files(ctx: FakeRunContext) -> None:
    seed(ctx, {"keep.py": b"k", "tmp/a.txt": b"a", "tmp/b.txt": b"b"})
    outputs = run(ctx, "DeleteFiles", files=["tmp/**"])
    assert namespace_files(ctx) == {"keep.py": b"k"}
    assert sorted(outputs["files"]) == ["/tmp/a.txt", "/tmp/b.txt"]
    assert ("deleted", 2, "counter") in ctx.metrics


def test_delete_everything(ctx: FakeRunContext) -> None:
    seed(ctx, {"a": b"a", "b/c": b"c"})
    run(ctx, "DeleteFiles", files=["**"])
    assert namespace_files(ctx) == {}


def test_upload_storage_uri_in_files_goes_under_destination(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"report", "report.csv")
    outputs = run(ctx, "UploadFiles", files=[uri, "kestra:///missing.txt"], destination="/out")
    assert namespace_files(ctx) == {"out/report.csv": b"report"}
    assert outputs["files"] == {"/out/report.csv": FILES + "out/report.csv"}


def test_upload_legacy_files_map_property(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"x", "x.txt")
    run(ctx, "UploadFiles", files={"dir/renamed.txt": uri})
    assert namespace_files(ctx) == {"dir/renamed.txt": b"x"}


def test_upload_files_map_must_be_a_map(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="'filesMap' must be a map"):
        run(ctx, "UploadFiles", filesMap="not json")


def test_download_files_must_be_strings(ctx: FakeRunContext) -> None:
    ctx.variables["inputs"] = {"bad": [1, 2]}
    with pytest.raises(TaskError, match="list of strings"):
        run(ctx, "DownloadFiles", files="{{ inputs.bad }}")


def test_download_under_destination_prefix(ctx: FakeRunContext) -> None:
    seed(ctx, {"a.txt": b"a"})
    outputs = run(ctx, "DownloadFiles", files=["*.txt"], destination="copies/")
    assert outputs["files"]["/a.txt"].endswith("/copies/a.txt")

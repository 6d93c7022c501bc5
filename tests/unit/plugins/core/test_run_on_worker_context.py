"""Storage, namespace-file and HTTP tasks run on the real ``WorkerRunContext`` (worker's
storage facade over an in-memory ``FileStorage``, bridge loop in a thread), end to end: the
URIs they output are the worker's task-run URIs and feed the next task."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from core_support import task

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "worker"))
from worker_support import EXECUTION_ID, Harness, harness  # type: ignore[import-not-found]

PREFIX = f"kestra:///company/team/my-flow/executions/{EXECUTION_ID}/"
C = "io.kestra.plugin.core."


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        data = b"id,name\n1,Ada\n2,Grace\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    with harness(tmp_path, extra_variables={"inputs": {"name": "Ada"}}) as built:
        yield built
        built.ctx.close()


def run(h: Harness, type_name: str, **props: Any) -> dict[str, Any]:
    outputs: dict[str, Any] = task({"id": "t", "type": C + type_name, **props}).run(h.ctx)
    return outputs


def test_write_concat_split_size_delete_chain(h: Harness) -> None:
    first = run(h, "storage.Write", content="a\nb\n", extension=".txt")["uri"]
    second = run(h, "storage.Write", content="Hello {{ inputs.name }}\n")["uri"]
    assert first.startswith(PREFIX + "tasks/t/") and first.endswith(".txt")
    concat = run(h, "storage.Concat", files=[first, second], extension=".txt")["uri"]
    assert h.files.data[concat] == b"a\nb\nHello Ada\n"
    parts = run(h, "storage.Split", **{"from": concat, "rows": 2})["uris"]
    assert [h.files.data[p] for p in parts] == [b"a\nb\n", b"Hello Ada\n"]
    assert run(h, "storage.Size", uri=concat) == {"size": 14}
    assert run(h, "storage.Delete", uri=concat) == {"uri": concat, "deleted": True}
    assert concat not in h.files.data


def test_reverse_and_filter_items(h: Harness) -> None:
    uri = h.ctx.storage.put_bytes(b'{n:"1"}\n{n:"2"}\n{n:"3"}\n', "rows.ion")
    reversed_uri = run(h, "storage.Reverse", **{"from": uri})["uri"]
    assert h.files.data[reversed_uri] == b'{n:"3"}\n{n:"2"}\n{n:"1"}\n'
    outputs = run(
        h, "storage.FilterItems", **{"from": uri, "filterCondition": "{{ (n | number) > 1 }}"}
    )
    assert h.files.data[outputs["uri"]] == b'{n:"2"}\n{n:"3"}\n'


def test_download_then_upload_to_namespace_then_download_back(h: Harness, server: str) -> None:
    downloaded = run(h, "http.Download", uri=server + "/people.csv")
    assert downloaded["length"] == 22 and downloaded["uri"].endswith(".csv")
    run(
        h,
        "namespace.UploadFiles",
        namespace="company.team",
        filesMap={"data/people.csv": downloaded["uri"]},
    )
    files_uri = "kestra:///company/team/_files/data/people.csv"
    assert h.files.data[files_uri] == b"id,name\n1,Ada\n2,Grace\n"
    back = run(h, "namespace.DownloadFiles", namespace="company.team", files=["data/*.csv"])
    assert list(back["files"]) == ["/data/people.csv"]
    assert h.files.data[back["files"]["/data/people.csv"]] == b"id,name\n1,Ada\n2,Grace\n"
    deleted = run(h, "namespace.DeleteFiles", namespace="company.team", files="**")
    assert deleted["files"] == {"/data/people.csv": files_uri}
    assert files_uri not in h.files.data


def test_request_output_on_worker_context(h: Harness, server: str) -> None:
    outputs = run(h, "http.Request", uri=server + "/x?who={{ inputs.name }}")
    assert outputs["code"] == 200
    assert outputs["uri"].endswith("/x?who=Ada")
    assert outputs["body"] == "id,name\n1,Ada\n2,Grace\n"


def test_local_files_and_purge_current_execution_files(h: Harness) -> None:
    outputs = run(h, "storage.LocalFiles", inputs={"a/b.txt": "x"}, outputs=["a/**"])
    assert list(outputs["uris"]) == ["a/b.txt"]
    other = "kestra:///company/team/my-flow/executions/other/tasks/t/r/f"
    h.files.data[other] = b"keep"
    purged = run(h, "storage.PurgeCurrentExecutionFiles")["uris"]
    assert purged == [outputs["uris"]["a/b.txt"]]
    assert list(h.files.data) == [other]

"""http.Request and http.Download against a local HTTP server (127.0.0.1, ephemeral port).

Expected behaviour is Kestra's (core/http): outputs ``uri``/``code``/``headers`` (name → list of
values)/``body`` (text) for Request and ``uri``/``code``/``length``/``headers`` for Download; a
code ≥ 400 fails unless ``options.allowFailed``; ``allowedResponseCodes`` restricts the codes;
``formData`` is URL-encoded, or multipart with ``contentType: multipart/form-data``.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from core_support import task
from run_support import FakeRunContext

from legato.plugins.core import http_options
from legato.sdk.run_context import TaskError

REQUEST = "io.kestra.plugin.core.http.Request"
DOWNLOAD = "io.kestra.plugin.core.http.Download"
BIG = 3 * 1024 * 1024 + 17


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._route()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def _route(self) -> None:
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if path == "/echo" or path.startswith("http://"):
            echo = {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", errors="replace"),
            }
            self._send(200, json.dumps(echo).encode(), [("Content-Type", "application/json")])
        elif path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            self._send(code, f"status {code}".encode())
        elif path == "/redirect":
            self._send(302, b"", [("Location", "/echo")])
        elif path == "/multi":
            self._send(200, b"ok", [("X-Multi", "a"), ("X-Multi", "b")])
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late")
        elif path == "/binary":
            self._send(200, b"\xff\xfe\xfa")
        elif path == "/no-content":
            self._send(204, b"")
        elif path.startswith("/big"):
            self._big()
        elif path == "/named":
            self._send(
                200, b"a,b\n", [("Content-Disposition", 'attachment; filename="report.csv"')]
            )
        elif path == "/cut":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.close_connection = True
        else:
            self._send(404, b"not found")

    def _big(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(BIG))
        self.end_headers()
        chunk = b"x" * 65536
        left = BIG
        while left:
            piece = chunk[: min(left, len(chunk))]
            self.wfile.write(piece)
            left -= len(piece)

    def _send(self, code: int, data: bytes, headers: Sequence[tuple[str, str]] = ()) -> None:
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that gave up (timeout tests) closes the socket under the handler


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def ctx(tmp_path: Path) -> FakeRunContext:
    return FakeRunContext(tmp_path, variables={"inputs": {"name": "Ada", "n": 3}})


def run(ctx: FakeRunContext, type_name: str, **props: Any) -> dict[str, Any]:
    outputs: dict[str, Any] = task({"id": "t", "type": type_name, **props}).run(ctx)
    return outputs


def echoed(outputs: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(outputs["body"])
    return result


def test_get_outputs_code_headers_as_lists_and_text_body(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, REQUEST, uri=server + "/echo?a=1")
    assert outputs["code"] == 200
    assert outputs["uri"] == server + "/echo?a=1"
    assert outputs["headers"]["Content-Type"] == ["application/json"]
    assert isinstance(outputs["body"], str)
    assert echoed(outputs)["method"] == "GET"
    assert echoed(outputs)["headers"]["content-type"] == "application/json"


def test_repeated_response_header_gives_every_value(server: str, ctx: FakeRunContext) -> None:
    assert run(ctx, REQUEST, uri=server + "/multi")["headers"]["X-Multi"] == ["a", "b"]


def test_uri_method_headers_and_body_are_rendered(server: str, ctx: FakeRunContext) -> None:
    outputs = run(
        ctx,
        REQUEST,
        uri=server + "/echo?who={{ inputs.name }}",
        method="POST",
        body='{"name": "{{ inputs.name }}"}',
        headers={"X-Name": "{{ inputs.name }}"},
    )
    request = echoed(outputs)
    assert request["path"] == "/echo?who=Ada"
    assert json.loads(request["body"]) == {"name": "Ada"}
    assert request["headers"]["x-name"] == "Ada"
    assert request["headers"]["content-type"] == "application/json; charset=UTF-8"


def test_map_body_from_expression_is_sent_as_json(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, REQUEST, uri=server + "/echo", method="PUT", body="{{ {'n': inputs.n} }}")
    assert json.loads(echoed(outputs)["body"]) == {"n": 3}


def test_headers_and_form_data_from_expressions(server: str, ctx: FakeRunContext) -> None:
    ctx.variables["inputs"] = {"hdrs": {"X-A": "1"}, "form": {"k": "v"}}
    outputs = run(
        ctx,
        REQUEST,
        uri=server + "/echo",
        method="POST",
        headers="{{ inputs.hdrs }}",
        formData="{{ inputs.form }}",
    )
    request = echoed(outputs)
    assert (request["headers"]["x-a"], request["body"]) == ("1", "k=v")


def test_user_content_type_header_wins(server: str, ctx: FakeRunContext) -> None:
    outputs = run(
        ctx,
        REQUEST,
        uri=server + "/echo",
        method="POST",
        body="a=b",
        headers={"Content-Type": "text/plain"},
    )
    assert echoed(outputs)["headers"]["content-type"] == "text/plain"


def test_form_data_is_url_encoded(server: str, ctx: FakeRunContext) -> None:
    outputs = run(
        ctx,
        REQUEST,
        uri=server + "/echo",
        method="POST",
        formData={"user": "{{ inputs.name }}", "note": "a b&c"},
    )
    request = echoed(outputs)
    assert request["body"] == "user=Ada&note=a+b%26c"
    assert request["headers"]["content-type"] == "application/x-www-form-urlencoded"


def test_multipart_sends_storage_files_and_named_files(server: str, ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"col\n1\n", "data.csv")
    outputs = run(
        ctx,
        REQUEST,
        uri=server + "/echo",
        method="POST",
        contentType="multipart/form-data",
        formData={
            "user": "Ada",
            "file": uri,
            "named": {"name": "my-file.txt", "content": uri},
            "meta": {"a": 1},
        },
    )
    request = echoed(outputs)
    assert request["headers"]["content-type"].startswith("multipart/form-data; boundary=")
    body = request["body"]
    assert 'name="user"\r\n\r\nAda' in body
    assert 'name="file"; filename="data.csv"' in body
    assert 'name="named"; filename="my-file.txt"' in body
    assert body.count("col\n1\n") == 2
    assert 'name="meta"\r\n\r\n{"a":1}' in body


def test_basic_auth_sends_credentials(server: str, ctx: FakeRunContext) -> None:
    outputs = run(
        ctx,
        REQUEST,
        uri=server + "/echo",
        options={"auth": {"type": "BASIC", "username": "u", "password": "{{ inputs.name }}"}},
    )
    expected = "Basic " + base64.b64encode(b"u:Ada").decode()
    assert echoed(outputs)["headers"]["authorization"] == expected


def test_bearer_auth_sends_token(server: str, ctx: FakeRunContext) -> None:
    outputs = run(
        ctx, REQUEST, uri=server + "/echo", options={"auth": {"type": "BEARER", "token": "t0k"}}
    )
    assert echoed(outputs)["headers"]["authorization"] == "Bearer t0k"


def test_redirects_are_followed_by_default(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, REQUEST, uri=server + "/redirect")
    assert outputs["code"] == 200
    assert echoed(outputs)["path"] == "/echo"


def test_follow_redirects_false_returns_the_redirect(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, REQUEST, uri=server + "/redirect", options={"followRedirects": False})
    assert outputs["code"] == 302
    assert outputs["headers"]["Location"] == ["/echo"]


def test_http_proxy_receives_the_absolute_uri_and_credentials(
    server: str, ctx: FakeRunContext
) -> None:
    port = int(server.rsplit(":", 1)[1])
    proxy = {"address": "127.0.0.1", "port": port, "username": "u", "password": "p w"}
    outputs = run(ctx, REQUEST, uri="http://example.invalid/data", options={"proxy": proxy})
    request = echoed(outputs)
    assert request["path"] == "http://example.invalid/data"
    expected = "Basic " + base64.b64encode(b"u:p w").decode()
    assert request["headers"]["proxy-authorization"] == expected


def test_direct_proxy_type_means_no_proxy(server: str, ctx: FakeRunContext) -> None:
    proxy = {"type": "DIRECT", "address": "127.0.0.1", "port": 9}
    outputs = run(ctx, REQUEST, uri=server + "/echo", options={"proxy": proxy})
    assert echoed(outputs)["path"] == "/echo"


def test_logs_option_writes_headers_at_debug_and_bodies_at_trace(
    server: str, ctx: FakeRunContext
) -> None:
    options = {
        "logs": ["REQUEST_HEADERS", "REQUEST_BODY", "RESPONSE_HEADERS", "RESPONSE_BODY"],
        "auth": {"type": "BEARER", "token": "s3cret"},
    }
    run(ctx, REQUEST, uri=server + "/status/200", method="POST", body="ping", options=options)
    lines = ctx.logger.lines
    assert ("DEBUG", f"request:\n    method: POST\n    uri: {server}/status/200") in lines
    assert ("TRACE", "request body:\nping") in lines
    assert ("DEBUG", "response:\n    status: 200") in lines
    assert ("TRACE", "response body:\nstatus 200") in lines
    request_headers = next(m for level, m in lines if m.startswith("request headers:"))
    assert "Authorization: ******" in request_headers
    assert "s3cret" not in request_headers


def test_legacy_log_level_info_logs_response_headers_only(server: str, ctx: FakeRunContext) -> None:
    run(ctx, REQUEST, uri=server + "/status/200", options={"logLevel": "INFO"})
    messages = [m.split("\n")[0] for _, m in ctx.logger.lines]
    assert messages == ["response:", "response headers:"]


def test_socks_proxy_without_socks_support_fails_clearly(server: str, ctx: FakeRunContext) -> None:
    if importlib.util.find_spec("socksio") is not None:
        pytest.skip("socksio is installed: SOCKS proxies are supported")
    proxy = {"type": "SOCKS", "address": "127.0.0.1", "port": 1080}
    with pytest.raises(TaskError, match=r"httpx\[socks\]"):
        run(ctx, REQUEST, uri=server + "/echo", options={"proxy": proxy})


def test_code_400_or_more_fails_with_code_and_body(server: str, ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match=r"'404'.*not found"):
        run(ctx, REQUEST, uri=server + "/nowhere")


def test_allow_failed_returns_the_failed_response(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, REQUEST, uri=server + "/status/500", options={"allowFailed": True})
    assert (outputs["code"], outputs["body"]) == (500, "status 500")


def test_deprecated_top_level_allow_failed(server: str, ctx: FakeRunContext) -> None:
    assert run(ctx, REQUEST, uri=server + "/status/503", allowFailed=True)["code"] == 503


def test_allowed_response_codes_accept_listed_and_refuse_others(
    server: str, ctx: FakeRunContext
) -> None:
    options = {"allowedResponseCodes": [404, 201]}
    assert run(ctx, REQUEST, uri=server + "/status/404", options=options)["code"] == 404
    with pytest.raises(TaskError, match="'200'"):
        run(ctx, REQUEST, uri=server + "/status/200", options=options)


def test_read_timeout_fails(server: str, ctx: FakeRunContext) -> None:
    options = {"timeout": {"readIdleTimeout": "PT0.2S"}}
    with pytest.raises(TaskError, match="timed out"):
        run(ctx, REQUEST, uri=server + "/slow", options=options)


def test_connection_refused_fails_naming_the_uri(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match=r"127\.0\.0\.1:9/x"):
        run(
            ctx,
            REQUEST,
            uri="http://127.0.0.1:9/x",
            options={"timeout": {"connectTimeout": "PT2S"}},
        )


def test_binary_body_fails_pointing_to_download(server: str, ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="Download"):
        run(ctx, REQUEST, uri=server + "/binary")


def test_no_content_response_has_no_body_output(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, REQUEST, uri=server + "/no-content")
    assert outputs["code"] == 204
    assert "body" not in outputs


def test_encrypt_body_without_encryption_warns(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, REQUEST, uri=server + "/status/200", encryptBody=True)
    assert outputs["encryptedBody"] == "status 200"
    assert "body" not in outputs
    assert any(level == "WARN" for level, _ in ctx.logger.lines)


def test_invalid_options_fail_without_retry(server: str, ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match=r"auth\.type") as caught:
        run(ctx, REQUEST, uri=server + "/echo", options={"auth": {"type": "KERBEROS"}})
    assert caught.value.retryable is False


def test_download_streams_large_file_to_storage(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, DOWNLOAD, uri=server + "/big.bin")
    assert (outputs["code"], outputs["length"]) == (200, BIG)
    assert outputs["uri"].endswith(".bin")
    assert ctx.storage.get_bytes(outputs["uri"]) == b"x" * BIG
    assert outputs["headers"]["Content-Length"] == [str(BIG)]
    assert ("response.length", BIG, "counter") in ctx.metrics


def test_download_uses_content_disposition_file_name(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, DOWNLOAD, uri=server + "/named")
    assert outputs["uri"].endswith("/report.csv")
    assert ctx.storage.get_bytes(outputs["uri"]) == b"a,b\n"


def test_download_of_empty_body_fails_by_default(server: str, ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="No response from server"):
        run(ctx, DOWNLOAD, uri=server + "/no-content")


def test_download_of_empty_body_allowed_warns(server: str, ctx: FakeRunContext) -> None:
    outputs = run(ctx, DOWNLOAD, uri=server + "/no-content", failOnEmptyResponse=False)
    assert outputs["length"] == 0
    assert ctx.storage.get_bytes(outputs["uri"]) == b""
    assert ("WARN", f"File '{server}/no-content' is empty") in ctx.logger.lines


def test_download_cut_short_fails(server: str, ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError):
        run(ctx, DOWNLOAD, uri=server + "/cut")


def test_killed_download_stops(server: str, ctx: FakeRunContext) -> None:
    ctx.killed = True
    with pytest.raises(TaskError, match="killed"):
        run(ctx, DOWNLOAD, uri=server + "/big.bin")


def test_download_failure_code_fails(server: str, ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="'404'"):
        run(ctx, DOWNLOAD, uri=server + "/missing")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"timeout": {"connectTimeout": "PT1M", "readIdleTimeout": "PT30S"}}, (60.0, 30.0)),
        ({"connectTimeout": "PT5S", "readTimeout": "PT10S"}, (5.0, 10.0)),
        ({"timeout": "PT2S"}, (2.0, 2.0)),
        ({}, (None, None)),
    ],
)
def test_timeouts_from_options(
    options: dict[str, Any], expected: tuple[float | None, float | None]
) -> None:
    read = http_options.read_options(options)
    assert (read.connect_timeout, read.read_timeout) == expected


def test_legacy_option_names() -> None:
    read = http_options.read_options(
        {
            "basicAuthUser": "u",
            "basicAuthPassword": "p",
            "proxyType": "SOCKS",
            "proxyAddress": "proxy.local",
            "proxyPort": 1080,
        },
        allow_failed="true",
        ssl_options={"insecureTrustAllCertificates": True},
    )
    assert read.basic_auth == ("u", "p")
    assert read.proxy == "socks5://proxy.local:1080"
    assert read.allow_failed is True
    assert read.verify is False


def test_allow_failed_and_allowed_codes_decide_failures() -> None:
    assert http_options.read_options({}).failed(404)
    assert not http_options.read_options({}).failed(302)
    assert not http_options.read_options({"allowFailed": True}).failed(500)
    allowed = http_options.read_options({"allowedResponseCodes": [200, 404]})
    assert (allowed.failed(404), allowed.failed(201)) == (False, True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": {"connectTimeout": "soon"}}, "ISO-8601 duration"),
        ({"followRedirects": "maybe"}, "true or false"),
        ({"allowedResponseCodes": ["ok"]}, "list of status codes"),
        ({"proxy": {"address": "p"}}, "port"),
        ({"auth": {"type": "BEARER"}}, "token"),
        ({"logs": ["EVERYTHING"]}, "REQUEST_HEADERS"),
    ],
)
def test_bad_options_are_named(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        http_options.read_options(options)

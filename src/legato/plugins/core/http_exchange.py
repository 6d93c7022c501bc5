"""One HTTP exchange for the ``http.Request`` and ``http.Download`` tasks, over httpx.

Builds the request as Kestra's ``AbstractHttp`` does, from already-rendered properties:

* non-empty ``formData`` wins over ``body``: with ``contentType: multipart/form-data`` it is sent
  as multipart (a ``kestra://`` string becomes a file part, a ``{name, content}`` map a file part
  named ``name`` holding the file ``content`` points to, any other non-text value its JSON),
  otherwise URL-encoded;
* else a ``body`` is sent as text (a non-text body as JSON) with ``Content-Type:
  <contentType>; charset=UTF-8``;
* else the ``Content-Type`` header is still set to ``contentType``;
* ``headers`` are added last and win over the defaults; a list value sends the header
  several times.

Invariants: the response is checked against ``HttpOptions.failed`` before the handler sees it,
and a failure raises ``HttpFailure`` carrying the code and the start of the body; transport
errors (refused connection, timeout, TLS) raise ``HttpFailure`` too, naming the URI.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, TypeVar

import httpx

from legato.plugins.core.http_options import HttpOptions
from legato.sdk.run_context import TaskError

T = TypeVar("T")

MULTIPART = "multipart/form-data"
_ERROR_BODY_CHARS = 2000


class HttpFailure(TaskError):
    """An HTTP request failed (transport error or a response code not allowed)."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class RequestSpec:
    """The rendered request properties of an HTTP task."""

    uri: str
    method: str = "GET"
    body: Any = None
    form_data: Mapping[str, Any] | None = None
    content_type: str | None = "application/json"
    headers: Mapping[str, Any] | None = None


def exchange(
    spec: RequestSpec,
    options: HttpOptions,
    open_file: Callable[[str], str],
    handle: Callable[[httpx.Response], T],
    log: Callable[[str, str], None] | None = None,
) -> T:
    """Send ``spec`` and give the (streamed, accepted) response to ``handle``.

    ``open_file`` maps a ``kestra://`` URI to a local path, for multipart file parts; ``log``
    (level, message) receives what ``options.logs`` asks to log (response bodies excepted: the
    handler reads them).
    """
    uri = spec.uri.replace(" ", "%20")
    try:
        with _client(options) as client, contextlib.ExitStack() as files:
            request = build_request(client, spec, options, _opener(files, open_file))
            if log is not None:
                _log_request(request, options.logs, log)
            response = client.send(request, stream=True)
            if log is not None and "RESPONSE_HEADERS" in options.logs:
                log("DEBUG", f"response:\n    status: {response.status_code}")
                log("DEBUG", headers_entry("response", response.headers.raw))
            try:
                _check(response, options, spec.method, uri)
                return handle(response)
            finally:
                response.close()
    except httpx.TimeoutException as error:
        raise HttpFailure(
            f"HTTP {spec.method} {uri} timed out ({type(error).__name__}); raise "
            "options.timeout.readIdleTimeout or options.timeout.connectTimeout"
        ) from error
    except httpx.HTTPError as error:
        raise HttpFailure(f"HTTP {spec.method} {uri} failed: {error}") from error


def build_request(
    client: httpx.Client,
    spec: RequestSpec,
    options: HttpOptions,
    open_file: Callable[[str], tuple[str, IO[bytes]]],
) -> httpx.Request:
    """The httpx request for ``spec`` (see the module docstring for the body rules)."""
    headers: list[tuple[str, str]] = []
    kwargs: dict[str, Any] = {}
    form = dict(spec.form_data or {})
    if form and (spec.content_type or "").strip().lower() == MULTIPART:
        kwargs["data"], kwargs["files"] = _multipart(form, open_file)
    elif form:
        kwargs["data"] = {key: _text(value) for key, value in form.items()}
    elif spec.body is not None:
        kwargs["content"] = _text(spec.body).encode(options.charset)
        headers.append(("Content-Type", _with_charset(spec.content_type, options.charset)))
    elif spec.content_type:
        headers.append(("Content-Type", spec.content_type))
    headers.extend(options.extra_headers.items())
    user = list(_user_headers(spec.headers))
    overridden = {name.lower() for name, _ in user}
    headers = [(k, v) for k, v in headers if k.lower() not in overridden] + user
    return client.build_request(
        spec.method, spec.uri.replace(" ", "%20"), headers=headers, **kwargs
    )


_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def headers_entry(kind: str, raw: list[tuple[bytes, bytes]]) -> str:
    """A log line listing headers (credentials and cookies masked)."""
    lines = [f"{kind} headers:"]
    for name, value in raw:
        text = name.decode("latin-1")
        shown = "******" if text.lower() in _SECRET_HEADERS else value.decode("latin-1")
        lines.append(f"    {text}: {shown}")
    return "\n".join(lines)


def _log_request(
    request: httpx.Request, logs: frozenset[str], log: Callable[[str, str], None]
) -> None:
    if "REQUEST_HEADERS" in logs:
        log("DEBUG", f"request:\n    method: {request.method}\n    uri: {request.url}")
        log("DEBUG", headers_entry("request", request.headers.raw))
    if "REQUEST_BODY" in logs and isinstance(request.stream, httpx.ByteStream):
        body = request.read().decode("utf-8", errors="replace")
        log("TRACE", f"request body:\n{body}")


def response_headers(response: httpx.Response) -> dict[str, list[str]]:
    """The response headers as Kestra outputs them: each name with the list of its values.

    Names keep the case the server sent (the first spelling when it varies).
    """
    grouped: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for raw_name, raw_value in response.headers.raw:
        name = raw_name.decode("latin-1")
        key = names.setdefault(name.lower(), name)
        grouped.setdefault(key, []).append(raw_value.decode("latin-1"))
    return grouped


def _client(options: HttpOptions) -> httpx.Client:
    try:
        return _new_client(options)
    except ImportError as error:  # httpx needs the optional socksio package for SOCKS
        raise TaskError(
            f"Cannot use the proxy {options.proxy}: {error}; install httpx[socks] on the worker",
            retryable=False,
        ) from None


def _new_client(options: HttpOptions) -> httpx.Client:
    return httpx.Client(
        timeout=options.timeout(),
        follow_redirects=options.follow_redirects,
        auth=options.auth(),
        proxy=options.proxy,
        verify=options.verify,
        trust_env=False,
        headers={"User-Agent": "Legato"},
    )


def _check(response: httpx.Response, options: HttpOptions, method: str, uri: str) -> None:
    if not options.failed(response.status_code):
        return
    body = response.read()[:_ERROR_BODY_CHARS].decode("utf-8", errors="replace")
    allowed = (
        f"allowed codes are {list(options.allowed_codes)}"
        if options.allowed_codes
        else "set options.allowFailed or options.allowedResponseCodes to accept it"
    )
    raise HttpFailure(
        f"HTTP {method} {uri} failed with response code '{response.status_code}' "
        f"({allowed}); response body: {body}",
        code=response.status_code,
    )


def _opener(
    files: contextlib.ExitStack, open_file: Callable[[str], str]
) -> Callable[[str], tuple[str, IO[bytes]]]:
    def open_part(uri: str) -> tuple[str, IO[bytes]]:
        path = open_file(uri)
        return os.path.basename(uri.rstrip("/")) or "file", files.enter_context(open(path, "rb"))

    return open_part


def _multipart(
    form: Mapping[str, Any], open_file: Callable[[str], tuple[str, IO[bytes]]]
) -> tuple[dict[str, str], list[tuple[str, tuple[str, IO[bytes]]]]]:
    data: dict[str, str] = {}
    files: list[tuple[str, tuple[str, IO[bytes]]]] = []
    for key, value in form.items():
        if isinstance(value, str) and value.startswith("kestra://"):
            files.append((key, open_file(value)))
        elif isinstance(value, Mapping) and "name" in value and "content" in value:
            _, handle = open_file(str(value["content"]))
            files.append((key, (str(value["name"]), handle)))
        else:
            data[key] = _text(value)
    return data, files


def _user_headers(headers: Mapping[str, Any] | None) -> Iterator[tuple[str, str]]:
    for name, value in (headers or {}).items():
        for one in value if isinstance(value, list) else [value]:
            yield str(name), _text(one)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _with_charset(content_type: str | None, charset: str) -> str:
    base = content_type or "text/plain"
    if "charset=" in base.lower():
        return base
    return f"{base}; charset={charset.upper()}"

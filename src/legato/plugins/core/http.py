"""Core HTTP plugins: the ``http.Request`` and ``http.Download`` tasks and the polling
``http.Trigger``.

Invariants: ``uri`` is required; ``method`` is one of the HTTP verbs (default GET; Kestra types
it as a free string, we refuse anything but a verb to catch typos early); ``contentType``
defaults to ``application/json``; ``options``
(timeouts, auth, proxy, redirects, allowed codes…) is kept as a free map because its keys grew
across Kestra releases; the deprecated top-level ``sslOptions`` and ``allowFailed`` are
accepted. Legacy types are ``io.kestra.plugin.fs.http.*``. httpx (``http_exchange``) is imported
when a task runs, never with this declaration module.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote_plus, unquote, urlsplit

from pydantic import ValidationInfo, model_validator

from legato.model.property import Duration, Dyn
from legato.plugins.core import http_options
from legato.plugins.core.values import note_deprecated_properties
from legato.sdk import PollingTrigger, RunnableTask, plugin
from legato.sdk.run_context import RunContext, TaskError

if TYPE_CHECKING:  # httpx (http_exchange) loads when a request is sent, not with the registry
    import httpx

    from legato.plugins.core.http_exchange import RequestSpec

HttpMethod = Literal["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT"]


class _Request(RunnableTask):
    """Properties shared by ``Request`` and ``Download``."""

    uri: str
    method: Dyn[HttpMethod] = "GET"
    body: Any = None
    formData: Dyn[dict[str, Any]] | None = None
    contentType: str = "application/json"
    headers: Dyn[dict[str, Any]] | None = None
    options: dict[str, Any] | None = None
    sslOptions: dict[str, Any] | None = None
    allowFailed: Dyn[bool] | None = None

    @model_validator(mode="before")
    @classmethod
    def _deprecated_properties(cls, data: Any, info: ValidationInfo) -> Any:
        return note_deprecated_properties(
            data,
            info,
            {"allowFailed": "use 'options.allowFailed'", "sslOptions": "use 'options.ssl'"},
        )

    def _spec(self, ctx: RunContext) -> RequestSpec:
        from legato.plugins.core.http_exchange import RequestSpec  # httpx: at run

        return RequestSpec(
            uri=ctx.render_string(self.uri),
            method=ctx.render_string(self.method).upper(),
            body=ctx.render(self.body),
            form_data=_as_map(ctx.render(self.formData), "formData"),
            content_type=ctx.render_string(self.contentType) or None,
            headers=_as_map(ctx.render(self.headers), "headers"),
        )

    def _options(self, ctx: RunContext) -> http_options.HttpOptions:
        allow_failed = None if self.allowFailed is None else ctx.render(self.allowFailed)
        try:
            return http_options.read_options(
                ctx.render(self.options),
                allow_failed=allow_failed,
                ssl_options=ctx.render(self.sslOptions),
            )
        except ValueError as error:
            raise TaskError(f"Invalid HTTP options: {error}", retryable=False) from None

    def _exchange(self, ctx: RunContext, handle: Any) -> Any:
        from legato.plugins.core.http_exchange import exchange  # httpx: at run

        def open_file(uri: str) -> str:
            return str(ctx.storage.open_local(uri))

        return exchange(self._spec(ctx), self._options(ctx), open_file, handle, ctx.logger.log)


@plugin(
    "io.kestra.plugin.core.http.Request",
    aliases=("io.kestra.plugin.fs.http.Request",),
    title="Send an HTTP request and capture the response.",
)
class Request(_Request):
    """Send an HTTP request and output its code, headers and body."""

    encryptBody: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Send the request; output ``uri``, ``code``, ``headers`` and ``body`` (text)."""
        from legato.plugins.core.http_exchange import response_headers  # httpx: at run

        spec = self._spec(ctx)
        log_body = "RESPONSE_BODY" in self._options(ctx).logs

        def handle(response: httpx.Response) -> dict[str, Any]:
            body = _text_body(response, spec.method)
            if log_body:
                ctx.logger.trace(f"response body:\n{body or ''}")
            return {
                "uri": spec.uri.replace(" ", "%20"),
                "code": response.status_code,
                "headers": response_headers(response),
                "body": body,
            }

        outputs: dict[str, Any] = self._exchange(ctx, handle)
        if ctx.render_as(self.encryptBody, bool):
            ctx.logger.warn("Unable to encrypt the output as encryption is not configured")
            outputs["encryptedBody"] = outputs.pop("body")
        return {key: value for key, value in outputs.items() if value is not None}


def _text_body(response: httpx.Response, method: str) -> str | None:
    data = response.read()
    if not data and (method == "HEAD" or response.status_code in (204, 304)):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise TaskError(
            "The response body is not valid UTF-8 text: the Request task only supports text "
            "bodies; use the io.kestra.plugin.core.http.Download task instead",
            retryable=False,
        ) from None


@plugin(
    "io.kestra.plugin.core.http.Download",
    aliases=("io.kestra.plugin.fs.http.Download",),
    title="Download a file over HTTP into internal storage.",
)
class Download(_Request):
    """Download the response body of ``uri`` into an internal-storage file."""

    failOnEmptyResponse: Dyn[bool] = True

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Stream the response body to a file; output ``uri``, ``code``, ``length``,
        ``headers``."""
        from legato.plugins.core.http_exchange import response_headers  # httpx: at run

        source = ctx.render_string(self.uri)
        handle, path = tempfile.mkstemp(suffix=_extension(source), dir=ctx.working_dir())
        os.close(handle)

        def save(response: httpx.Response) -> tuple[int, dict[str, list[str]], int, str | None]:
            length = _stream_to(response, path, ctx)
            disposition = response.headers.get("Content-Disposition")
            name = _disposition_filename(disposition) if disposition else None
            return response.status_code, response_headers(response), length, name

        code, headers, length, name = self._exchange(ctx, save)
        if length == 0:
            self._empty(ctx, source)
        ctx.logger.debug(f"File '{source}' downloaded with size '{length}'")
        ctx.metric("response.length", length)
        uri = ctx.storage.put_file(path, quote_plus(name, safe="*") if name else None)
        return {"uri": uri, "code": code, "length": length, "headers": headers}

    def _empty(self, ctx: RunContext, source: str) -> None:
        if not ctx.render_as(self.failOnEmptyResponse, bool):
            ctx.logger.warn(f"File '{source}' is empty")
            return
        if self._options(ctx).allow_failed:
            return
        raise TaskError(
            f"No response from server: '{source}' returned an empty body; set "
            "failOnEmptyResponse to false to accept an empty file"
        )


def _stream_to(response: httpx.Response, path: str, ctx: RunContext) -> int:
    """Write the (decoded) body to ``path``; check it against ``Content-Length``. Stops when
    the task run is killed."""
    length = 0
    with open(path, "wb") as out:
        for chunk in response.iter_bytes(1 << 16):
            if ctx.is_killed():
                raise TaskError(f"Download of '{response.url}' stopped: the task run was killed")
            out.write(chunk)
            length += len(chunk)
    expected = response.headers.get("Content-Length")
    raw = response.num_bytes_downloaded
    if expected is not None and expected.strip().isdigit() and int(expected) != raw:
        raise TaskError(f"Invalid size, got {raw}, expected {expected}: the download was cut")
    return length


def _as_map(value: Any, name: str) -> dict[str, Any] | None:
    """A rendered map property; an expression may also render to a JSON object's text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        with contextlib.suppress(json.JSONDecodeError):
            value = json.loads(value)
    if not isinstance(value, dict):
        raise TaskError(f"'{name}' must be a map, got {value!r}", retryable=False)
    return value


def _extension(uri: str) -> str:
    """The extension of the URI path's last segment (``.csv``), empty when it has none."""
    segment = urlsplit(uri).path.rsplit("/", 1)[-1]
    return segment[segment.rfind(".") :] if "." in segment else ""


def _disposition_filename(header: str) -> str | None:
    """The file name of a ``Content-Disposition`` header (``filename*`` wins), no directory."""
    name: str | None = None
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        key = key.strip().lower()
        if key == "filename" and name is None:
            name = value.strip().strip('"')
        elif key == "filename*":
            encoded = value.strip().strip('"')
            name = unquote(encoded.split("'", 2)[-1])
    if not name:
        return None
    return name.replace("\\", "/").rsplit("/", 1)[-1] or None


@plugin(
    "io.kestra.plugin.core.http.Trigger",
    aliases=("io.kestra.plugin.fs.http.Trigger",),
    title="Start an execution when an HTTP response matches a condition.",
)
class Trigger(PollingTrigger):
    """Poll ``uri`` every ``interval``; start an execution when ``responseCondition`` is true."""

    uri: str
    method: Dyn[HttpMethod] = "GET"
    body: Any = None
    params: Dyn[dict[str, Any]] | None = None
    formData: Dyn[dict[str, Any]] | None = None
    contentType: str = "application/json"
    headers: Dyn[dict[str, Any]] | None = None
    options: dict[str, Any] | None = None
    sslOptions: dict[str, Any] | None = None
    encryptBody: Dyn[bool] = False
    interval: Duration = timedelta(seconds=60)
    responseCondition: str = "{{ response.statusCode < 400 }}"

    @model_validator(mode="before")
    @classmethod
    def _deprecated_properties(cls, data: Any, info: ValidationInfo) -> Any:
        return note_deprecated_properties(data, info, {"sslOptions": "use 'options.ssl'"})

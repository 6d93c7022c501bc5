"""Core HTTP plugins: the ``http.Request`` and ``http.Download`` tasks and the polling
``http.Trigger``.

Invariants: ``uri`` is required; ``method`` is one of the HTTP verbs (default GET; Kestra types
it as a free string, we refuse anything but a verb to catch typos early); ``contentType``
defaults to ``application/json``; ``options``
(timeouts, auth, proxy, redirects, allowed codes…) is kept as a free map because its keys grew
across Kestra releases; the deprecated top-level ``sslOptions`` and ``allowFailed`` are
accepted. Legacy types are ``io.kestra.plugin.fs.http.*``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import ValidationInfo, model_validator

from legato.model.property import Duration, Dyn
from legato.plugins.core.values import note_deprecated_properties
from legato.sdk import PollingTrigger, RunnableTask, plugin

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


@plugin(
    "io.kestra.plugin.core.http.Request",
    aliases=("io.kestra.plugin.fs.http.Request",),
    title="Send an HTTP request and capture the response.",
)
class Request(_Request):
    """Send an HTTP request and output its code, headers and body."""

    encryptBody: Dyn[bool] = False


@plugin(
    "io.kestra.plugin.core.http.Download",
    aliases=("io.kestra.plugin.fs.http.Download",),
    title="Download a file over HTTP into internal storage.",
)
class Download(_Request):
    """Download the response body of ``uri`` into an internal-storage file."""

    failOnEmptyResponse: Dyn[bool] = True


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

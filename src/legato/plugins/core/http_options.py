"""Read the ``options`` of the HTTP tasks (Kestra's ``HttpConfiguration``) into httpx settings.

The input is the *rendered* ``options`` map (plus the deprecated top-level ``allowFailed`` and
``sslOptions``). Recognised keys, with Kestra's defaults:

* ``timeout{connectTimeout, readIdleTimeout}`` (ISO-8601 durations; ``readTimeout`` is accepted
  as the read timeout too) and the deprecated ``connectTimeout`` / ``readTimeout``; none by
  default, so a request may wait forever unless the task's own ``timeout`` stops it.
* ``followRedirects`` = true, ``allowFailed`` = false, ``allowedResponseCodes`` (when given, any
  other code fails, even below 400), ``defaultCharset`` = UTF-8.
* ``auth{type: BASIC, username, password}``, ``auth{type: BEARER, token}``,
  ``auth{type: DIGEST, username, password}`` and the deprecated ``basicAuthUser`` /
  ``basicAuthPassword``.
* ``proxy{type: HTTP|SOCKS|DIRECT, address, port, username, password}`` and the deprecated
  ``proxyType`` / ``proxyAddress`` / ``proxyPort`` / ``proxyUsername`` / ``proxyPassword``.
* ``ssl{insecureTrustAllCertificates}`` (or the deprecated top-level ``sslOptions``).
* ``logs`` (REQUEST_HEADERS, REQUEST_BODY, RESPONSE_HEADERS, RESPONSE_BODY: headers are logged at
  DEBUG, bodies at TRACE) and the deprecated ``logLevel`` (TRACE: all, DEBUG: headers, INFO:
  response headers).

Keys Kestra accepts but that have no effect here (``readIdleTimeout`` at top level,
``connectionPoolIdleTimeout``, ``maxContentLength``, ``logLevel``) are ignored, as Kestra ignores
the deprecated ones. Invariants: a wrong value raises ``ValueError`` naming the option; httpx
is imported only by the methods that build its objects (when a request is sent), never with the
plugin registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from legato.model.property import parse_duration

if TYPE_CHECKING:  # httpx loads when a request is sent, not with the plugin registry
    import httpx


@dataclass(frozen=True)
class HttpOptions:
    """The client settings of one HTTP task run."""

    connect_timeout: float | None = None
    read_timeout: float | None = None
    follow_redirects: bool = True
    allow_failed: bool = False
    allowed_codes: tuple[int, ...] = ()
    basic_auth: tuple[str, str] | None = None
    digest_auth: tuple[str, str] | None = None
    bearer_token: str | None = None
    proxy: str | None = None
    verify: bool = True
    charset: str = "utf-8"
    extra_headers: dict[str, str] = field(default_factory=dict)
    logs: frozenset[str] = frozenset()

    def timeout(self) -> httpx.Timeout:
        """The httpx timeout: connect and read bounds, no pool or write bound."""
        import httpx

        return httpx.Timeout(
            None, connect=self.connect_timeout, read=self.read_timeout, write=self.read_timeout
        )

    def auth(self) -> httpx.Auth | None:
        import httpx

        if self.basic_auth is not None:
            return httpx.BasicAuth(*self.basic_auth)
        if self.digest_auth is not None:
            return httpx.DigestAuth(*self.digest_auth)
        return None

    def failed(self, code: int) -> bool:
        """True when a response ``code`` must fail the task."""
        if self.allowed_codes:
            return code not in self.allowed_codes
        return code >= 400 and not self.allow_failed


def read_options(
    options: Mapping[str, Any] | None,
    *,
    allow_failed: Any = None,
    ssl_options: Mapping[str, Any] | None = None,
) -> HttpOptions:
    """Build ``HttpOptions`` from the rendered ``options`` map and the deprecated properties."""
    raw = dict(options or {})
    connect, read = _timeouts(raw)
    ssl = _mapping(raw.get("ssl") or ssl_options or {}, "ssl")
    failed_allowed = raw.get("allowFailed") if allow_failed is None else allow_failed
    basic, digest, bearer = _auth(raw)
    return HttpOptions(
        connect_timeout=connect,
        read_timeout=read,
        follow_redirects=_bool(raw.get("followRedirects", True), "followRedirects"),
        allow_failed=_bool(failed_allowed or False, "allowFailed"),
        allowed_codes=_codes(raw.get("allowedResponseCodes")),
        basic_auth=basic,
        digest_auth=digest,
        bearer_token=bearer,
        proxy=_proxy(raw),
        verify=not _bool(ssl.get("insecureTrustAllCertificates") or False, "ssl"),
        charset=str(raw.get("defaultCharset") or "utf-8"),
        extra_headers={"Authorization": f"Bearer {bearer}"} if bearer else {},
        logs=_logs(raw),
    )


def seconds(value: Any, name: str) -> float | None:
    """A duration option (ISO-8601 text, a number of seconds or a timedelta) in seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bool):
        raise ValueError(f"option '{name}' must be an ISO-8601 duration such as PT30S")
    if isinstance(value, int | float):
        return float(value)
    try:
        return parse_duration(str(value)).total_seconds()
    except ValueError:
        raise ValueError(
            f"option '{name}' must be an ISO-8601 duration such as PT30S, got '{value}'"
        ) from None


def _timeouts(raw: Mapping[str, Any]) -> tuple[float | None, float | None]:
    connect = seconds(raw.get("connectTimeout"), "connectTimeout")
    read = seconds(raw.get("readTimeout"), "readTimeout")
    timeout = raw.get("timeout")
    if isinstance(timeout, Mapping):
        connect = seconds(timeout.get("connectTimeout"), "timeout.connectTimeout") or connect
        read_value = timeout.get("readIdleTimeout", timeout.get("readTimeout"))
        read = seconds(read_value, "timeout.readIdleTimeout") or read
    elif timeout is not None:
        both = seconds(timeout, "timeout")
        connect, read = connect or both, read or both
    return connect, read


def _auth(
    raw: Mapping[str, Any],
) -> tuple[tuple[str, str] | None, tuple[str, str] | None, str | None]:
    auth = _mapping(raw.get("auth") or {}, "auth")
    kind = str(auth.get("type", "")).upper()
    if kind == "BEARER":
        token = auth.get("token")
        if not token:
            raise ValueError("option 'auth' of type BEARER needs a 'token'")
        return None, None, str(token)
    if kind in ("BASIC", "DIGEST"):
        pair = (str(auth.get("username") or ""), str(auth.get("password") or ""))
        return (pair, None, None) if kind == "BASIC" else (None, pair, None)
    if kind:
        raise ValueError(f"option 'auth.type' must be BASIC, BEARER or DIGEST, got '{kind}'")
    if raw.get("basicAuthUser") is not None:
        pair = (str(raw["basicAuthUser"]), str(raw.get("basicAuthPassword") or ""))
        return pair, None, None
    return None, None, None


def _proxy(raw: Mapping[str, Any]) -> str | None:
    proxy = dict(_mapping(raw.get("proxy") or {}, "proxy"))
    for legacy, key in (
        ("proxyType", "type"),
        ("proxyAddress", "address"),
        ("proxyPort", "port"),
        ("proxyUsername", "username"),
        ("proxyPassword", "password"),
    ):
        if raw.get(legacy) is not None:
            proxy.setdefault(key, raw[legacy])
    kind = str(proxy.get("type") or "HTTP").upper()
    address = proxy.get("address")
    if not address or kind == "DIRECT":
        return None
    if kind not in ("HTTP", "SOCKS"):
        raise ValueError(f"option 'proxy.type' must be HTTP, SOCKS or DIRECT, got '{kind}'")
    if proxy.get("port") is None:
        raise ValueError("option 'proxy' needs a 'port' with its 'address'")
    credentials = ""
    if proxy.get("username") is not None and proxy.get("password") is not None:
        user, password = quote(str(proxy["username"])), quote(str(proxy["password"]))
        credentials = f"{user}:{password}@"
    scheme = "socks5" if kind == "SOCKS" else "http"
    return f"{scheme}://{credentials}{address}:{int(proxy['port'])}"


_LOG_TYPES = ("REQUEST_HEADERS", "REQUEST_BODY", "RESPONSE_HEADERS", "RESPONSE_BODY")
_LEGACY_LOG_LEVELS = {
    "TRACE": frozenset(_LOG_TYPES),
    "DEBUG": frozenset({"REQUEST_HEADERS", "RESPONSE_HEADERS"}),
    "INFO": frozenset({"RESPONSE_HEADERS"}),
}


def _logs(raw: Mapping[str, Any]) -> frozenset[str]:
    """``logs`` (a list of what to log) or the deprecated ``logLevel``."""
    value = raw.get("logs")
    if value is None:
        return _LEGACY_LOG_LEVELS.get(str(raw.get("logLevel") or "").upper(), frozenset())
    kinds = frozenset(str(v).upper() for v in (value if isinstance(value, list) else [value]))
    unknown = sorted(kinds.difference(_LOG_TYPES))
    if unknown:
        raise ValueError(f"option 'logs' takes {', '.join(_LOG_TYPES)}; got {unknown}")
    return kinds


def _codes(value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        value = [value]
    try:
        return tuple(int(code) for code in value)
    except (TypeError, ValueError):
        raise ValueError(
            f"option 'allowedResponseCodes' must be a list of status codes, got {value!r}"
        ) from None


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"option '{name}' must be true or false, got {value!r}")


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"option '{name}' must be a map, got {value!r}")
    return value

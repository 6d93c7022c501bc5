"""Functions bound to a running execution: ``kv``, ``secret``, ``read``, ``fileURI``,
``fileSize``, ``fileExists``, ``isFileEmpty`` (alias ``fileEmpty``), ``errorLogs``,
``currentEachOutput``, ``tasksWithState``; and ``encrypt``/``decrypt``.

Each delegates to ``CallContext.platform``; outside an execution (no platform) it raises an
error saying so. ``encrypt``/``decrypt`` need AES-GCM and a configured encryption key, neither of
which the expression engine has: they always raise an error explaining that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import arg_bool, arg_str, fail
from legato.expressions.platform import Platform

TABLE = Callables()


def platform(name: str, ctx: CallContext) -> Platform:
    """The execution's platform services, or an error naming ``name``."""
    services = ctx.platform
    if services is None:
        fail(name, f"function '{name}' is only available while a flow runs")
    return services


@TABLE.function("kv", "key", "namespace", "errorOnMissing")
def kv(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """A KV-store value; a missing key is an error unless ``errorOnMissing=false`` (Kestra 0.22+,
    where it then gives null)."""
    key = arg_str("kv", args, "key")
    namespace = arg_str("kv", args, "namespace", None)
    error_on_missing = arg_bool("kv", args, "errorOnMissing", True)
    return platform("kv", ctx).kv(key, namespace, error_on_missing)


@TABLE.function("secret", "key", "namespace", "subkey")
def secret(args: Mapping[str, Any], ctx: CallContext) -> Any:
    key = arg_str("secret", args, "key")
    namespace = arg_str("secret", args, "namespace", None)
    subkey = arg_str("secret", args, "subkey", None)
    return platform("secret", ctx).secret(key, namespace, subkey)


@TABLE.function("read", "path", "namespace")
def read(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """A namespace file or ``kestra://`` file's text."""
    path = arg_str("read", args, "path")
    namespace = arg_str("read", args, "namespace", None)
    text = platform("read", ctx).read(path, namespace)
    ctx.check_size(len(text), "read")
    return text


@TABLE.function("fileURI", "path", "namespace")
def file_uri(args: Mapping[str, Any], ctx: CallContext) -> Any:
    path = arg_str("fileURI", args, "path")
    namespace = arg_str("fileURI", args, "namespace", None)
    return platform("fileURI", ctx).file_uri(path, namespace)


@TABLE.function("fileSize", "path")
def file_size(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return platform("fileSize", ctx).file_size(arg_str("fileSize", args, "path"))


@TABLE.function("fileExists", "path")
def file_exists(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return platform("fileExists", ctx).file_exists(arg_str("fileExists", args, "path"))


@TABLE.function("isFileEmpty", "path")
def is_file_empty(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return platform("isFileEmpty", ctx).is_file_empty(arg_str("isFileEmpty", args, "path"))


@TABLE.function("fileEmpty", "path")
def file_empty(args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Alias of ``isFileEmpty`` used in some Kestra docs."""
    return platform("fileEmpty", ctx).is_file_empty(arg_str("fileEmpty", args, "path"))


@TABLE.function("errorLogs")
def error_logs(args: Mapping[str, Any], ctx: CallContext) -> Any:
    return platform("errorLogs", ctx).error_logs()


@TABLE.function("currentEachOutput", "outputs")
def current_each_output(args: Mapping[str, Any], ctx: CallContext) -> Any:
    if "outputs" not in args:
        fail("currentEachOutput", "argument 'outputs' is required, e.g. outputs.my_task")
    return platform("currentEachOutput", ctx).current_each_output(args["outputs"])


@TABLE.function("tasksWithState", "state")
def tasks_with_state(args: Mapping[str, Any], ctx: CallContext) -> Any:
    state = str(arg_str("tasksWithState", args, "state")).upper()
    return platform("tasksWithState", ctx).tasks_with_state(state)


_NO_CRYPTO = (
    "is not available: it needs AES-GCM and the server's encryption key, which Legato's "
    "expression engine does not have; keep secrets in secret() instead"
)


@TABLE.function("encrypt", "key", "plaintext")
def encrypt(args: Mapping[str, Any], ctx: CallContext) -> Any:
    fail("encrypt", f"function 'encrypt' {_NO_CRYPTO}")


@TABLE.function("decrypt", "key", "encrypted")
def decrypt(args: Mapping[str, Any], ctx: CallContext) -> Any:
    fail("decrypt", f"function 'decrypt' {_NO_CRYPTO}")

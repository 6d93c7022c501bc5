"""``ConfigError``: the configuration cannot be used.

Invariants: the message names the source (a file path, ``KESTRA_CONFIGURATION``, an
environment variable or a command-line option), the line and column and the dotted key when
known, and says what is expected.
"""

from __future__ import annotations

from legato.errors import LegatoError


class ConfigError(LegatoError):
    """The configuration is invalid; fix the named setting."""


def located(origin: str, line: int | None, column: int | None, key: str, message: str) -> str:
    """``origin:line:column: key: message`` with the unknown parts left out."""
    place = ":".join(str(p) for p in (origin, line, column) if p is not None)
    return f"{place}: {key}: {message}" if key else f"{place}: {message}"

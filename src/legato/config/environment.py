"""The ``LEGATO_*`` environment variables as a ``Layer``.

``LEGATO_HOME``, ``LEGATO_DATABASE_URL``, ``LEGATO_STORAGE_PATH``, ``LEGATO_WORKER_THREADS``,
``LEGATO_TMP_DIR`` and ``LEGATO_DOCKER_FALLBACK``; an empty variable counts as unset. The
variables naming configuration sources (``LEGATO_CONFIG``, ``KESTRA_CONFIGURATION``) are read
by ``loading``.

Invariants: a malformed value raises a ``ConfigError`` naming the variable and what it expects.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from legato.config.errors import ConfigError
from legato.config.layers import Layer
from legato.sdk.task_settings import DOCKER_FALLBACKS, DockerFallback


def layer_of(env: Mapping[str, str]) -> Layer:
    """What the ``LEGATO_*`` variables of ``env`` set."""
    return Layer(
        home=_path(env, "LEGATO_HOME"),
        database=env.get("LEGATO_DATABASE_URL") or None,
        storage_path=_path(env, "LEGATO_STORAGE_PATH"),
        worker_threads=_threads(env),
        tmp_dir=_path(env, "LEGATO_TMP_DIR"),
        docker_fallback=_fallback(env),
    )


def _path(env: Mapping[str, str], name: str) -> Path | None:
    value = env.get(name)
    return Path(value) if value else None


def _threads(env: Mapping[str, str]) -> int | None:
    text = env.get("LEGATO_WORKER_THREADS")
    if not text:
        return None
    try:
        threads = int(text)
    except ValueError:
        threads = 0
    if threads < 1:
        raise ConfigError(
            f"LEGATO_WORKER_THREADS: expected a whole number of at least 1, got {text!r}"
        )
    return threads


def _fallback(env: Mapping[str, str]) -> DockerFallback | None:
    text = (env.get("LEGATO_DOCKER_FALLBACK") or "").strip().lower()
    if not text:
        return None
    if text not in DOCKER_FALLBACKS:
        raise ConfigError(f"LEGATO_DOCKER_FALLBACK: expected 'process' or 'fail', got {text!r}")
    return text

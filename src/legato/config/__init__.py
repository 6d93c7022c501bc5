"""Configuration: Legato's ``Settings`` from Kestra-shaped YAML, ``LEGATO_*`` variables and
command-line options.

Read once by the CLI (never at import time) with ``load_settings``; bootstrap consumes the
resulting ``Settings``. Modules, one concept each:

* ``settings``: the resolved ``Settings`` and its defaults;
* ``layers``: a ``Layer`` per source and their resolution by precedence;
* ``environment``: the ``LEGATO_*`` variables;
* ``document``: a YAML configuration read by dotted key, located and typed;
* ``kestra_yaml``: Kestra's keys (``datasources``, ``kestra.repository|storage|tasks|plugins``)
  and the ``legato:`` section;
* ``datasource``: a JDBC PostgreSQL URL as a SQLAlchemy URL;
* ``loading``: the sources and their order.

Every key is documented in ``docs/configuration.md``.
"""

from __future__ import annotations

from legato.config.errors import ConfigError
from legato.config.layers import Layer
from legato.config.loading import load_settings
from legato.config.settings import (
    DEFAULT_WORKER_THREADS,
    MEMORY_URL,
    Settings,
    sqlite_url,
)

__all__ = [
    "DEFAULT_WORKER_THREADS",
    "MEMORY_URL",
    "ConfigError",
    "Layer",
    "Settings",
    "load_settings",
    "sqlite_url",
]

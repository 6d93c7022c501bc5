"""A configuration document in Kestra's shape (plus a ``legato:`` section) → a ``Layer``.

Keys read (kebab-case; camelCase matches too, see ``document``), everything else is ignored:

* ``kestra.repository.type``: ``postgres`` uses ``datasources.postgres`` (``url``,
  ``username``, ``password``); ``h2`` and ``memory`` use the embedded SQLite database in the
  home. ``kestra.queue.type`` is not read: Legato's queue lives in the repository's database.
* ``kestra.storage.type``: ``local`` only; ``kestra.storage.local.base-path`` is the storage.
* ``kestra.tasks.tmp-dir.path``: where task runs get their working directories.
* ``kestra.plugins.defaults`` (and the older ``kestra.tasks.defaults`` after it): global plugin
  defaults, ``[{type, values, forced}]``; their ``values`` are kept as written (no placeholder
  resolution: they are flow properties).
* ``legato.home``, ``legato.database-url``, ``legato.storage-path``, ``legato.worker-threads``,
  ``legato.tasks.docker-fallback`` (``process`` or ``fail``): Legato's own settings. Within one
  document they win over the ``kestra``/``datasources`` keys that set the same thing.

Invariants: every problem is a located ``ConfigError``; a document setting nothing Legato
reads gives an empty ``Layer``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from legato.config import datasource
from legato.config.document import ConfigDocument, Entry
from legato.config.layers import EMBEDDED, EmbeddedDatabase, Layer
from legato.model.plugin import PluginDefault
from legato.sdk.task_settings import DOCKER_FALLBACKS, DockerFallback

EMBEDDED_REPOSITORIES = ("h2", "memory")
REPOSITORY_TYPES = ("postgres", *EMBEDDED_REPOSITORIES)
STORAGE_TYPES = ("local",)


def layer_of(document: ConfigDocument) -> Layer:
    """What ``document`` sets."""
    kestra = kestra_layer(document)
    own = legato_layer(document)
    return own.over(kestra)


def kestra_layer(document: ConfigDocument) -> Layer:
    """What the ``kestra:`` and ``datasources:`` sections set."""
    storage = document.find("kestra.storage.type")
    if storage is not None:
        storage.choice(STORAGE_TYPES)
    base_path = document.find("kestra.storage.local.base-path")
    tmp_dir = document.find("kestra.tasks.tmp-dir.path")
    return Layer(
        database=repository_database(document),
        storage_path=base_path.path() if base_path else None,
        tmp_dir=tmp_dir.path() if tmp_dir else None,
        plugin_defaults=plugin_defaults(document),
    )


def repository_database(document: ConfigDocument) -> str | EmbeddedDatabase | None:
    """The database ``kestra.repository.type`` names (None when the key is not written)."""
    kind = document.find("kestra.repository.type")
    if kind is None:
        return None
    if kind.choice(REPOSITORY_TYPES) in EMBEDDED_REPOSITORIES:
        return EMBEDDED
    url = document.find("datasources.postgres.url")
    if url is None:
        raise kind.error(
            "'postgres' needs datasources.postgres.url "
            "(e.g. jdbc:postgresql://localhost:5432/kestra) with its username and password"
        )
    username = document.find("datasources.postgres.username")
    password = document.find("datasources.postgres.password")
    try:
        return datasource.sqlalchemy_url(
            url.text(),
            username.text() if username else None,
            password.text() if password else None,
        )
    except ValueError as error:
        raise url.error(str(error)) from None


def plugin_defaults(document: ConfigDocument) -> tuple[PluginDefault, ...] | None:
    """``kestra.plugins.defaults`` then ``kestra.tasks.defaults`` (None when neither is set)."""
    lists = [document.find(k) for k in ("kestra.plugins.defaults", "kestra.tasks.defaults")]
    written = [entry for entry in lists if entry is not None]
    if not written:
        return None
    return tuple(plugin_default(item) for entry in written for item in entry.items())


def plugin_default(item: Entry) -> PluginDefault:
    """One ``{type, values, forced}`` entry."""
    item.mapping()
    kind = item.get("type")
    values = item.get("values")
    if kind is None or not kind.text().strip():
        raise item.error("a plugin default needs a 'type' (a plugin type or a prefix of one)")
    if values is None:
        raise item.error("a plugin default needs 'values' (the properties to apply)")
    forced = item.get("forced")
    return PluginDefault(
        kind.text().strip(),
        dict(cast(Mapping[str, object], values.mapping())),
        forced.boolean() if forced is not None else False,
    )


def legato_layer(document: ConfigDocument) -> Layer:
    """What the ``legato:`` section sets."""
    home = document.find("legato.home")
    database = document.find("legato.database-url")
    storage = document.find("legato.storage-path")
    threads = document.find("legato.worker-threads")
    fallback = document.find("legato.tasks.docker-fallback")
    return Layer(
        home=home.path() if home else None,
        database=database_url(database) if database else None,
        storage_path=storage.path() if storage else None,
        worker_threads=threads.integer(minimum=1) if threads else None,
        docker_fallback=docker_fallback(fallback) if fallback else None,
    )


def database_url(entry: Entry) -> str:
    text = entry.text().strip()
    if not text:
        raise entry.error(
            "expected a database URL: memory://, sqlite:///path/legato.db "
            "or postgresql+psycopg://user@host:5432/database"
        )
    return text


def docker_fallback(entry: Entry) -> DockerFallback:
    return cast(DockerFallback, entry.choice(DOCKER_FALLBACKS))

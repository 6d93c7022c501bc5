"""The plugin registry: Kestra type strings (and their legacy aliases) to plugin classes.

Built explicitly and passed around, never global: ``PluginRegistry.from_entry_points()`` reads
the ``legato.plugins`` entry-point group, where each entry point names a list of plugin classes
(built-ins register exactly like third-party plugins). Registering two classes under one type
string is a ``PluginError``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from importlib import metadata

from legato.errors import PluginError
from legato.model.plugin import Plugin, PluginKind

ENTRY_POINT_GROUP = "legato.plugins"


class PluginRegistry:
    """Plugin classes by kind and type string (canonical names and aliases)."""

    def __init__(self, plugins: Iterable[type[Plugin]] = ()) -> None:
        self._by_kind: dict[PluginKind, dict[str, type[Plugin]]] = {k: {} for k in PluginKind}
        for cls in plugins:
            self.register(cls)

    @classmethod
    def from_entry_points(cls, group: str = ENTRY_POINT_GROUP) -> PluginRegistry:
        """Load every plugin list published under ``group``."""
        registry = cls()
        for entry_point in sorted(metadata.entry_points(group=group), key=lambda e: e.name):
            loaded = entry_point.load()
            for plugin in loaded:
                registry.register(plugin)
        return registry

    def register(self, cls: type[Plugin]) -> None:
        """Add ``cls`` under its type string and aliases."""
        if not cls.plugin_type:
            raise PluginError(f"{cls.__qualname__} has no type string; decorate it with @plugin")
        table = self._by_kind[cls.kind]
        for name in (cls.plugin_type, *cls.aliases):
            existing = table.get(name)
            if existing is not None and existing is not cls:
                raise PluginError(
                    f"type '{name}' is registered twice: by {existing.__qualname__} "
                    f"and by {cls.__qualname__}"
                )
            table[name] = cls

    def resolve(self, kind: PluginKind, type_name: str) -> type[Plugin] | None:
        """The class registered for ``type_name`` as a ``kind``, or None."""
        return self._by_kind[kind].get(type_name)

    def get(self, kind: PluginKind, type_name: str) -> type[Plugin]:
        """Like ``resolve`` but raise ``PluginError`` with suggestions when it is unknown."""
        found = self.resolve(kind, type_name)
        if found is None:
            raise PluginError(self.unknown_message(kind, type_name))
        return found

    def types(self, kind: PluginKind) -> list[str]:
        """Every canonical type string of ``kind``, sorted."""
        return sorted({cls.plugin_type for cls in self._by_kind[kind].values()})

    def classes(self, kind: PluginKind | None = None) -> list[type[Plugin]]:
        """Every registered class (of ``kind`` if given), sorted by type string."""
        kinds = [kind] if kind else list(PluginKind)
        found = {cls for k in kinds for cls in self._by_kind[k].values()}
        return sorted(found, key=lambda c: c.plugin_type)

    def suggest(self, kind: PluginKind, type_name: str, limit: int = 3) -> list[str]:
        """The known type strings nearest to ``type_name``: by full name, then by last segment."""
        names = list(self._by_kind[kind])
        close = difflib.get_close_matches(type_name, names, n=limit, cutoff=0.6)
        if not close:
            short = type_name.rsplit(".", 1)[-1].lower()
            close = [n for n in self.types(kind) if n.rsplit(".", 1)[-1].lower() == short][:limit]
        return close

    def unknown_message(self, kind: PluginKind, type_name: str) -> str:
        """The message for an unknown type: names it and suggests the nearest known ones."""
        message = f"unknown {kind} type '{type_name}'"
        other = [k for k in PluginKind if k != kind and self.resolve(k, type_name)]
        if other:
            return message + f": it is a {other[0]} type, not a {kind} type"
        suggestions = self.suggest(kind, type_name)
        if suggestions:
            message += "; did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"
        else:
            message += "; check the spelling, or install the plugin that provides it"
        return message

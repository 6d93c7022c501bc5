"""Walking a validated flow's object tree: every nested plugin, with where it sits.

Invariants:

* The walk is generic: it follows every pydantic field (by its Kestra name) into models, lists
  and maps, so a new flowable that keeps children in an unusual field (``cases``, ``tasks`` of a
  ``Dag`` entry, a ``taskRunner``) is walked without being registered anywhere.
* Locations are the YAML locations (``("tasks", 1, "then", 0)``), so they index a
  ``yamlsource.Document``'s positions directly.
* Order is document order, parents before their children.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from legato.model.plugin import Plugin
from legato.model.violations import Loc

P = TypeVar("P", bound=Plugin)


def walk(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, BaseModel]]:
    """Every pydantic model under ``value`` (itself included), with its location."""
    if isinstance(value, BaseModel):
        yield loc, value
        for name, info in type(value).model_fields.items():
            child = getattr(value, name, None)
            if child is not None:
                yield from walk(child, (*loc, info.alias or name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from walk(item, (*loc, index))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from walk(item, (*loc, str(key)))


def plugins_of(value: Any, kind: type[P], loc: Loc = ()) -> Iterator[tuple[Loc, P]]:
    """Every instance of the plugin class ``kind`` under ``value``, with its location."""
    for where, model in walk(value, loc):
        if isinstance(model, kind):
            yield where, model

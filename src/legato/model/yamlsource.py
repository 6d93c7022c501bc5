"""YAML text → plain Python data plus the source position of every key and list item.

Invariants:

* A file may hold several documents separated by ``---`` lines; each is loaded on its own, so a
  syntax error in one document does not hide the others. Documents holding only comments are
  skipped. Lines and columns are 1-based and count from the start of the whole file.
* The data is plain JSON-like Python: ``dict`` (string keys), ``list``, ``str``, ``int``,
  ``float``, ``bool`` and ``None``; ruamel's round-trip wrappers never leak out.
* Scalars follow YAML 1.2, as Kestra's Jackson reader does for what matters: ``on``/``off``/
  ``yes``/``no`` stay strings (Jackson only reads ``true``/``false`` as booleans). Unquoted dates
  and timestamps (``2024-01-01``) stay the strings written, since Kestra reads them as text and
  a typed property (a DATE input bound, say) parses them itself. Non-string keys become strings
  the way Java writes them (``1`` → ``"1"``, ``true`` → ``"true"``).
* A duplicate key and a syntax error become a ``Violation`` located at the offending token.
* ``positions`` maps a location (mapping keys and list indexes from the root) to the position of
  that key, or of that list item; the root ``()`` maps to the document's first node.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from legato.model.violations import Loc, Violation

Position = tuple[int, int]

_DOCUMENT_START = re.compile(r"^---(?:\s|$)")
_DUPLICATE = re.compile(r'found duplicate key "(?P<key>.*?)"')


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps timestamps as the text written."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


@dataclass(frozen=True)
class Document:
    """One loaded YAML document: its data, the positions inside it, and its own text."""

    data: Any
    positions: Mapping[Loc, Position]
    text: str
    first_line: int = 1
    file: str | None = None

    def position(self, loc: Loc) -> Position | None:
        """Position of ``loc``, or of its nearest enclosing key or item that has one."""
        for end in range(len(loc), -1, -1):
            found = self.positions.get(loc[:end])
            if found is not None:
                return found
        return None

    def violation(self, loc: Loc, path: str, message: str) -> Violation:
        """A ``Violation`` of ``message`` at ``path``, located at ``loc`` in this document."""
        where = self.position(loc)
        line, column = where if where else (None, None)
        return Violation(path, message, line, column, self.file)


@dataclass(frozen=True)
class BrokenDocument:
    """A document that is not valid YAML (bad syntax or a duplicate key)."""

    violations: tuple[Violation, ...]
    text: str
    first_line: int = 1
    file: str | None = field(default=None)


def load_documents(source: str, *, file: str | None = None) -> list[Document | BrokenDocument]:
    """Every non-empty document of ``source``, in order."""
    results: list[Document | BrokenDocument] = []
    for offset, text in split_documents(source):
        loaded = load_document(text, offset=offset, file=file)
        if loaded is not None:
            results.append(loaded)
    return results


def split_documents(source: str) -> list[tuple[int, str]]:
    """``source`` cut before each ``---`` line: (0-based first line, text) per chunk.

    A chunk holding only comments or directives (``%YAML 1.2``) is joined to the next one, so
    directives stay with the document they introduce.
    """
    lines = source.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _DOCUMENT_START.match(line)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = [*starts, len(lines)]
    chunks = [(a, "".join(lines[a:b])) for a, b in itertools.pairwise(bounds)]
    merged: list[tuple[int, str]] = []
    for start, text in chunks:
        if merged and _is_preamble(merged[-1][1]):
            start, text = merged[-1][0], merged.pop()[1] + text
        merged.append((start, text))
    return merged


def _is_preamble(text: str) -> bool:
    """True when ``text`` holds only blank lines, comments and ``%`` directives (no content)."""
    kept = [line.strip() for line in text.splitlines()]
    return all(not line or line.startswith(("#", "%")) for line in kept)


def load_document(
    text: str, *, offset: int = 0, file: str | None = None
) -> Document | BrokenDocument | None:
    """Load one document whose first line is line ``offset`` (0-based) of the file.

    Returns None when the document holds nothing (only comments or blank lines).
    """
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    try:
        raw = yaml.load(text)
    except YAMLError as error:
        return BrokenDocument((_syntax_violation(error, offset, file),), text, offset + 1, file)
    if raw is None:
        return None
    positions: dict[Loc, Position] = {}
    root = _node_position(raw, offset)
    if root is not None:
        positions[()] = root
    data = _plain(raw, (), positions, offset)
    return Document(data, positions, text, offset + 1, file)


def _syntax_violation(error: YAMLError, offset: int, file: str | None) -> Violation:
    line: int | None = None
    column: int | None = None
    if isinstance(error, MarkedYAMLError) and error.problem_mark is not None:
        line = error.problem_mark.line + 1 + offset
        column = error.problem_mark.column + 1
    if isinstance(error, DuplicateKeyError):
        found = _DUPLICATE.search(str(error.problem))
        key = found["key"] if found else "?"
        message = f"duplicate key '{key}': a key may appear only once in a mapping"
    elif isinstance(error, MarkedYAMLError):
        detail = " ".join(str(p) for p in (error.context, error.problem) if p)
        message = f"invalid YAML: {detail}"
    else:
        message = f"invalid YAML: {error}"
    return Violation("", message, line, column, file)


def _node_position(node: Any, offset: int) -> Position | None:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return None
    return (lc.line + 1 + offset, lc.col + 1)


def _plain(node: Any, loc: Loc, positions: dict[Loc, Position], offset: int) -> Any:
    """Convert ``node`` to plain data, recording the positions of its keys and items."""
    if isinstance(node, CommentedMap):
        return _plain_map(node, loc, positions, offset)
    if isinstance(node, CommentedSeq):
        return _plain_seq(node, loc, positions, offset)
    if isinstance(node, dict):
        return {_key(k): _plain(v, (*loc, _key(k)), positions, offset) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v, (*loc, i), positions, offset) for i, v in enumerate(node)]
    return _scalar(node)


def _plain_map(node: CommentedMap, loc: Loc, positions: dict[Loc, Position], offset: int) -> Any:
    result: dict[str, Any] = {}
    for key, value in node.items():
        name = _key(key)
        where = _lc_call(node.lc.key, key)
        if where is not None:
            positions[(*loc, name)] = (where[0] + 1 + offset, where[1] + 1)
        result[name] = _plain(value, (*loc, name), positions, offset)
    return result


def _plain_seq(node: CommentedSeq, loc: Loc, positions: dict[Loc, Position], offset: int) -> Any:
    result: list[Any] = []
    for index, value in enumerate(node):
        where = _lc_call(node.lc.item, index)
        if where is not None:
            positions[(*loc, index)] = (where[0] + 1 + offset, where[1] + 1)
        result.append(_plain(value, (*loc, index), positions, offset))
    return result


def _lc_call(getter: Any, key: Any) -> tuple[int, int] | None:
    try:
        found = getter(key)
    except (KeyError, IndexError, TypeError):
        return None
    if not found or found[0] is None:
        return None
    return (int(found[0]), int(found[1]))


def _key(key: Any) -> str:
    plain = _scalar(key)
    if isinstance(plain, str):
        return plain
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if plain is None:
        return "null"
    return str(plain)


def _scalar(value: Any) -> Any:
    """Strip ruamel's scalar wrappers: exact ``bool``/``int``/``float``/``str`` or ``None``."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, TaggedScalar):
        return str(value.value)
    if type(value).__name__ == "ScalarBoolean":
        return bool(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)

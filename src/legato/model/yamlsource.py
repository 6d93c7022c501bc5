"""YAML text → plain Python data plus the source position of every key and list item.

Invariants:

* A file may hold several documents separated by ``---`` lines; each is loaded on its own, so a
  syntax error in one document does not hide the others. Documents holding only comments are
  skipped. Lines and columns are 1-based and count from the start of the whole file.
* The data is plain JSON-like Python: ``dict`` (string keys), ``list``, ``str``, ``int``,
  ``float``, ``bool`` and ``None``.
* Scalars follow the YAML 1.2 core schema, as Kestra's Jackson reader does for what matters:
  ``on``/``off``/``yes``/``no`` stay strings (only ``true``/``false`` are booleans). Unquoted dates
  and timestamps (``2024-01-01``) stay the strings written, since Kestra reads them as text and
  a typed property (a DATE input bound, say) parses them itself. Non-string keys become strings
  the way Java writes them (``1`` → ``"1"``, ``true`` → ``"true"``). Custom tags keep their text.
  Merge keys (``<<: *base``) merge; keys written in the mapping win.
* A duplicate key, a syntax error, a recursive alias and an alias expansion past
  ``MAX_NODES`` become a ``Violation`` located at the offending token.
* ``positions`` maps a location (mapping keys and list indexes from the root) to the position of
  that key, or of that list item; the root ``()`` maps to the document's first node.

The text is composed into nodes by libyaml (PyYAML's C parser) when available — about 35 times
faster than a pure-Python parser, see docs/decisions.md — and turned into data here, so scalar
resolution is ours and the same with either parser.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from legato.model.violations import Loc, Violation

Position = tuple[int, int]

#: the most nodes one document may expand to (aliases included), against "billion laughs"
MAX_NODES = 200_000

_DOCUMENT_START = re.compile(r"^---(?:\s|$)")

try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _Loader(_Parser, BaseResolver):
    """Composes nodes without implicit typing: untagged scalars get ``_UNTAGGED``, resolved here."""

    DEFAULT_SCALAR_TAG = "tag:legato,untagged"  # type: ignore[misc]  # a sentinel, by design

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)


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
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        return BrokenDocument((_syntax_violation(error, offset, file),), text, offset + 1, file)
    finally:
        loader.dispose()
    if root is None or (_is(root, ScalarNode) and root.value == "" and not root.style):
        return None
    builder = _Builder(offset)
    try:
        data = builder.build(root, ())
    except _NodeError as error:
        violation = Violation("", error.message, error.line, error.column, file)
        return BrokenDocument((violation,), text, offset + 1, file)
    builder.positions[()] = builder.where(root)
    return Document(data, builder.positions, text, offset + 1, file)


def _syntax_violation(error: yaml.YAMLError, offset: int, file: str | None) -> Violation:
    line: int | None = None
    column: int | None = None
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        line, column = mark.line + 1 + offset, mark.column + 1
    if isinstance(error, yaml.MarkedYAMLError):
        detail = " ".join(str(p) for p in (error.context, error.problem) if p)
        message = f"invalid YAML: {detail}"
    else:  # pragma: no cover - libyaml raises marked errors
        message = f"invalid YAML: {error}"
    return Violation("", message, line, column, file)


_N = TypeVar("_N", bound=Node)
_KINDS: dict[type[Node], str] = {
    ScalarNode: "scalar",
    SequenceNode: "sequence",
    MappingNode: "mapping",
}


def _is(node: Node, kind: type[_N]) -> TypeGuard[_N]:
    """Node kind by its ``id`` ('scalar', 'sequence', 'mapping'), not by class identity: under
    some import hooks (coverage with ``--source``) libyaml builds nodes whose classes are not the
    ones imported here, and their tags come back unresolved."""
    return bool(getattr(node, "id", None) == _KINDS[kind])


class _NodeError(Exception):
    def __init__(self, message: str, where: Position) -> None:
        super().__init__(message)
        self.message = message
        self.line, self.column = where


_UNTAGGED = _Loader.DEFAULT_SCALAR_TAG
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOATS = {
    **{f"{s}.{w}": float(f"{s}inf") for s in ("", "+", "-") for w in ("inf", "Inf", "INF")},
    **{f".{w}": float("nan") for w in ("nan", "NaN", "NAN")},
}
_TAGGED: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:null": lambda _v: None,
    "tag:yaml.org,2002:bool": lambda v: v.lower() == "true",
    "tag:yaml.org,2002:int": lambda v: int(v, 0),
    "tag:yaml.org,2002:float": float,
}


def resolve_plain(value: str) -> Any:
    """The YAML 1.2 core-schema value of an untagged plain scalar."""
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    return _SPECIAL_FLOATS.get(value, value)


class _Builder:
    """Turns a node tree into plain data, recording positions and checking keys and aliases.

    ``loc`` is None while building what has no location of its own (keys, merged mappings).
    """

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.positions: dict[Loc, Position] = {}
        self.count = 0
        self.active: set[int] = set()

    def where(self, node: Node) -> Position:
        return (node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node: Node, loc: Loc | None) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            message = f"the document expands to more than {MAX_NODES} values"
            raise _NodeError(message, self.where(node))
        if _is(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            raise _NodeError("an alias refers to a node that contains it", self.where(node))
        self.active.add(id(node))
        try:
            if _is(node, SequenceNode):
                return self.sequence(node, loc)
            if _is(node, MappingNode):
                return self.mapping(node, loc)
            raise _NodeError(f"unexpected YAML node {node!r}", self.where(node))  # pragma: no cover
        finally:
            self.active.discard(id(node))

    def record(self, loc: Loc | None, node: Node) -> None:
        if loc is not None:
            self.positions[loc] = self.where(node)

    def scalar(self, node: ScalarNode) -> Any:
        value = str(node.value)
        if node.tag not in (_UNTAGGED, None):
            convert = _TAGGED.get(node.tag)
            if convert is None:
                return value
            try:
                return convert(value)
            except ValueError:
                message = f"'{value}' does not match its tag {node.tag}"
                raise _NodeError(message, self.where(node)) from None
        if not node.style:  # plain (libyaml says '', the pure parser None)
            return resolve_plain(value)
        return value

    def sequence(self, node: SequenceNode, loc: Loc | None) -> list[Any]:
        result: list[Any] = []
        for index, item in enumerate(node.value):
            item_loc = None if loc is None else (*loc, index)
            self.record(item_loc, item)
            result.append(self.build(item, item_loc))
        return result

    def mapping(self, node: MappingNode, loc: Loc | None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if _is(key_node, ScalarNode) and key_node.value == "<<" and not key_node.style:
                merges.append(value_node)
                continue
            name = self.key(key_node)
            if name in result:
                message = f"duplicate key '{name}': a key may appear only once in a mapping"
                raise _NodeError(message, self.where(key_node))
            value_loc = None if loc is None else (*loc, name)
            self.record(value_loc, key_node)
            result[name] = self.build(value_node, value_loc)
        for merged in merges:
            for key, value in self.merged(merged).items():
                result.setdefault(key, value)
        return result

    def merged(self, node: Node) -> dict[str, Any]:
        """The keys a ``<<`` value brings: one mapping, or several (earlier ones win)."""
        result: dict[str, Any] = {}
        for source in node.value if _is(node, SequenceNode) else [node]:
            if not _is(source, MappingNode):
                message = "a merge key '<<' needs a mapping or a list of mappings"
                raise _NodeError(message, self.where(source))
            for key, value in self.build(source, None).items():
                result.setdefault(key, value)
        return result

    def key(self, node: Node) -> str:
        """A mapping key as a string, written the way Java prints a non-string key."""
        value = self.build(node, None)
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        return str(value)

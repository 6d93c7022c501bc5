"""``xml.XmlToIon`` (legacy ``XmlReader``) and ``xml.IonToXml`` (legacy ``XmlWriter``).

XmlToIon streams the file (an incremental parser; matched elements are dropped once
converted). Each record is an element converted as ``xml_values`` says:

* with ``query`` (a path such as ``/catalog/book``), every element at that path is a record;
* without it, when the root wraps children of a single tag that are complex (attributes or
  children), each child is a record (``unwrapRootCollection``, =true), found in a first pass;
* otherwise the whole document is one record ``{root: …}`` (loaded whole: it is one value).

Namespaces are dropped from names (``{uri}book`` → ``book``); ``parserConfiguration.forceList``
names tags always read as lists. IonToXml writes an XML declaration, the ``rootName``
(=items) element and one ``item`` element per row, indented by two spaces, as it reads; values
print as in IonToJson (offsets moved to ``timeZoneId``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from pydantic import BaseModel

from legato.model.property import Dyn
from legato.plugins.serdes.files import (
    ConvertTask,
    Source,
    charset_of,
    finish,
    ion_rows,
    open_source,
    output_file,
)
from legato.plugins.serdes.text_values import zone_of
from legato.plugins.serdes.xml_values import element_text, element_value
from legato.sdk import plugin
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext, TaskError

_CHUNK = 1 << 16


class ParserConfiguration(BaseModel):
    """XML parser options."""

    forceList: Dyn[list[str]] | None = None


@plugin(
    "io.kestra.plugin.serdes.xml.XmlToIon",
    aliases=("io.kestra.plugin.serdes.xml.XmlReader",),
    title="Convert an XML file to Ion.",
)
class XmlToIon(ConvertTask):
    """Read XML records (elements) and write them as Ion rows."""

    charset: Dyn[str] = "UTF-8"
    query: Dyn[str] | None = None
    parserConfiguration: ParserConfiguration | None = None
    unwrapRootCollection: Dyn[bool] = True

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.ion`` file; metric ``records``."""
        source = open_source(ctx, self)
        encoding = charset_of(ctx, self.charset, reading=True)
        force = self._force_list(ctx)
        path = self._record_path(ctx, source, encoding)
        target = output_file(ctx, ".ion")
        with IonRowWriter(target) as writer:
            if path is None:
                root = next(_elements(source, encoding, None), None)
                if root is not None:
                    writer.write({root.tag: element_value(root, force)})
            else:
                for element in _elements(source, encoding, path):
                    writer.write(element_value(element, force))
        return finish(ctx, target, writer.count)

    def _force_list(self, ctx: RunContext) -> frozenset[str]:
        config = self.parserConfiguration
        if config is None or config.forceList is None:
            return frozenset()
        return frozenset(ctx.render_as(config.forceList, list[str]))

    def _record_path(self, ctx: RunContext, source: Source, encoding: str) -> list[str] | None:
        """The tags from the root to a record, or None when the document is the record."""
        if self.query is not None:
            return [part for part in ctx.render_string(self.query).split("/") if part]
        if not ctx.render_as(self.unwrapRootCollection, bool):
            return None
        root, tags, complex_children = _root_children(source, encoding)
        if root is not None and len(tags) == 1 and complex_children:
            return [root, *tags]
        return None


def _root_children(source: Source, encoding: str) -> tuple[str | None, set[str], bool]:
    """The root's tag, its children's tags, and whether every child is complex."""
    root: Element | None = None
    tags: set[str] = set()
    complex_children = True
    depth = 0
    for event, element in _events(source, encoding):
        if event == "start":
            depth += 1
            root = element if root is None else root
            continue
        depth -= 1
        if depth == 1 and root is not None:
            tags.add(_local(element.tag))
            complex_children = complex_children and bool(element.attrib or len(element))
            root.remove(element)  # memory holds one child at a time
    return (None if root is None else _local(root.tag)), tags, complex_children


def _elements(source: Source, encoding: str, path: list[str] | None) -> Iterator[Element]:
    """Complete elements at ``path`` (the root when None), each dropped once yielded."""
    stack: list[Element] = []
    for event, element in _events(source, encoding):
        if event == "start":
            element.tag = _local(element.tag)
            stack.append(element)
            continue
        stack.pop()
        if path is None and not stack:
            yield element
        elif path is not None and [e.tag for e in stack] + [element.tag] == path:
            yield element
            if stack:
                stack[-1].remove(element)


def _events(source: Source, encoding: str) -> Iterator[tuple[str, Element]]:
    parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
    try:
        with source.path.open(encoding=encoding) as handle:
            yield from _feed(parser, handle)
        parser.close()
        yield from parser.read_events()  # type: ignore[misc]
    except ParseError as error:
        line, column = error.position
        raise TaskError(
            f"Invalid XML in '{source.uri}' at line {line}, column {column}: {error.msg}; fix "
            "the file or set 'charset' to its encoding",
            retryable=False,
        ) from None


def _feed(parser: XMLPullParser[Element], handle: IO[str]) -> Iterator[tuple[str, Element]]:
    while chunk := handle.read(_CHUNK):
        parser.feed(chunk)
        yield from parser.read_events()  # type: ignore[misc]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@plugin(
    "io.kestra.plugin.serdes.xml.IonToXml",
    aliases=("io.kestra.plugin.serdes.xml.XmlWriter",),
    title="Convert an Ion file to XML.",
)
class IonToXml(ConvertTask):
    """Read Ion rows and write them as ``item`` elements of one XML document."""

    charset: Dyn[str] = "UTF-8"
    rootName: Dyn[str] = "items"
    timeZoneId: Dyn[str] = "UTC"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.xml`` file; metric ``records``."""
        source = open_source(ctx, self)
        encoding = charset_of(ctx, self.charset, reading=False)
        root = ctx.render_string(self.rootName)
        zone = zone_of(ctx.render_string(self.timeZoneId))
        target = output_file(ctx, ".xml")
        count = 0
        with target.open("w", encoding=encoding, newline="") as out:
            out.write(f"<?xml version='1.0' encoding='{ctx.render_string(self.charset)}'?>\n")
            out.write(f"<{root}>\n")
            for row in ion_rows(source):
                out.write(element_text("item", row, "  ", zone))
                count += 1
            out.write(f"</{root}>\n")
        return finish(ctx, target, count)

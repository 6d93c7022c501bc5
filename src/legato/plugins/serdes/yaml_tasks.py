"""``yaml.YamlToIon`` and ``yaml.IonToYaml``.

* YamlToIon: each document of the file (separated by ``---``) is one Ion row, read one at a
  time. Scalars follow YAML 1.2 as Jackson reads them: only ``true``/``false`` are booleans
  (``yes``/``on`` stay strings) and dates stay strings.
* IonToYaml: a single row is written as one document; several rows each start with ``---``.
  Block style, keys in row order, Unicode kept; decimals are exact numbers, dates and times
  ISO strings (as IonToJson), bytes ``!!binary``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

import yaml

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
from legato.plugins.serdes.json_values import iso_text
from legato.sdk import plugin
from legato.sdk.ion_files import IonRowWriter
from legato.sdk.run_context import RunContext, TaskError


class _Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 booleans and no implicit timestamps."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":bool", ":timestamp"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _IonDumper(yaml.SafeDumper):
    """PyYAML's safe dumper knowing decimals and Java-style ISO dates."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


def _iso(dumper: yaml.SafeDumper, value: date | time) -> yaml.Node:
    return dumper.represent_str(iso_text(value))


_IonDumper.add_representer(Decimal, _decimal)
_IonDumper.add_representer(date, _iso)
_IonDumper.add_representer(datetime, _iso)
_IonDumper.add_representer(time, _iso)


@plugin("io.kestra.plugin.serdes.yaml.YamlToIon", title="Convert a YAML file to Ion.")
class YamlToIon(ConvertTask):
    """Read YAML documents and write one Ion row per document."""

    charset: Dyn[str] = "UTF-8"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.ion`` file; metric ``records``."""
        source = open_source(ctx, self)
        encoding = charset_of(ctx, self.charset, reading=True)
        target = output_file(ctx, ".ion")
        with source.path.open(encoding=encoding) as handle, IonRowWriter(target) as writer:
            writer.write_all(yaml_documents(handle, source))
        return finish(ctx, target, writer.count)


@plugin("io.kestra.plugin.serdes.yaml.IonToYaml", title="Convert an Ion file to YAML.")
class IonToYaml(ConvertTask):
    """Read Ion rows and write them as YAML documents."""

    charset: Dyn[str] = "UTF-8"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.yaml`` file; metric ``records``."""
        source = open_source(ctx, self)
        encoding = charset_of(ctx, self.charset, reading=False)
        target = output_file(ctx, ".yaml")
        with target.open("w", encoding=encoding, newline="") as out:
            count = write_documents(out, ion_rows(source))
        return finish(ctx, target, count)


_NONE = object()


def write_documents(out: IO[str], rows: Iterator[Any]) -> int:
    """Write ``rows`` as YAML: one row as a plain document, several each after ``---``."""
    first = next(rows, _NONE)
    if first is _NONE:
        return 0
    second = next(rows, _NONE)
    if second is _NONE:
        return _dump(out, first, marker=False)
    count = _dump(out, first, marker=True) + _dump(out, second, marker=True)
    for row in rows:
        count += _dump(out, row, marker=True)
    return count


def _dump(out: IO[str], row: Any, *, marker: bool) -> int:
    if marker:
        out.write("---\n")
    text = yaml.dump(row, Dumper=_IonDumper, allow_unicode=True, sort_keys=False)
    out.write(text.removesuffix("...\n"))
    return 1


def yaml_documents(handle: IO[str], source: Source) -> Iterator[Any]:
    """The documents of a YAML file, one at a time (YAML 1.2 scalars)."""
    try:
        yield from yaml.load_all(handle, Loader=_Yaml12Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise TaskError(
            f"Invalid YAML in '{source.uri}'{where}: {getattr(error, 'problem', error)}; fix the "
            "file (documents are separated by '---')",
            retryable=False,
        ) from None

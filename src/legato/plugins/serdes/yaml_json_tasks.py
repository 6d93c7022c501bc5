"""``yaml.JsonToYaml`` and ``yaml.YamlToJson``: JSON and YAML without going through Ion.

* JsonToYaml reads one JSON document (an array gives one YAML document per item) or, with
  ``jsonl``, JSON Lines; nulls are dropped; one value is written as a plain YAML document,
  several each after ``---`` (as IonToYaml).
* YamlToJson writes each YAML document as one JSON line with ``jsonl``; otherwise a single
  document that is not a list as it is, and several documents (or a first one that is a list)
  wrapped in a JSON array, as Kestra does; an empty file gives ``{}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from legato.model.property import Dyn
from legato.plugins.serdes.files import ConvertTask, charset_of, finish, open_source, output_file
from legato.plugins.serdes.json_tasks import json_values
from legato.plugins.serdes.json_values import json_text
from legato.plugins.serdes.yaml_tasks import write_documents, yaml_documents
from legato.sdk import plugin
from legato.sdk.run_context import RunContext

_NONE = object()


@plugin("io.kestra.plugin.serdes.yaml.JsonToYaml", title="Convert a JSON or JSONL file to YAML.")
class JsonToYaml(ConvertTask):
    """Read JSON (Lines) and write YAML documents."""

    charset: Dyn[str] = "UTF-8"
    jsonl: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: the ``.yaml`` file; metric ``records``."""
        source = open_source(ctx, self)
        reading = charset_of(ctx, self.charset, reading=True)
        values = json_values(source, reading, ctx.render_as(self.jsonl, bool))
        target = output_file(ctx, ".yaml")
        writing = charset_of(ctx, self.charset, reading=False)
        with target.open("w", encoding=writing, newline="") as out:
            count = write_documents(out, (value for value in values if value is not None))
        return finish(ctx, target, count)


@plugin("io.kestra.plugin.serdes.yaml.YamlToJson", title="Convert a YAML file to JSON.")
class YamlToJson(ConvertTask):
    """Read YAML documents and write JSON (Lines)."""

    charset: Dyn[str] = "UTF-8"
    jsonl: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Output ``uri``: a ``.jsonl`` (``jsonl``) or ``.json`` file; metric ``records``."""
        source = open_source(ctx, self)
        lines = ctx.render_as(self.jsonl, bool)
        reading = charset_of(ctx, self.charset, reading=True)
        target = output_file(ctx, ".jsonl" if lines else ".json")
        writing = charset_of(ctx, self.charset, reading=False)
        with (
            source.path.open(encoding=reading) as handle,
            target.open("w", encoding=writing, newline="") as out,
        ):
            documents = yaml_documents(handle, source)
            count = _json_lines(out, documents) if lines else _json_document(out, documents)
        return finish(ctx, target, count)


def _json_lines(out: IO[str], documents: Iterator[Any]) -> int:
    count = 0
    for document in documents:
        out.write(json_text(document) + "\n")
        count += 1
    return count


def _json_document(out: IO[str], documents: Iterator[Any]) -> int:
    first = next(documents, _NONE)
    if first is _NONE:
        out.write("{}")
        return 0
    second = next(documents, _NONE)
    if second is _NONE and not isinstance(first, list):
        out.write(json_text(first))
        return 1
    out.write("[" + json_text(first))
    count = 1
    if second is not _NONE:
        out.write("," + json_text(second))
        count += 1
        for document in documents:
            out.write("," + json_text(document))
            count += 1
    out.write("]")
    return count

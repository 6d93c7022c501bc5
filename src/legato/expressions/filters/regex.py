"""Regular-expression filters: ``replace``, ``split``, ``regexMatch``, ``regexExtract``,
``regexReplace``.

Patterns are Java regular expressions; the common syntax is shared with Python's ``re``, and
Java's named groups ``(?<name>...)`` and replacement references ``$1``/``${name}`` are translated.
``split`` keeps Java's ``String.split`` rules: a zero-width match at the start adds no empty
leading item, and with ``limit`` 0 (the default) trailing empty items are removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from legato.expressions.callables import Callables, CallContext
from legato.expressions.filters._support import arg_bool, arg_int, arg_str, fail, to_text
from legato.expressions.filters.strings import deep

TABLE = Callables()


def compile_java(name: str, pattern: str) -> re.Pattern[str]:
    """Compile a Java regex, translating named groups; a bad pattern names the filter."""
    translated = re.sub(r"\(\?<([A-Za-z][A-Za-z0-9]*)>", r"(?P<\1>", pattern)
    try:
        return re.compile(translated)
    except re.error as error:
        fail(name, f"invalid regular expression '{pattern}': {error}")


def java_replacement(replacement: str) -> str:
    """Translate a Java replacement string (``$1``, ``${name}``, ``\\$``) for ``re.sub``."""
    out: list[str] = []
    i = 0
    while i < len(replacement):
        char = replacement[i]
        if char == "\\" and i + 1 < len(replacement):
            out.append(replacement[i + 1].replace("\\", "\\\\"))
            i += 2
            continue
        if char == "$":
            named = re.match(r"\$\{([A-Za-z][A-Za-z0-9]*)\}", replacement[i:])
            number = re.match(r"\$(\d)", replacement[i:])
            if named:
                out.append(f"\\g<{named.group(1)}>")
                i += named.end()
                continue
            if number:
                out.append(f"\\g<{number.group(1)}>")
                i += 2
                continue
        out.append("\\\\" if char == "\\" else char)
        i += 1
    return "".join(out)


def _sub(name: str, regex: re.Pattern[str], replacement: str, text: str) -> str:
    try:
        return regex.sub(java_replacement(replacement), text)
    except (re.error, IndexError) as error:
        fail(name, f"invalid replacement '{replacement}': {error}")


@TABLE.filter("replace", "replace_pairs", "regexp")
def replace(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    """Pebble's ``replace`` over a map of pairs; ``regexp=true`` treats keys as Java regexes."""
    if value is None:
        return None
    pairs = args.get("replace_pairs")
    if not isinstance(pairs, Mapping):
        fail("replace", "argument 'replace_pairs' must be a map such as {'old': 'new'}")
    regexp = arg_bool("replace", args, "regexp", False)

    def apply(text: str) -> str:
        for old, new in pairs.items():
            if regexp:
                text = _sub("replace", compile_java("replace", to_text(old)), to_text(new), text)
            else:
                text = text.replace(to_text(old), to_text(new))
            ctx.check_size(len(text), "replace")
        return text

    return deep(value, apply)


def java_split(text: str, regex: re.Pattern[str], limit: int) -> list[str]:
    """Java's ``String.split(regex, limit)``."""
    pieces: list[str] = []
    position = 0
    for match in regex.finditer(text):
        if 0 < limit <= len(pieces) + 1:
            break
        if match.end() == 0:
            continue
        pieces.append(text[position : match.start()])
        position = match.end()
    if not pieces and position == 0:
        return [text]
    pieces.append(text[position:])
    if limit == 0:
        while pieces and not pieces[-1]:
            pieces.pop()
    return pieces


@TABLE.filter("split", "delimiter", "limit")
def split(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    delimiter = arg_str("split", args, "delimiter")
    limit = arg_int("split", args, "limit", 0)
    result = java_split(to_text(value), compile_java("split", delimiter), limit)
    ctx.check_size(len(result), "split")
    return result


def _regex_arg(name: str, args: Mapping[str, Any]) -> re.Pattern[str]:
    pattern = args.get("regex")
    if pattern is None:
        fail(name, "argument 'regex' is required")
    return compile_java(name, to_text(pattern))


@TABLE.filter("regexMatch", "regex")
def regex_match(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    regex = _regex_arg("regexMatch", args)
    return value is not None and regex.search(to_text(value)) is not None


@TABLE.filter("regexExtract", "regex", "group")
def regex_extract(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    regex = _regex_arg("regexExtract", args)
    group = arg_int("regexExtract", args, "group", 0)
    if group < 0:
        fail("regexExtract", f"argument 'group' must be zero or more, got {group}")
    match = regex.search(to_text(value))
    if match is None:
        return None
    if group > regex.groups:
        fail("regexExtract", f"argument 'group' {group} is out of bounds: the pattern has "
             f"only {regex.groups} capture group(s)")  # fmt: skip
    return match.group(group)


@TABLE.filter("regexReplace", "regex", "replacement")
def regex_replace(value: Any, args: Mapping[str, Any], ctx: CallContext) -> Any:
    if value is None:
        return None
    regex = _regex_arg("regexReplace", args)
    replacement = args.get("replacement")
    if replacement is None:
        fail("regexReplace", "argument 'replacement' is required")
    result = _sub("regexReplace", regex, to_text(replacement), to_text(value))
    ctx.check_size(len(result), "regexReplace")
    return result

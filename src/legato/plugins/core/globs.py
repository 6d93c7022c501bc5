"""Glob patterns as Java's ``PathMatcher("glob:…")`` reads them, for file-selecting tasks.

``*`` matches within one path segment, ``**`` across segments, ``?`` one character but ``/``,
``{a,b}`` one of the alternatives, ``[abc]`` / ``[!abc]`` a character class; ``\\`` escapes the
next character; a ``regex:`` prefix takes a regular expression instead. Invariant: patterns
match whole ``/``-separated relative paths (a leading ``/`` on either side is ignored),
case-sensitively.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression matching the paths ``pattern`` selects."""
    out: list[str] = []
    i, depth, text = 0, 0, pattern.lstrip("/")
    while i < len(text):
        char = text[i]
        if char == "*":
            double = text.startswith("**", i)
            out.append(".*" if double else "[^/]*")
            i += 2 if double else 1
            continue
        if char == "?":
            out.append("[^/]")
        elif char == "{":
            depth += 1
            out.append("(?:")
        elif char == "}" and depth:
            depth -= 1
            out.append(")")
        elif char == "," and depth:
            out.append("|")
        elif char == "[":
            end = text.find("]", i + 1)
            if end < 0:
                out.append(re.escape(char))
            else:
                body = text[i + 1 : end]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append(f"[{body}]")
                i = end
        elif char == "\\" and i + 1 < len(text):
            i += 1
            out.append(re.escape(text[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


def matches(path: str, patterns: list[str]) -> bool:
    """True when the relative ``path`` matches one of ``patterns``.

    A pattern may carry Java's syntax prefix: ``glob:`` (the default) or ``regex:``. The path is
    tried with and without a leading ``/`` so ``**/dir/**`` also selects ``dir/`` at the root,
    as it does on Java's absolute paths.
    """
    relative = path.lstrip("/")
    return any(_match(pattern, relative) for pattern in patterns)


def _match(pattern: str, relative: str) -> bool:
    if pattern.startswith("regex:"):
        regex = re.compile(pattern[len("regex:") :])
        return bool(regex.fullmatch(relative) or regex.fullmatch("/" + relative))
    compiled = compile_glob(pattern.removeprefix("glob:"))
    return bool(compiled.match(relative) or compiled.match("/" + relative))

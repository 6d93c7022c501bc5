"""One configuration YAML document, read by dotted key into located, typed values.

``ConfigDocument.parse`` loads the text with ``legato.model.yamlsource`` (YAML 1.2 scalars,
duplicate keys rejected, every key located); ``find("kestra.storage.local.base-path")`` walks
it and returns an ``Entry`` whose typed readers (``text``, ``path``, ``integer``, ``boolean``,
``mapping``, ``items``) raise a ``ConfigError`` naming the source, line, column and key, and
saying what was expected.

Key spelling follows Kestra's (Micronaut's) relaxed binding: keys are written kebab-case and a
camelCase spelling matches too (``basePath`` is ``base-path``, ``tmpDir`` is ``tmp-dir``); the
same key written in both spellings is an error. Text values may hold Micronaut placeholders,
``${NAME}`` or ``${NAME:default}``, resolved from the environment (``NAME`` as written, else
upper-cased with ``.`` and ``-`` turned into ``_``) when the value is read.

Invariants: keys nobody asks for are never inspected, so unknown sections and keys (Kestra has
many) cost nothing; a value of the wrong type fails only when its key is read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legato.config.errors import ConfigError, located
from legato.model import yamlsource
from legato.model.violations import Loc

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PLACEHOLDER = re.compile(r"\$\{([^}:]+)(?::([^}]*))?\}")


def normal_key(key: str) -> str:
    """The kebab-case form of a key: ``basePath`` → ``base-path``."""
    return _WORD_BOUNDARY.sub("-", key).lower()


def describe(value: Any) -> str:
    """How a YAML value reads in an error message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text '{value}'"
    return "a list" if isinstance(value, list) else "a mapping"


class ConfigDocument:
    """A parsed configuration (see the module docstring)."""

    def __init__(self, document: yamlsource.Document, origin: str, env: Mapping[str, str]) -> None:
        self.document = document
        #: where the text came from: a file path or an environment variable's name
        self.origin = origin
        self.env = env

    @classmethod
    def parse(cls, text: str, origin: str, env: Mapping[str, str]) -> ConfigDocument | None:
        """The document ``text`` holds (None when it holds nothing but comments)."""
        documents = yamlsource.load_documents(text, file=origin)
        if not documents:
            return None
        if len(documents) > 1:
            second = documents[1].first_line
            message = "holds several YAML documents separated by '---'; keep one configuration"
            raise ConfigError(located(origin, second, 1, "", message))
        document = documents[0]
        if isinstance(document, yamlsource.BrokenDocument):
            broken = document.violations[0]
            raise ConfigError(located(origin, broken.line, broken.column, "", broken.message))
        if not isinstance(document.data, Mapping):
            line, column = document.position(()) or (None, None)
            message = (
                "a configuration must be a YAML mapping of sections (datasources:, kestra:, "
                f"legato:), not {describe(document.data)}"
            )
            raise ConfigError(located(origin, line, column, "", message))
        return cls(document, origin, env)

    @property
    def root(self) -> Entry:
        return Entry(self, (), "", self.document.data)

    def find(self, key: str) -> Entry | None:
        """The value at the dotted kebab-case ``key``, or None when it is not written."""
        entry: Entry | None = self.root
        for part in key.split("."):
            if entry is None:
                return None
            entry = entry.get(part)
        return entry

    def error(self, loc: Loc, key: str, message: str) -> ConfigError:
        """A ``ConfigError`` about ``key``, located at ``loc``."""
        line, column = self.document.position(loc) or (None, None)
        return ConfigError(located(self.origin, line, column, key, message))


@dataclass(frozen=True)
class Entry:
    """A value of the document, where it was written and under which dotted key."""

    document: ConfigDocument
    loc: Loc
    key: str
    value: Any

    def error(self, message: str) -> ConfigError:
        return self.document.error(self.loc, self.key, message)

    def get(self, name: str) -> Entry | None:
        """The child ``name`` (kebab-case) of this mapping, or None when not written."""
        mapping = self.mapping()
        written = [k for k in mapping if normal_key(k) == name]
        key = f"{self.key}.{name}" if self.key else name
        if len(written) > 1:
            message = f"written twice, as '{written[0]}' and '{written[1]}'; keep one"
            raise self.document.error((*self.loc, written[1]), key, message)
        if not written:
            return None
        return Entry(self.document, (*self.loc, written[0]), key, mapping[written[0]])

    def mapping(self) -> Mapping[str, Any]:
        if not isinstance(self.value, Mapping):
            raise self.error(f"expected a mapping of settings, got {describe(self.value)}")
        return self.value

    def items(self) -> list[Entry]:
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, got {describe(self.value)}")
        return [
            Entry(self.document, (*self.loc, i), f"{self.key}[{i}]", item)
            for i, item in enumerate(self.value)
        ]

    def text(self) -> str:
        """The value as text (numbers written unquoted are taken as their text)."""
        if isinstance(self.value, bool) or not isinstance(self.value, str | int | float):
            raise self.error(f"expected text, got {describe(self.value)}")
        return _PLACEHOLDER.sub(self._resolve, str(self.value))

    def path(self) -> Path:
        text = self.text().strip()
        if not text:
            raise self.error("expected a folder path, got empty text")
        return Path(text)

    def integer(self, *, minimum: int) -> int:
        value = self.value if isinstance(self.value, int) else self.text().strip()
        if isinstance(value, bool):
            value = "true" if value else "false"
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise self.error(f"expected a whole number of at least {minimum}, got {value!r}")
        return number

    def boolean(self) -> bool:
        if isinstance(self.value, bool):
            return self.value
        text = self.text().strip().lower() if isinstance(self.value, str) else ""
        if text in ("true", "false"):
            return text == "true"
        raise self.error(f"expected true or false, got {describe(self.value)}")

    def choice(self, allowed: tuple[str, ...]) -> str:
        """The value as one of ``allowed`` (compared lower-case)."""
        text = self.text().strip().lower()
        if text not in allowed:
            options = ", ".join(f"'{a}'" for a in allowed)
            raise self.error(f"expected one of {options}, got '{text}'")
        return text

    def _resolve(self, match: re.Match[str]) -> str:
        name, default = match.group(1).strip(), match.group(2)
        env = self.document.env
        for candidate in (name, re.sub(r"[.\-]", "_", name).upper()):
            if candidate in env:
                return env[candidate]
        if default is not None:
            return default
        raise self.error(
            f"the placeholder ${{{name}}} names no environment variable; "
            f"set {name} or write ${{{name}:default}}"
        )

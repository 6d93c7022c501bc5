"""``config.document``: dotted keys in both spellings, typed values, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from legato.config.document import ConfigDocument, Entry, normal_key
from legato.config.errors import ConfigError


def parse(text: str, env: dict[str, str] | None = None) -> ConfigDocument:
    document = ConfigDocument.parse(text, "conf.yml", env or {})
    assert document is not None
    return document


def entry(text: str, key: str, env: dict[str, str] | None = None) -> Entry:
    found = parse(text, env).find(key)
    assert found is not None
    return found


def error(text: str, key: str, read: str = "text") -> str:
    with pytest.raises(ConfigError) as info:
        getattr(entry(text, key), read)()
    return info.value.message


@pytest.mark.parametrize(
    ("written", "normal"),
    [("basePath", "base-path"), ("base-path", "base-path"), ("tmpDir", "tmp-dir"),
     ("driverClassName", "driver-class-name"), ("type", "type")],
)  # fmt: skip
def test_camel_case_keys_read_as_kebab_case(written: str, normal: str) -> None:
    assert normal_key(written) == normal


def test_find_walks_dotted_keys_in_either_spelling() -> None:
    text = "kestra:\n  storage:\n    local:\n      basePath: /data\n"
    found = entry(text, "kestra.storage.local.base-path")
    assert found.path() == Path("/data")
    assert found.key == "kestra.storage.local.base-path"
    assert parse(text).find("kestra.tasks.tmp-dir.path") is None


def test_a_key_written_in_both_spellings_is_an_error() -> None:
    text = "kestra:\n  tmpDir: {path: /a}\n  tmp-dir: {path: /b}\n"
    with pytest.raises(ConfigError) as info:
        parse(text).find("kestra.tmp-dir.path")
    assert info.value.message == (
        "conf.yml:3:3: kestra.tmp-dir: written twice, as 'tmpDir' and 'tmp-dir'; keep one"
    )


def test_a_section_that_is_not_a_mapping_names_the_key_and_line() -> None:
    with pytest.raises(ConfigError) as info:
        parse("kestra:\n  storage: local\n").find("kestra.storage.type")
    assert info.value.message == (
        "conf.yml:2:3: kestra.storage: expected a mapping of settings, got text 'local'"
    )


def test_wrong_typed_values_say_what_is_expected() -> None:
    assert error("a:\n  b: [1]\n", "a.b") == "conf.yml:2:3: a.b: expected text, got a list"
    assert error("a: {b: yes}\n", "a.b", "boolean") == (
        "conf.yml:1:5: a.b: expected true or false, got text 'yes'"
    )
    assert "expected a list, got a number (3)" in error("a: 3\n", "a", "items")
    assert "expected a folder path, got empty text" in error("a: ''\n", "a", "path")


@pytest.mark.parametrize("written", ["0", "two", "1.5", "true"])
def test_integers_must_be_whole_and_big_enough(written: str) -> None:
    with pytest.raises(ConfigError, match="a: expected a whole number of at least 1"):
        entry(f"a: {written}\n", "a").integer(minimum=1)


def test_numbers_and_booleans_read_from_text_too() -> None:
    assert entry("a: '4'\n", "a").integer(minimum=1) == 4
    assert entry("a: 'TRUE'\n", "a").boolean() is True
    assert entry("a: 5432\n", "a").text() == "5432"


def test_choice_is_case_insensitive_and_lists_the_options() -> None:
    assert entry("a: Local\n", "a").choice(("local",)) == "local"
    with pytest.raises(ConfigError, match="expected one of 'x', 'y', got 'z'"):
        entry("a: z\n", "a").choice(("x", "y"))


def test_placeholders_resolve_from_the_environment() -> None:
    env = {"PG_PASSWORD": "s3cret", "KESTRA_URL": "http://k"}
    assert entry("a: ${PG_PASSWORD}\n", "a", env).text() == "s3cret"
    assert entry("a: x-${kestra.url}-y\n", "a", env).text() == "x-http://k-y"
    assert entry("a: ${MISSING:fallback}\n", "a", env).text() == "fallback"
    with pytest.raises(ConfigError) as info:
        entry("a: ${MISSING}\n", "a").text()
    assert info.value.message == (
        "conf.yml:1:1: a: the placeholder ${MISSING} names no environment variable; "
        "set MISSING or write ${MISSING:default}"
    )


def test_broken_yaml_is_located() -> None:
    with pytest.raises(ConfigError) as info:
        ConfigDocument.parse("kestra:\n  a: [1\n", "conf.yml", {})
    assert info.value.message.startswith("conf.yml:3:1: invalid YAML")


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"conf\.yml:2:1: duplicate key 'kestra'"):
        ConfigDocument.parse("kestra: {}\nkestra: {}\n", "conf.yml", {})


def test_the_root_must_be_a_mapping() -> None:
    with pytest.raises(ConfigError, match=r"conf\.yml:1:1: a configuration must be a YAML mapping"):
        ConfigDocument.parse("- kestra\n", "conf.yml", {})


def test_one_document_per_configuration() -> None:
    with pytest.raises(ConfigError, match=r"conf\.yml:2:1: holds several YAML documents"):
        ConfigDocument.parse("a: 1\n---\nb: 2\n", "conf.yml", {})


def test_comments_only_is_no_document() -> None:
    assert ConfigDocument.parse("# empty\n", "conf.yml", {}) is None


def test_list_items_are_located_and_named() -> None:
    items = entry("a:\n  - x: 1\n  - x: 2\n", "a").items()
    second = items[1].get("x")
    assert second is not None and second.key == "a[1].x"
    assert second.error("bad").message == "conf.yml:3:5: a[1].x: bad"
